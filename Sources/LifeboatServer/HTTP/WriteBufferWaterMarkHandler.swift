import NIOCore

/// Raises a connection's write-buffer watermarks, then leaves the pipeline.
///
/// NIO's defaults (unwritable above 64 KiB queued, writable again below 32 KiB) are smaller than a default page of
/// backups (about 72 KB). Each such response turned the channel unwritable and writable again: two pipeline events
/// and a turn of the async writer's state machine per request, 3.5% of the server's CPU in the list benchmark. With
/// these marks a page of up to the largest `limit` goes out without a flip. A streamed body (a backup download)
/// still gets backpressure, once 1 MiB is waiting for a slow client.
final class WriteBufferWaterMarkHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    static let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1024 * 1024)

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.channel.syncOptions?.setOption(ChannelOptions.writeBufferWaterMark, value: Self.waterMark)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
