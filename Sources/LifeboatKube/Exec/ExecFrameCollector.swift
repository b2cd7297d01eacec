import NIOCore
import NIOWebSocket

/// Hands WebSocket frames to an `AsyncStream`, which ends when the connection does.
///
/// `ExecHandshakeHandler` adds it in the same read that brought the 101, before passing on the bytes behind
/// the answer, so it sees every frame even when the server has already closed. Unlike `NIOAsyncChannel` it
/// may be added to a channel that goes inactive right after.
final class ExecFrameCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame

    let continuation: AsyncStream<WebSocketFrame>.Continuation

    init(continuation: AsyncStream<WebSocketFrame>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !context.channel.isActive { continuation.finish() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        continuation.finish()
    }
}
