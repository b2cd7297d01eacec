import NIOFoundationCompat
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
import LifeboatCore
import LifeboatStore
@testable import LifeboatServer
import Logging

/// The real API (handlers, catalog, credential sealing) on a private database, with the fixed role tokens of
/// `RoleTokens` plus every token issued through the API.
struct CatalogTestServer {
    let database: AppDatabase
    let handler: APIHandler
    let logger: Logger

    init(database: AppDatabase? = nil, logger: Logger = quietLogger()) throws {
        let database = try database ?? AppDatabase.inMemory()
        self.database = database
        self.logger = logger
        let vault = CredentialVault(sealer: CredentialSealer(key: SymmetricKey(size: .bits256)))
        handler = APIHandler(
            database: database, vault: vault,
            server: .init(version: "test", startTime: Date(), workers: 2, isReady: { true }))
    }

    /// `servesNativeRoutes: false` answers every operation through the generated server, the reference the native
    /// list routes are compared against.
    func application(servesNativeRoutes: Bool = true) throws -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let authenticator = ChainedTokenAuthenticator([
            RoleTokens(), CatalogTokenAuthenticator(issuer: TokenIssuer(database: database), now: Date.init),
        ])
        var dependencies = HTTPDependencies(authenticator: authenticator, api: handler)
        dependencies.servesNativeRoutes = servesNativeRoutes
        return try buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
    }
}

extension TestClientProtocol {
    /// Sends `body` as JSON with `token` and hands the response to `check`.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String = RoleTokens.admin, json body: String? = nil,
        check: @escaping (TestResponse) throws -> Void = { _ in }
    ) async throws -> TestResponse {
        try await execute(
            uri: uri, method: method, headers: .bearer(token), body: body.map { ByteBuffer(string: $0) }
        ) { response in
            try check(response)
            return response
        }
    }
}

/// The JSON of a response body as a dictionary, for assertions on fields.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
}

func field(_ object: [String: Any], _ path: String) -> Any? {
    var current: Any? = object
    for key in path.split(separator: ".") {
        current = (current as? [String: Any])?[String(key)]
    }
    return current
}

enum Fixtures {
    static let clusterToken = "cluster-secret-token-4f1b9e"
    static let s3Secret = "s3-secret-key-0b7c2d"

    static func cluster(_ name: String = "prod") -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":{"server":"https://127.0.0.1:1","token":"\#(clusterToken)"}}"#
    }

    static func filesystemLocation(_ name: String = "local", root: String = "/tmp/lifeboat-fixture", isDefault: Bool = true) -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":{"provider":"filesystem","objectStorage":{"bucket":"\#(root)"},"default":\#(isDefault)}}"#
    }

    static func s3Location(_ name: String = "minio") -> String {
        #"""
        {"metadata":{"name":"\#(name)"},"spec":{"provider":"s3","objectStorage":{"bucket":"velero","prefix":"team-a"},
         "config":{"region":"minio","s3Url":"http://127.0.0.1:9","s3ForcePathStyle":"true"},
         "credential":{"accessKeyId":"AKIAEXAMPLE","secretAccessKey":"\#(s3Secret)"}}}
        """#
    }

    static func backup(_ name: String, cluster: String = "prod", extra: String = "") -> String {
        #"{"metadata":{"name":"\#(name)","labels":{"app":"web"}},"spec":{"cluster":"\#(cluster)"\#(extra)}}"#
    }
}
