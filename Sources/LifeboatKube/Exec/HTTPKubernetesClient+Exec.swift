import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Exec over WebSocket (`kubernetes-api.md` §13): the channel protocol kubectl ≥1.30 speaks.
extension HTTPKubernetesClient {
    static let execSubprotocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// Runs `command` in a container of a pod and collects its output and exit code.
    ///
    /// Offers `v5.channel.k8s.io` and falls back to `v4.channel.k8s.io` when the server only speaks that.
    /// No stdin and no TTY, like Velero's hooks. Errors before the upgrade (pod not found, forbidden) are the
    /// server's `Status` as `KubernetesError`; a non-zero exit is not an error but `exitCode`.
    ///
    /// - Parameters:
    ///   - namespace: nil uses the connection's default namespace.
    ///   - container: nil lets the server pick (it refuses when the pod has several containers).
    ///   - timeout: for the whole session; on expiry the session is closed and `ExecError.timedOut` thrown.
    public func exec(
        pod: String, namespace: String? = nil, container: String? = nil, command: [String], timeout: Duration = .seconds(60)
    ) async throws -> ExecResult {
        let query: [(String, String)] =
            command.map { ("command", $0) } + (container.map { [("container", $0)] } ?? [])
            + [("stdin", "false"), ("stdout", "true"), ("stderr", "true"), ("tty", "false")]
        let namespace = namespace.flatMap { $0.isEmpty ? nil : $0 } ?? connection.namespace
        let podPath = "/api/v1/namespaces/\(APIResource.escape(namespace))/pods/\(APIResource.escape(pod))"
        let path = podPath + "/exec"

        return try await withThrowingTaskGroup(of: ExecResult?.self) { group in
            group.addTask { try await self.runExecSession(path: path, query: query, podPath: podPath, pod: pod) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                throw ExecError.timedOut(seconds: seconds)
            }
            return result
        }
    }

    private func runExecSession(path: String, query: [(String, String)], podPath: String, pod: String) async throws -> ExecResult {
        guard let host = connection.server.host else { throw KubernetesError.unexpectedResponse("server URL without host") }
        let secure = connection.server.scheme?.lowercased() == "https"
        let port = connection.server.port ?? (secure ? 443 : 80)
        let sslContext = secure ? try NIOSSLContext(configuration: Self.tlsConfiguration(for: connection)) : nil
        let serverName = connection.tlsServerName ?? (Self.isIPAddress(host) ? nil : host)

        var headers = [("Host", "\(host):\(port)"), ("User-Agent", "lifeboat"),
                       ("Sec-WebSocket-Protocol", Self.execSubprotocols.joined(separator: ","))]
        if let authorization = try await credentials.authorization() { headers.append(("Authorization", authorization)) }
        guard headers.allSatisfy({ ExecHandshakeHandler.isValidHeader(name: $0.0, value: $0.1) }) else {
            throw KubernetesError.credentials("the credential contains a line break or control character and cannot be sent")
        }
        // The server URL may carry a path prefix (clusters behind a proxy such as Rancher's).
        var prefix = connection.server.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let target = prefix + path + "?" + Self.queryString(query)

        try await throttle.acquire()
        let outcome: ExecHandshakeOutcome
        do {
            let handshake: EventLoopFuture<ExecHandshakeOutcome> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                        }
                        let promise = channel.eventLoop.makePromise(of: ExecHandshakeOutcome.self)
                        try channel.pipeline.syncOperations.addHandler(
                            ExecHandshakeHandler(target: target, headers: headers, maxFrameSize: 1 << 24, promise: promise))
                        return promise.futureResult
                    }
                }
            outcome = try await handshake.get()
        } catch let error as KubernetesError {
            await throttle.release()
            throw error
        } catch {
            await throttle.release()
            throw KubernetesError.transport(server: serverDescription, reason: Self.describeTransport(error))
        }
        await throttle.release()

        switch outcome {
        case .refused(let status, let body):
            let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
            if let parsed = try? JSONParser.parse(body), parsed["kind"]?.stringValue == "Status" {
                throw Self.statusError(code: parsed["code"]?.intValue.map { Int($0) } ?? status, phrase: phrase, body: body)
            }
            // No Status in the answer (KubeSim refuses with a bare 400): ask for the pod like kubectl does, so a
            // missing pod or a denial surfaces as its typed error; otherwise the request itself was refused (an
            // unknown or unspecified container).
            _ = try await send(KubeRequest(method: .GET, path: podPath))
            guard status == 400 else { throw Self.statusError(code: status, phrase: phrase, body: body) }
            throw KubernetesError.status(code: 400, reason: "BadRequest",
                                         message: "the server refused exec into pod \(pod) (is the container name right?)")
        case .upgraded(let channel, let frames, let subprotocol):
            guard let subprotocol, Self.execSubprotocols.contains(subprotocol) else {
                try? await channel.close()
                throw ExecError.protocolNotNegotiated(subprotocol)
            }
            return try await Self.collect(channel, frames: frames, subprotocol: subprotocol)
        }
    }

    /// Reads channel-tagged messages until the server closes: 1 stdout, 2 stderr, 3 the final Status.
    private static func collect(_ channel: any Channel, frames: AsyncStream<WebSocketFrame>, subprotocol: String) async throws -> ExecResult {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var status: [UInt8] = []
        await withTaskCancellationHandler {
            frames: for await frame in frames {
                switch frame.opcode {
                case .binary, .text:
                    var data = frame.unmaskedData
                    guard let stream = data.readInteger(as: UInt8.self) else { continue }
                    switch stream {
                    case 1: stdout.append(contentsOf: data.readableBytesView)
                    case 2: stderr.append(contentsOf: data.readableBytesView)
                    case 3: status.append(contentsOf: data.readableBytesView)
                    default: break
                    }
                case .ping:
                    channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData), promise: nil)
                case .connectionClose:
                    try? await channel.writeAndFlush(
                        WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: frame.unmaskedData))
                    break frames
                default:
                    break
                }
            }
        } onCancel: {
            channel.close(promise: nil)
        }
        try? await channel.close()
        guard !status.isEmpty else { throw ExecError.endedWithoutStatus }
        return ExecResult(exitCode: try exitCode(fromStatus: status), stdout: stdout, stderr: stderr, subprotocol: subprotocol)
    }

    /// Interprets the channel-3 Status: Success is 0, NonZeroExitCode carries the code in its ExitCode cause,
    /// anything else is a failure to run the command at all.
    static func exitCode(fromStatus bytes: [UInt8]) throws -> Int {
        guard !bytes.isEmpty else { return 0 }
        guard let status = try? JSONParser.parse(bytes) else {
            throw KubernetesError.unexpectedResponse("exec ended with an unreadable status")
        }
        if status["status"]?.stringValue == "Success" { return 0 }
        if status["reason"]?.stringValue == "NonZeroExitCode",
            let causes = status["details"]?["causes"]?.arrayValue,
            let cause = causes.first(where: { $0["reason"]?.stringValue == "ExitCode" }),
            let text = cause["message"]?.stringValue, let code = Int(text)
        {
            return code
        }
        throw KubernetesError.status(code: Int(status["code"]?.intValue ?? 500), reason: status["reason"]?.stringValue ?? "InternalError",
                                     message: status["message"]?.stringValue ?? "")
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }
}
