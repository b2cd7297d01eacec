import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore

/// Builds the HTTP/1.1 server (optionally TLS) with the WebSocket upgrade that `pods/<name>/exec` needs.
enum ServerFactory {
    static let subprotocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    static func make(responder: APIResponder, certificates: Certificates?, configuration: KubeSimConfiguration) throws -> HTTPServerBuilder {
        let base = HTTPServerBuilder.http1WebSocketUpgrade(
            configuration: .init(http1: .init(), ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled))
        ) { request, _, _ in
            shouldUpgrade(request, responder: responder)
        }
        guard let certificates else { return base }
        return try .tls(base, tlsConfiguration: certificates.serverTLSConfiguration(
            requireClientCertificate: configuration.clientCertificateAuthentication))
    }

    /// Upgrades only valid exec requests; anything else falls through to the HTTP responder, which
    /// then answers the proper `Status` (401, 403, 404, 400).
    static func shouldUpgrade(_ request: HTTPRequest, responder: APIResponder)
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let fullPath = request.path ?? ""
        let parts = fullPath.split(separator: "?", maxSplits: 1).map(String.init)
        guard let target = ExecPlan.target(path: parts.first ?? "") else { return .dontUpgrade }
        let user: APIResponder.User?
        do { user = try responder.authenticate(request.headerFields) } catch { return .dontUpgrade }
        if user?.readOnly == true { return .dontUpgrade }
        let offered = request.headerFields[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces } }
        guard let chosen = subprotocols.first(where: offered.contains) else { return .dontUpgrade }
        let query = QueryParameters(parts.count > 1 ? parts[1] : nil)
        guard let plan = try? ExecPlan.make(cluster: responder.cluster, namespace: target.namespace, pod: target.pod, query: query,
                                            podsRoot: responder.podsRoot) else { return .dontUpgrade }
        return .upgrade([.secWebSocketProtocol: chosen]) { inbound, outbound, _ in
            try await ExecSession.run(plan, inbound: inbound, outbound: outbound)
        }
    }
}
