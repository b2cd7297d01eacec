import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The composition root: the HTTP server plus the background services, as one ServiceLifecycle application.
///
/// Services start before the HTTP server accepts connections and stop after it, in reverse order: on SIGTERM
/// the server stops accepting and drains requests first, then the worker pool finishes or releases its jobs.
package func buildApplication(
    configuration: ServerConfiguration, dependencies: HTTPDependencies, services: [any Service] = [], logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let router = try buildRouter(dependencies: dependencies)
    let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [WriteBufferWaterMarkHandler()]))
    let server: HTTPServerBuilder
    if let tls = try configuration.tlsConfiguration() {
        server = try .tls(http1, tlsConfiguration: tls)
    } else {
        server = http1
    }
    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "lifeboat"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
