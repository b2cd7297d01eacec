import LifeboatCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
import Logging
@testable import LifeboatServer
import Testing

/// The status endpoint echoes the identity the task-local carries, so tests see what handlers see.
struct StatusAPI: APIProtocol {
    func getServerStatus(_ input: Operations.GetServerStatus.Input) async throws -> Operations.GetServerStatus.Output {
        let caller = RequestIdentity.current.map {
            Components.Schemas.Identity(name: $0.name, role: Components.Schemas.Role(rawValue: $0.role.rawValue)!)
        }
        return .ok(.init(body: .json(.init(serverVersion: "test", apiVersion: "v1", startTime: Date(), ready: true, caller: caller))))
    }
}

@Suite struct AuthMiddlewareTests {
    @Test func missingTokenIs401ProblemWithChallenge() async throws {
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"lifeboat\"")
                let body = try problem(response)
                #expect(body._type == "/problems/unauthorized")
                #expect(body.status == 401)
            }
        }
    }

    @Test(arguments: ["Bearer wrong", "Basic dGVzdA==", "Bearer", "test-admin-token"])
    func badCredentialsAre401(header: String) async throws {
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/backups", method: .get, headers: [.authorization: header]) { response in
                #expect(response.status == .unauthorized)
                // The presented secret is never echoed back.
                #expect(!String(buffer: response.body).contains("wrong"))
                #expect(!String(buffer: response.body).contains("test-admin-token"))
            }
        }
    }

    @Test func handlersSeeTheCallerThroughTheTaskLocal() async throws {
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get, headers: .bearer(RoleTokens.viewer)) { response in
                #expect(response.status == .ok)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601  // the server writes RFC 3339 with whole seconds
                let status = try decoder.decode(Components.Schemas.ServerStatus.self, from: Data(String(buffer: response.body).utf8))
                #expect(status.caller?.name == "reader")
                #expect(status.caller?.role == .viewer)
            }
        }
    }

    @Test func logLinesNameTheCallerOnlyWhereTheIdentityIsBound() {
        #expect(RequestIdentity.loggingMetadata.get().isEmpty)
        RequestIdentity.$current.withValue(Identity(name: "reader", role: .viewer)) {
            #expect(RequestIdentity.loggingMetadata.get() == ["auth.name": "reader"])
        }
    }

    @Test func viewerWritingIs403() async throws {
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            let body = ByteBuffer(string: #"{"metadata":{"name":"a"},"spec":{"cluster":"c"}}"#)
            try await client.execute(uri: "/v1/backups", method: .post, headers: .bearer(RoleTokens.viewer), body: body) { response in
                #expect(response.status == .forbidden)
                let document = try problem(response)
                #expect(document._type == "/problems/forbidden")
                #expect(document.detail == "role viewer may not write backups")
            }
        }
    }

    @Test(arguments: [(HTTPRequest.Method.get, RoleTokens.operator), (.post, RoleTokens.operator), (.delete, RoleTokens.viewer)])
    func tokensAreAdminOnly(method: HTTPRequest.Method, token: String) async throws {
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/tokens", method: method, headers: .bearer(token)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func operatorPassesAuthorizationForWrites() async throws {
        // Past auth, the unimplemented operation answers 503: authorization let the request through.
        try await makeTestApplication(api: StatusAPI()).test(.router) { client in
            let body = ByteBuffer(string: #"{"metadata":{"name":"a"},"spec":{"cluster":"c"}}"#)
            try await client.execute(uri: "/v1/backups", method: .post, headers: .bearer(RoleTokens.operator), body: body) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test func healthNeedsNoToken() async throws {
        try await makeTestApplication().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .noContent)
            }
        }
    }

    @Test func notReadyIs503Problem() async throws {
        try await makeTestApplication(readiness: { false }).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let document = try problem(response)
                #expect(document._type == "/problems/not-ready")
            }
        }
    }

    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER  abc ", "abc"), ("Bearer", nil), ("Token abc", nil), ("", nil),
        ("Bearerabc", nil), ("  Bearer abc", "abc"), ("Bearer   ", nil), ("Bearer é", "é"), ("Beare abc", nil),
    ] as [(String, String?)])
    func bearerHeaderParsing(header: String, expected: String?) {
        #expect(BearerAuthMiddleware.bearerToken(header) == expected)
    }

    @Test func accessNeededByMethodAndPath() {
        #expect(Role.requirement(method: .get, path: "/v1/backups") == (.read, .backups))
        #expect(Role.requirement(method: .post, path: "/v1/backups/a/cancel") == (.write, .backups))
        #expect(Role.requirement(method: .delete, path: "/v1/clusters/a") == (.write, .clusters))
        #expect(Role.requirement(method: .get, path: "/v1/tokens") == (.read, .tokens))
        #expect(Role.requirement(method: .put, path: "/v1/backup-locations/x") == (.write, .backupStorageLocations))
        #expect(Role.requirement(method: .get, path: "/v1/status") == (.read, .serverStatus))
    }
}
