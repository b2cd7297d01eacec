import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The Kubernetes REST client for one cluster, over AsyncHTTPClient with the cluster's own TLS settings.
///
/// It owns an `HTTPClient`, so call `shutdown()` when done (AsyncHTTPClient traps on a client released
/// while running). Every request goes through the cluster's `ClientLimits` (QPS, burst, concurrency),
/// carries the current credential (static token, rotating token file, exec plugin, or the client
/// certificate in TLS) and is retried with backoff when the failure allows it.
///
/// ```swift
/// let client = try HTTPKubernetesClient(connection: ClusterConnection(kubeconfig: config))
/// defer { Task { try await client.shutdown() } }
/// let catalog = try await client.discover()
/// for try await item in client.list(catalog.resolve("deploy")!, namespace: "web") { … }
/// ```
public final class HTTPKubernetesClient: Sendable {
    public let connection: ClusterConnection
    let http: HTTPClient
    /// Watches stay open for minutes without a byte, so they get a client without a read timeout.
    let streamingHTTP: HTTPClient
    let requestTimeout: TimeAmount
    let throttle: RequestThrottle
    let credentials: CredentialProvider

    /// - Parameters:
    ///   - connection: where and how to connect, including the per-cluster limits.
    ///   - requestTimeout: the deadline of one request (one attempt), connection included.
    public init(connection: ClusterConnection, requestTimeout: TimeAmount = .seconds(30)) throws {
        self.connection = connection
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try Self.tlsConfiguration(for: connection)
        configuration.timeout = .init(connect: .seconds(10), read: requestTimeout)
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connection.limits.maxConcurrentRequests
        // A refused connection should fail this attempt now and go through our own backoff, instead of
        // AsyncHTTPClient silently retrying it until the request deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        if let proxy = connection.proxyURL, let host = proxy.host {
            switch proxy.scheme?.lowercased() {
            case "socks5": configuration.proxy = .socksServer(host: host, port: proxy.port ?? 1080)
            default: configuration.proxy = .server(host: host, port: proxy.port ?? (proxy.scheme == "https" ? 443 : 80))
            }
        }
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var streaming = configuration
        streaming.timeout = .init(connect: .seconds(10), read: nil)
        self.streamingHTTP = HTTPClient(eventLoopGroupProvider: .singleton, configuration: streaming)
        self.throttle = RequestThrottle(limits: connection.limits)
        let source: CredentialProvider.Source
        if let path = connection.tokenFile {
            source = .tokenFile(path: path, fallback: connection.bearerToken)
        } else if let token = connection.bearerToken {
            source = .token(token)
        } else if let exec = connection.execPlugin {
            source = .exec(ExecCredentialPlugin(config: exec, baseDirectory: connection.execBaseDirectory, timeout: .seconds(60)))
        } else {
            source = .none
        }
        self.credentials = CredentialProvider(source: source)
    }

    /// Shuts the underlying HTTP client down; the client is unusable afterwards.
    public func shutdown() async throws {
        var failure: (any Error)?
        do { try await http.shutdown() } catch { failure = error }
        do { try await streamingHTTP.shutdown() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// `GET /version`: the cheapest call that proves the server is reachable and the credentials work.
    public func serverVersion() async throws -> KubernetesVersion {
        let body = try await get(path: "/version")
        do {
            return try JSONDecoder().decode(KubernetesVersion.self, from: Data(body))
        } catch {
            throw KubernetesError.unexpectedResponse("/version did not return a version document")
        }
    }

    /// A GET of `path` under the server URL, returning the body of a 2xx answer or throwing the server's Status.
    public func get(path: String, maximumBodyBytes: Int = 64 << 20) async throws -> [UInt8] {
        try await send(KubeRequest(method: .GET, path: path), maximumBodyBytes: maximumBodyBytes).body
    }

    // MARK: - The request pipeline

    /// Sends one API request with throttling, credentials and retries; answers a 2xx or throws.
    func send(_ request: KubeRequest, maximumBodyBytes: Int = 64 << 20) async throws -> KubeResponse {
        let limits = connection.limits
        var attempt = 0
        var refreshedCredentials = false
        while true {
            try Task.checkCancellation()
            let prepared = try await prepare(request)
            try await throttle.acquire()
            let outcome: Result<KubeResponse, any Error>
            do {
                let response = try await http.execute(prepared, timeout: requestTimeout)
                let buffer = try await response.body.collect(upTo: maximumBodyBytes)
                outcome = .success(KubeResponse(status: Int(response.status.code), phrase: response.status.reasonPhrase,
                                                headers: response.headers, body: Array(buffer.readableBytesView)))
            } catch {
                outcome = .failure(error)
            }
            await throttle.release()

            switch outcome {
            case .failure(let error):
                if error is CancellationError { throw error }
                if let tooLarge = error as? NIOTooManyBytesError {
                    _ = tooLarge
                    throw KubernetesError.unexpectedResponse("answer larger than \(maximumBodyBytes) bytes")
                }
                let transport = KubernetesError.transport(server: serverDescription, reason: Self.describeTransport(error))
                guard request.idempotent, attempt < limits.maxRetries, Self.isRetryableTransport(error) else { throw transport }
                try await Task.sleep(for: RetryPolicy.backoff(attempt: attempt, limits: limits))
                attempt += 1
            case .success(let response):
                if (200..<300).contains(response.status) { return response }
                if response.status == 401, credentials.canRefresh, !refreshedCredentials {
                    refreshedCredentials = true
                    await credentials.invalidate()
                    continue
                }
                let error = Self.statusError(code: response.status, phrase: response.phrase, body: response.body)
                guard attempt < limits.maxRetries, RetryPolicy.isRetryable(status: response.status, idempotent: request.idempotent) else {
                    throw error
                }
                let wait = RetryPolicy.retryAfter(header: response.headers.first(name: "Retry-After"), limits: limits)
                    ?? RetryPolicy.backoff(attempt: attempt, limits: limits)
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    /// Builds the AsyncHTTPClient request with the current credential.
    func prepare(_ request: KubeRequest) async throws -> HTTPClientRequest {
        var prepared = HTTPClientRequest(url: url(for: request.path, query: request.query))
        prepared.method = request.method
        prepared.headers.add(name: "Accept", value: request.accept)
        prepared.headers.add(name: "User-Agent", value: "lifeboat")
        if let authorization = try await credentials.authorization() {
            prepared.headers.add(name: "Authorization", value: authorization)
        }
        if let body = request.body {
            prepared.headers.add(name: "Content-Type", value: request.contentType)
            prepared.body = .bytes(ByteBuffer(bytes: body))
        }
        return prepared
    }

    // MARK: - Helpers

    var serverDescription: String {
        var components = URLComponents(url: connection.server, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        components?.query = nil
        return components?.string ?? "the cluster"
    }

    func url(for path: String, query: [(String, String)] = []) -> String {
        var base = connection.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard !query.isEmpty else { return base + path }
        return base + path + "?" + Self.queryString(query)
    }

    static func queryString(_ query: [(String, String)]) -> String {
        query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    /// Query-component encoding that leaves only unreserved characters bare (selectors contain `=`, `,`, `!`).
    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Path-segment encoding as Go's `url.PathEscape` (client-go) does it: `:` and `@` stay bare, so names like
    /// `system:auth-delegator` reach the server as kubectl sends them.
    static func percentEncodePathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~$&+,:;=@")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func tlsConfiguration(for connection: ClusterConnection) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if connection.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let pem = connection.certificateAuthorityPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem))
        }
        if let certificate = connection.clientCertificatePEM, let key = connection.clientKeyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        return tls
    }

    /// Turns a failed answer into a typed error, preferring the server's own `Status` document.
    static func statusError(code: Int, phrase: String, body: [UInt8]) -> KubernetesError {
        if let status = try? JSONParser.parse(body), status["kind"]?.stringValue == "Status" {
            return .status(code: code, reason: status["reason"]?.stringValue ?? phrase, message: status["message"]?.stringValue ?? "")
        }
        let fallbackReason: String =
            switch code {
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "NotFound"
            case 410: "Expired"
            case 429: "TooManyRequests"
            default: phrase.replacingOccurrences(of: " ", with: "")
            }
        return .status(code: code, reason: fallbackReason, message: "")
    }

    /// Connection-level failures worth another attempt: refused, reset, closed, timed out.
    static func isRetryableTransport(_ error: any Error) -> Bool {
        if error is NIOSSLError || error is BoringSSLError { return false }  // a bad certificate will not get better
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .remoteConnectionClosed:
                return true
            default:
                return String(describing: http).contains("connect")
            }
        }
        return error is ChannelError || error is IOError || error is NIOConnectionError
    }

    /// A transport error in words that never include request headers (which carry the token).
    static func describeTransport(_ error: any Error) -> String {
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout: return "connection timed out"
            case .readTimeout, .deadlineExceeded: return "request timed out"
            case .remoteConnectionClosed: return "connection closed by the server"
            default: return String(describing: http)
            }
        }
        if error is NIOSSLError || error is BoringSSLError { return "TLS handshake failed (\(error))" }
        if let channel = error as? ChannelError { return "connection failed (\(channel))" }
        if let io = error as? IOError { return "connection failed (\(io.description))" }
        if error is NIOConnectionError { return "connection refused" }
        return "connection failed (\(type(of: error)))"
    }
}
