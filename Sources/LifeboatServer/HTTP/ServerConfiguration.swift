import Foundation
import Logging
import NIOSSL
import Yams

/// `lifeboat-server` settings: flags beat `LIFEBOAT_*` environment variables, which beat an optional YAML/JSON file,
/// which beats the defaults (docs/decisions.md says why this is hand-written).
package struct ServerConfiguration: Sendable, Equatable {
    /// Log line format on stderr.
    package enum LogFormat: String, Sendable, Equatable, CaseIterable, Codable { case text, json }

    package var host: String = "127.0.0.1"
    package var port: Int = 8080
    package var dataDirectory: String = "./data"
    package var workers: Int = 4
    package var tlsCertificatePath: String?
    package var tlsKeyPath: String?
    package var logLevel: Logger.Level = .info
    package var logFormat: LogFormat = .text
    package var webAssetsDirectory: String? = "web-assets"
    package var openAPISpecPath: String? = "openapi/lifeboat.yaml"

    package init() {}

    /// One layer of settings; every field optional, so a layer sets only what it names.
    package struct Layer: Sendable, Equatable, Codable {
        package var listen: String?
        package var dataDir: String?
        package var workers: Int?
        package var tlsCertificate: String?
        package var tlsKey: String?
        package var logLevel: String?
        package var logFormat: String?
        package var webAssets: String?
        package var openapiSpec: String?

        package init(listen: String? = nil, dataDir: String? = nil, workers: Int? = nil, tlsCertificate: String? = nil,
                     tlsKey: String? = nil, logLevel: String? = nil, logFormat: String? = nil, webAssets: String? = nil,
                     openapiSpec: String? = nil) {
            self.listen = listen
            self.dataDir = dataDir
            self.workers = workers
            self.tlsCertificate = tlsCertificate
            self.tlsKey = tlsKey
            self.logLevel = logLevel
            self.logFormat = logFormat
            self.webAssets = webAssets
            self.openapiSpec = openapiSpec
        }

        /// The `LIFEBOAT_*` variables; unset and empty variables set nothing.
        package init(environment: [String: String]) throws {
            func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
            self.init(listen: value("LIFEBOAT_LISTEN"), dataDir: value("LIFEBOAT_DATA_DIR"),
                      tlsCertificate: value("LIFEBOAT_TLS_CERT"), tlsKey: value("LIFEBOAT_TLS_KEY"),
                      logLevel: value("LIFEBOAT_LOG_LEVEL"), logFormat: value("LIFEBOAT_LOG_FORMAT"),
                      webAssets: value("LIFEBOAT_WEB_ASSETS"), openapiSpec: value("LIFEBOAT_OPENAPI_SPEC"))
            if let workers = value("LIFEBOAT_WORKERS") {
                guard let count = Int(workers) else { throw ConfigurationError("LIFEBOAT_WORKERS must be an integer, got '\(workers)'") }
                self.workers = count
            }
        }

        /// A YAML or JSON file (JSON is YAML); unknown keys are an error so a typo does not go unnoticed.
        package init(fileContents text: String, path: String) throws {
            do {
                self = try YAMLDecoder().decode(StrictLayer.self, from: text).layer
            } catch let error as ConfigurationError {
                throw ConfigurationError("\(path): \(error.message)")
            } catch {
                throw ConfigurationError("\(path): \(error)")
            }
        }

        /// `self`, with every unset field taken from `lower`.
        func over(_ lower: Layer) -> Layer {
            Layer(listen: listen ?? lower.listen, dataDir: dataDir ?? lower.dataDir, workers: workers ?? lower.workers,
                  tlsCertificate: tlsCertificate ?? lower.tlsCertificate, tlsKey: tlsKey ?? lower.tlsKey,
                  logLevel: logLevel ?? lower.logLevel, logFormat: logFormat ?? lower.logFormat,
                  webAssets: webAssets ?? lower.webAssets, openapiSpec: openapiSpec ?? lower.openapiSpec)
        }
    }

    /// Merges the layers (flags > environment > file > defaults) and validates the result.
    package static func resolve(flags: Layer, environment: Layer, file: Layer?) throws -> ServerConfiguration {
        let merged = flags.over(environment).over(file ?? Layer())
        var configuration = ServerConfiguration()
        if let listen = merged.listen {
            (configuration.host, configuration.port) = try parseListen(listen)
        }
        if let dataDir = merged.dataDir { configuration.dataDirectory = dataDir }
        if let workers = merged.workers {
            guard (1...256).contains(workers) else { throw ConfigurationError("workers must be between 1 and 256, got \(workers)") }
            configuration.workers = workers
        }
        configuration.tlsCertificatePath = merged.tlsCertificate
        configuration.tlsKeyPath = merged.tlsKey
        guard (configuration.tlsCertificatePath == nil) == (configuration.tlsKeyPath == nil) else {
            throw ConfigurationError("TLS needs both a certificate and a key")
        }
        if let level = merged.logLevel {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(level)'")
            }
            configuration.logLevel = parsed
        }
        if let format = merged.logFormat {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError("log format must be text or json, got '\(format)'")
            }
            configuration.logFormat = parsed
        }
        if let webAssets = merged.webAssets { configuration.webAssetsDirectory = webAssets }
        if let spec = merged.openapiSpec { configuration.openAPISpecPath = spec }
        return configuration
    }

    /// `host:port`, `[::1]:port` or `:port` (all interfaces); port 0 asks the OS for a free one.
    package static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { throw ConfigurationError("listen address must be host:port, got '\(text)'") }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigurationError("listen address has an invalid port: '\(text)'")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The server's TLS setup when a certificate and key are configured; nil serves plain HTTP.
    package func tlsConfiguration() throws -> TLSConfiguration? {
        guard let certificatePath = tlsCertificatePath, let keyPath = tlsKeyPath else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            // Name the files, never their content.
            throw ConfigurationError("cannot load TLS certificate \(certificatePath) and key \(keyPath)")
        }
    }
}

/// A configuration problem, reported at startup with what to fix.
package struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Decodes a file layer, rejecting keys it does not know.
private struct StrictLayer: Decodable {
    let layer: ServerConfiguration.Layer

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let known = ["listen", "dataDir", "workers", "tlsCertificate", "tlsKey", "logLevel", "logFormat", "webAssets", "openapiSpec"]

    init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.first(where: { !Self.known.contains($0) }) {
            throw ConfigurationError("unknown key '\(unknown)'; known keys: \(Self.known.joined(separator: ", "))")
        }
        layer = try ServerConfiguration.Layer(from: decoder)
    }
}
