import LifeboatCore
import Foundation
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
@testable import LifeboatServer
import Logging

/// Fixed tokens for tests: one per role, so each test can act as any of them.
struct RoleTokens: TokenAuthenticator {
    static let admin = "test-admin-token"
    static let `operator` = "test-operator-token"
    static let viewer = "test-viewer-token"

    func authenticate(token: String) async throws -> Identity? {
        switch token {
        case Self.admin: Identity(name: "root", role: .admin)
        case Self.operator: Identity(name: "ops", role: .operator)
        case Self.viewer: Identity(name: "reader", role: .viewer)
        default: nil
        }
    }
}

/// A logger that prints nothing but keeps metadata (a no-op handler would crash `context.id`, style.md §13.9).
func quietLogger() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}

/// The real application, with the given API and test tokens, on port 0.
func makeTestApplication(
    api: (any APIProtocol)? = nil, readiness: @escaping @Sendable () async -> Bool = { true },
    webAssets: String? = nil, spec: String? = nil
) throws -> some ApplicationProtocol {
    var configuration = ServerConfiguration()
    configuration.port = 0
    let dependencies = HTTPDependencies(
        authenticator: RoleTokens(), api: api, metrics: nil, readiness: readiness, webAssetsDirectory: webAssets, openAPISpecPath: spec)
    return try buildApplication(configuration: configuration, dependencies: dependencies, logger: quietLogger())
}

extension HTTPFields {
    /// `Authorization: Bearer <token>`, plus a JSON content type.
    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }
}

/// Decodes a problem document from a test response.
func problem(_ response: TestResponse) throws -> Components.Schemas.Problem {
    try JSONDecoder().decode(Components.Schemas.Problem.self, from: Data(String(buffer: response.body).utf8))
}

/// A fresh temporary directory per test.
func makeTemporaryPath() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
