import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// What the server answered to an exec upgrade request.
enum ExecHandshakeOutcome: Sendable {
    /// 101 Switching Protocols with a valid `Sec-WebSocket-Accept`; every frame the server sends arrives in `frames`.
    case upgraded(any Channel, frames: AsyncStream<WebSocketFrame>, subprotocol: String?)
    /// Any other final answer, with its body (a `Status` from a real API server).
    case refused(status: Int, body: [UInt8])
}

/// The client side of the WebSocket opening handshake for exec, done on raw bytes.
///
/// NIO's `NIOTypedHTTPClientUpgradeHandler` is not used on purpose. It parses the 101 with an
/// `HTTPResponseDecoder` inside a `ByteToMessageHandler`, whose removal after the upgrade is deferred to a
/// later event-loop tick (`ByteToMessageHandler.removeHandler` runs it through `eventLoop.execute`). Frames
/// the server sent right behind its 101 sit in that decoder until then, and when the connection's end is read
/// in the same tick (a fast command: 101, output, Status, close frame and FIN or TLS close_notify in one read
/// burst) `HTTPDecoder.decodeLast` sees EOF first and drops them, whatever `leftOverBytesStrategy` says. The
/// session then "ends without a status".
///
/// This handler instead parses the response head itself and, in the same `channelRead`, installs the
/// WebSocket handlers behind it, passes on every byte after the head and removes itself. Nothing is held
/// across ticks, so no later EOF, reset or close can overtake data that was already read.
/// The request key and the `Sec-WebSocket-Accept` check come from `NIOTypedWebSocketClientUpgrader`.
final class ExecHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Largest response head accepted (the API server's are well under 1 KiB).
    static let maxHeadSize = 64 * 1024
    /// Largest refusal body kept (a `Status` is a few hundred bytes).
    static let maxBodySize = 1 << 20

    private enum BodyFraming {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    private enum State {
        /// Request not yet written.
        case idle
        /// Waiting for the end of the response head.
        case awaitingHead(ByteBuffer)
        /// A non-101 answer whose body is still arriving (raw, possibly chunked bytes).
        case readingRefusal(status: Int, framing: BodyFraming, raw: [UInt8])
        /// Upgraded or refused: the promise is complete and bytes pass through.
        case done
    }

    private let request: [UInt8]
    private let upgrader: NIOTypedWebSocketClientUpgrader<Void>
    private let maxFrameSize: Int
    private let promise: EventLoopPromise<ExecHandshakeOutcome>
    private var state = State.idle

    /// - Parameters:
    ///   - target: request target (path and query), already percent-encoded.
    ///   - headers: `Host`, `Authorization`, `Sec-WebSocket-Protocol`…; the upgrade headers are added here.
    init(target: String, headers: [(String, String)], maxFrameSize: Int, promise: EventLoopPromise<ExecHandshakeOutcome>) {
        let upgrader = NIOTypedWebSocketClientUpgrader<Void>(maxFrameSize: maxFrameSize) { channel, _ in
            channel.eventLoop.makeSucceededVoidFuture()  // unused: the pipeline is set up synchronously below
        }
        var all = HTTPHeaders(headers)
        all.add(name: "Upgrade", value: "websocket")
        all.add(name: "Connection", value: "Upgrade")
        upgrader.addCustom(upgradeRequestHeaders: &all)  // Sec-WebSocket-Key, Sec-WebSocket-Version
        var text = "GET \(target) HTTP/1.1\r\n"
        for (name, value) in all { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        self.request = Array(text.utf8)
        self.upgrader = upgrader
        self.maxFrameSize = maxFrameSize
        self.promise = promise
    }

    /// True when no header name or value would break the request's framing.
    static func isValidHeader(name: String, value: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(where: { $0 <= 32 || $0 == UInt8(ascii: ":") || $0 == 127 })
            && !value.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 })
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendRequest(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendRequest(context: context)
        context.fireChannelActive()
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        state = .awaitingHead(context.channel.allocator.buffer(capacity: 1024))
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch state {
        case .idle:
            fail(context: context, KubernetesError.unexpectedResponse("the server sent data before the exec request"))
        case .awaitingHead(var buffer):
            state = .done  // no copy-on-write while we append
            buffer.writeBuffer(&bytes)
            state = .awaitingHead(buffer)
            processHead(context: context)
        case .readingRefusal(let status, let framing, var raw):
            state = .done
            raw.append(contentsOf: bytes.readableBytesView.prefix(max(0, Self.maxBodySize + 64 * 1024 - raw.count)))
            state = .readingRefusal(status: status, framing: framing, raw: raw)
            finishRefusalIfComplete(context: context, atEOF: false)
        case .done:
            context.fireChannelRead(data)
        }
    }

    /// Parses complete response heads in the buffer: skips informational answers, upgrades on 101, starts
    /// reading the body of anything else.
    private func processHead(context: ChannelHandlerContext) {
        while case .awaitingHead(var buffer) = state {
            guard let headLength = Self.headLength(buffer.readableBytesView) else {
                if buffer.readableBytes > Self.maxHeadSize {
                    fail(context: context, KubernetesError.unexpectedResponse("the exec answer's HTTP head is larger than 64 KiB"))
                }
                return
            }
            let headBytes = buffer.readBytes(length: headLength) ?? []
            guard let (status, fields) = Self.parseHead(headBytes) else {
                fail(context: context, KubernetesError.unexpectedResponse("the exec answer is not HTTP/1.1"))
                return
            }
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: HTTPHeaders(fields))
            if status == 101 {
                upgrade(context: context, head: head, rest: buffer)
                return
            }
            if (100..<200).contains(status) {
                state = .awaitingHead(buffer)  // 100 Continue and friends: the real answer follows
                continue
            }
            let framing: BodyFraming
            if status == 204 || status == 304 {
                framing = .none
            } else if head.headers[canonicalForm: "transfer-encoding"].contains(where: { $0.lowercased() == "chunked" }) {
                framing = .chunked
            } else if let length = head.headers.first(name: "content-length").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                      length >= 0 {
                framing = .length(length)
            } else {
                framing = .untilClose
            }
            state = .readingRefusal(status: status, framing: framing, raw: Array(buffer.readableBytesView))
            finishRefusalIfComplete(context: context, atEOF: false)
        }
    }

    private func upgrade(context: ChannelHandlerContext, head: HTTPResponseHead, rest: ByteBuffer) {
        let upgradeTokens = head.headers[canonicalForm: "upgrade"].map { $0.lowercased() }
        let connectionTokens = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
        guard upgradeTokens.contains("websocket"), connectionTokens.contains("upgrade"),
              upgrader.shouldAllowUpgrade(upgradeResponse: head) else {
            fail(context: context, KubernetesError.unexpectedResponse(
                "the server answered 101 without a valid WebSocket handshake (Upgrade, Connection or Sec-WebSocket-Accept)"))
            return
        }
        let (frames, continuation) = AsyncStream<WebSocketFrame>.makeStream()
        do {
            let pipeline = context.pipeline.syncOperations
            try pipeline.addHandler(WebSocketFrameEncoder())
            try pipeline.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxFrameSize)))
            try pipeline.addHandler(WebSocketProtocolErrorHandler(isServer: false))
            try pipeline.addHandler(
                NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 16, maxAccumulatedFrameSize: 1 << 28))
            try pipeline.addHandler(ExecFrameCollector(continuation: continuation))
        } catch {
            continuation.finish()
            fail(context: context, error)
            return
        }
        state = .done
        promise.succeed(.upgraded(context.channel, frames: frames, subprotocol: head.headers.first(name: "Sec-WebSocket-Protocol")))
        // Frames that came in the same read as the 101 go on now, before any later event can overtake them.
        if rest.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(rest)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func finishRefusalIfComplete(context: ChannelHandlerContext, atEOF: Bool) {
        guard case .readingRefusal(let status, let framing, let raw) = state else { return }
        let body: [UInt8]
        switch framing {
        case .none:
            body = []
        case .length(let length):
            guard raw.count >= length || atEOF else { return }
            body = Array(raw.prefix(length))
        case .chunked:
            let (decoded, complete) = Self.dechunk(raw)
            guard complete || atEOF else { return }
            body = decoded
        case .untilClose:
            guard atEOF else { return }
            body = raw
        }
        state = .done
        promise.succeed(.refused(status: status, body: Array(body.prefix(Self.maxBodySize))))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .readingRefusal:
            finishRefusalIfComplete(context: context, atEOF: true)
        case .idle, .awaitingHead:
            fail(context: context, HTTPClientError.remoteConnectionClosed)
        case .done:
            break
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .done = state {
            context.fireErrorCaught(error)
        } else {
            fail(context: context, error)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if case .done = state { return }
        state = .done
        promise.fail(ChannelError.ioOnClosedChannel)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        if case .done = state { return }
        state = .done
        promise.fail(error)
        context.close(promise: nil)
    }

    // MARK: - Parsing

    /// Length of the response head including its blank line, once `\r\n\r\n` has arrived.
    static func headLength(_ bytes: ByteBufferView) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index + 4 - bytes.startIndex
            }
            index += 1
        }
        return nil
    }

    /// Status code and header fields of an HTTP/1.x response head.
    static func parseHead(_ bytes: [UInt8]) -> (status: Int, headers: [(String, String)])? {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]) else { return nil }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return (code, headers)
    }

    /// Decodes a chunked body; `complete` once the last (zero-size) chunk was seen.
    static func dechunk(_ raw: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var index = 0
        while let lineEnd = lineEnd(raw, from: index) {
            let sizeText = String(decoding: raw[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return (body, false) }
            if size == 0 { return (body, true) }  // trailers, if any, do not matter
            let start = lineEnd + 2
            guard raw.count >= start + size + 2 else { return (body, false) }
            body.append(contentsOf: raw[start..<start + size])
            index = start + size + 2
        }
        return (body, false)
    }

    private static func lineEnd(_ raw: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < raw.count {
            if raw[index] == 13, raw[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

@available(*, unavailable)
extension ExecHandshakeHandler: Sendable {}
