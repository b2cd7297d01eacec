@testable import LifeboatServer
import NIOCore
import NIOEmbedded
import Testing

@Suite struct WriteBufferWaterMarkTests {
    @Test func setsTheMarksAndLeavesThePipeline() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(WriteBufferWaterMarkHandler())
        let marks = try channel.getOption(ChannelOptions.writeBufferWaterMark).wait()
        #expect(marks.low == 256 * 1024 && marks.high == 1024 * 1024)
        #expect(marks.high >= 1000 * 724, "a page of the largest limit (1000 items of ~724 bytes) fits without a flip")
        #expect(throws: ChannelPipelineError.self) { try channel.pipeline.syncOperations.context(handlerType: WriteBufferWaterMarkHandler.self) }
        _ = try channel.finish()
    }
}
