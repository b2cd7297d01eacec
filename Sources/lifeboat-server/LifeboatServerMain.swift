import ArgumentParser
import Foundation
import Hummingbird
import LifeboatServer
import Logging
import Metrics
import Prometheus

/// `lifeboat-server`: reads its configuration, bootstraps logging and metrics once, and runs until SIGTERM.
@main
struct LifeboatServerMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeboat-server", abstract: "The Lifeboat control plane.",
        discussion: "Each option can also come from LIFEBOAT_<NAME> (e.g. LIFEBOAT_DATA_DIR) or a YAML/JSON file (--config).")

    @Option(help: "Address to listen on, host:port; port 0 picks a free port. Default 127.0.0.1:8080.") var listen: String?
    @Option(help: "Directory for the catalog, keys and the admin token. Default ./data.") var dataDir: String?
    @Option(help: "Number of job workers. Default 4.") var workers: Int?
    @Option(help: "PEM certificate chain for HTTPS.") var tlsCertificate: String?
    @Option(help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical. Default info.") var logLevel: String?
    @Option(help: "text or json. Default text.") var logFormat: String?
    @Option(help: "Directory of the dashboard's static files. Default web-assets.") var webAssets: String?
    @Option(help: "The OpenAPI contract served as /openapi.yaml. Default openapi/lifeboat.yaml.") var openapiSpec: String?
    @Option(help: "YAML or JSON configuration file (env LIFEBOAT_CONFIG).") var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try resolveConfiguration(environment: environment)

        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: TextLogHandler(label: label, metadataProvider: RequestIdentity.loggingMetadata)
            case .json: JSONLogHandler(label: label, metadataProvider: RequestIdentity.loggingMetadata)
            }
        }
        var logger = Logger(label: "lifeboat-server")
        logger.logLevel = configuration.logLevel
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let scheme = configuration.tlsCertificatePath == nil ? "http" : "https"
        let host = configuration.host
        let app = try await buildServer(configuration: configuration, metrics: registry, logger: logger) { port in
            // The one stdout line: scripts and tests started with port 0 read the real port from it.
            FileHandle.standardOutput.write(Data("lifeboat-server listening on \(scheme)://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }

    /// Flags > environment > file > defaults.
    func resolveConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        let flags = ServerConfiguration.Layer(
            listen: listen, dataDir: dataDir, workers: workers, tlsCertificate: tlsCertificate, tlsKey: tlsKey,
            logLevel: logLevel, logFormat: logFormat, webAssets: webAssets, openapiSpec: openapiSpec)
        var file: ServerConfiguration.Layer?
        if let path = config ?? environment["LIFEBOAT_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read configuration file \(path)") }
            file = try ServerConfiguration.Layer(fileContents: String(decoding: data, as: UTF8.self), path: path)
        }
        return try ServerConfiguration.resolve(flags: flags, environment: try .init(environment: environment), file: file)
    }
}
