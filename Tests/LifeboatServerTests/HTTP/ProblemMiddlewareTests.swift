import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
import LifeboatCore
@testable import LifeboatServer
import Testing

/// Creates echo the backup back in phase New; a name starting with `bad` is a validation failure, `taken` exists.
struct BackupEchoAPI: APIProtocol {
    func createBackup(_ input: Operations.CreateBackup.Input) async throws -> Operations.CreateBackup.Output {
        guard case .json(var backup) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        if backup.metadata.name.hasPrefix("bad") {
            throw LifeboatError.invalidArgument(field: "metadata.name", reason: "must be a DNS-1123 label")
        }
        if backup.metadata.name == "taken" { throw LifeboatError.alreadyExists(kind: "backup", name: "taken") }
        backup.status = .init(phase: .new)
        return .created(.init(body: .json(backup)))
    }

    func getBackup(_ input: Operations.GetBackup.Input) async throws -> Operations.GetBackup.Output {
        throw LifeboatError.notFound(kind: "backup", name: input.path.name)
    }

    func deleteBackup(_ input: Operations.DeleteBackup.Input) async throws -> Operations.DeleteBackup.Output {
        struct SecretLeak: Error { let secret = "s3cr3t-value" }
        throw SecretLeak()
    }
}

@Suite struct ProblemMiddlewareTests {
    func post(_ body: String, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await makeTestApplication(api: BackupEchoAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/backups", method: .post, headers: .bearer(RoleTokens.operator),
                                     body: ByteBuffer(string: body)) { response in try check(response) }
        }
    }

    @Test func createAnswers201WithTheObject() async throws {
        try await post(#"{"metadata":{"name":"nightly"},"spec":{"cluster":"prod","includedNamespaces":["shop"]}}"#) { response in
            #expect(response.status == .created)
            let backup = try JSONDecoder().decode(Components.Schemas.Backup.self, from: Data(String(buffer: response.body).utf8))
            #expect(backup.status?.phase == .new)
            #expect(backup.spec.includedNamespaces == ["shop"])
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await post(#"{"metadata":"#) { response in
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let document = try problem(response)
            #expect(document._type == "/problems/bad-request")
            #expect(document.instance?.hasPrefix("urn:lifeboat:request:") == true)
        }
    }

    @Test func missingRequiredFieldNamesTheField() async throws {
        try await post(#"{"metadata":{},"spec":{}}"#) { response in
            #expect(response.status == .badRequest)
            let document = try problem(response)
            #expect(document.errors?.first?.field == "metadata.name")
            #expect(document.errors?.first?.reason == "is required")
        }
    }

    @Test func wrongTypeNamesTheField() async throws {
        try await post(#"{"metadata":{"name":"a"},"spec":{"includedNamespaces":[1]}}"#) { response in
            #expect(response.status == .badRequest)
            let document = try problem(response)
            #expect(document.errors?.first?.field == "spec.includedNamespaces[0]")
        }
    }

    @Test func unknownSpecFieldIsRejected() async throws {
        try await post(#"{"metadata":{"name":"a"},"spec":{"includedNamespace":["typo"]}}"#) { response in
            #expect(response.status == .badRequest)
            let document = try problem(response)
            #expect(document.detail?.contains("includedNamespace") == true)
        }
    }

    @Test func invalidArgumentIs422WithFieldErrors() async throws {
        try await post(#"{"metadata":{"name":"bad_Name"},"spec":{}}"#) { response in
            #expect(response.status == .unprocessableContent)
            let document = try problem(response)
            #expect(document._type == "/problems/invalid-argument")
            #expect(document.errors == [.init(field: "metadata.name", reason: "must be a DNS-1123 label")])
        }
    }

    @Test func alreadyExistsIs409() async throws {
        try await post(#"{"metadata":{"name":"taken"},"spec":{}}"#) { response in
            #expect(response.status == .conflict)
            let document = try problem(response)
            #expect(document._type == "/problems/already-exists")
        }
    }

    @Test func notFoundIs404AndTypedForTheClient() async throws {
        try await makeTestApplication(api: BackupEchoAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/backups/ghost", method: .get, headers: .bearer(RoleTokens.viewer)) { response in
                #expect(response.status == .notFound)
                let document = try problem(response)
                #expect(document.detail == "backup 'ghost' does not exist")
                #expect(document.title == "Not Found")
            }
        }
    }

    @Test func unknownErrorsAreOpaque500() async throws {
        try await makeTestApplication(api: BackupEchoAPI()).test(.router) { client in
            try await client.execute(uri: "/v1/backups/x", method: .delete, headers: .bearer(RoleTokens.operator)) { response in
                #expect(response.status == .internalServerError)
                let document = try problem(response)
                #expect(document._type == "/problems/internal")
                #expect(!String(buffer: response.body).contains("s3cr3t"))
            }
        }
    }

    @Test func unknownRouteIsProblem404WithRequestID() async throws {
        try await makeTestApplication().test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                let document = try problem(response)
                #expect(document._type == "/problems/http-404")
                let requestID = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(document.instance == "urn:lifeboat:request:\(requestID)")
            }
        }
    }

    @Test func everyLifeboatErrorHasItsStatus() {
        let logger = quietLogger()
        let cases: [(LifeboatError, Int, String)] = [
            (.notFound(kind: "cluster", name: "a"), 404, "not-found"),
            (.alreadyExists(kind: "cluster", name: "a"), 409, "already-exists"),
            (.invalidArgument(field: "spec.ttl", reason: "bad duration"), 422, "invalid-argument"),
            (.conflict(reason: "backup is running"), 409, "conflict"),
            (.unavailable(dependency: "catalog"), 503, "unavailable"),
        ]
        for (error, status, slug) in cases {
            let document = Problem(rendering: error, requestID: "r1", logger: logger)
            #expect(document.status == status)
            #expect(document._type == "/problems/\(slug)")
            #expect(document.instance == "urn:lifeboat:request:r1")
        }
    }
}
