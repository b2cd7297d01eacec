import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The Kubernetes REST client for one cluster, over AsyncHTTPClient with the cluster's own TLS settings.
///
/// It owns an `HTTPClient`, so call `shutdown()` when done (AsyncHTTPClient traps on a client released
/// while running). Requests carry the bearer token or the client certificate from the connection.
public final class HTTPKubernetesClient: Sendable {
    public let connection: ClusterConnection
    private let http: HTTPClient
    private let requestTimeout: TimeAmount

    /// - Parameters:
    ///   - connection: where and how to connect.
    ///   - requestTimeout: the deadline of one request, connection included.
    public init(connection: ClusterConnection, requestTimeout: TimeAmount = .seconds(30)) throws {
        self.connection = connection
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try Self.tlsConfiguration(for: connection)
        configuration.timeout = .init(connect: .seconds(10), read: requestTimeout)
        configuration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Shuts the underlying HTTP client down; the client is unusable afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
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
        var request = HTTPClientRequest(url: url(for: path))
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "lifeboat")
        if let token = connection.bearerToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: requestTimeout)
        } catch {
            throw KubernetesError.transport(server: serverDescription, reason: Self.describeTransport(error))
        }
        let buffer = try await response.body.collect(upTo: maximumBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Self.statusError(code: Int(response.status.code), phrase: response.status.reasonPhrase, body: bytes)
        }
        return bytes
    }

    // MARK: - Helpers

    private var serverDescription: String {
        var components = URLComponents(url: connection.server, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        components?.query = nil
        return components?.string ?? "the cluster"
    }

    private func url(for path: String) -> String {
        var base = connection.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
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
        struct Status: Decodable {
            var kind: String?
            var reason: String?
            var message: String?
        }
        if let status = try? JSONDecoder().decode(Status.self, from: Data(body)), status.kind == "Status" {
            return .status(code: code, reason: status.reason ?? phrase, message: status.message ?? "")
        }
        let fallbackReason: String =
            switch code {
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "NotFound"
            default: phrase.replacingOccurrences(of: " ", with: "")
            }
        return .status(code: code, reason: fallbackReason, message: "")
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
        if error is NIOSSLError { return "TLS handshake failed (\(error))" }
        if let channel = error as? ChannelError { return "connection failed (\(channel))" }
        if let io = error as? IOError { return "connection failed (\(io.description))" }
        return "connection failed (\(type(of: error)))"
    }
}
