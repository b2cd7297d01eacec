import LifeboatAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatCore
import LifeboatStore
@testable import LifeboatServer
import Testing

@Suite struct ClusterAPITests {
    @Test func registeringAClusterQueuesItsCheckAndNeverEchoesTheToken() async throws {
        let server = try CatalogTestServer()
        try await server.application().test(.router) { client in
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster()) { response throws in
                #expect(response.status == .created)
                let body = String(buffer: response.body)
                #expect(!body.contains(Fixtures.clusterToken))
                let object = try jsonObject(response)
                #expect(field(object, "status.phase") as? String == "Pending")
                #expect(field(object, "status.credentialsConfigured") as? Bool == true)
                #expect(field(object, "spec.server") as? String == "https://127.0.0.1:1")
            }
            try await client.send(.get, "/v1/clusters/prod", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains(Fixtures.clusterToken))
            }
        }
        let job = try await server.database.latestJob(kind: .clusterCheck, target: "prod")
        #expect(job?.state == .queued)
    }

    @Test(arguments: [
        (#"{"metadata":{"name":"Bad_Name"},"spec":{"server":"https://a","token":"t"}}"#, "metadata.name"),
        (#"{"metadata":{"name":"a"},"spec":{}}"#, "spec.kubeconfig"),
        (#"{"metadata":{"name":"a"},"spec":{"server":"https://a"}}"#, "spec.token"),
        (#"{"metadata":{"name":"a"},"spec":{"server":"ftp://a","token":"t"}}"#, "spec.server"),
        (#"{"metadata":{"name":"a"},"spec":{"kubeconfig":"clusters: []","server":"https://a"}}"#, "spec.server"),
        (#"{"metadata":{"name":"a"},"spec":{"kubeconfig":"current-context: x\ncontexts: []"}}"#, "spec.kubeconfig"),
    ])
    func invalidClustersAreUnprocessableAndNameTheField(body: String, fieldName: String) async throws {
        _ = try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.post, "/v1/clusters", json: body) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try problem(response).detail?.hasPrefix(fieldName) == true)
            }
        }
    }

    @Test func kubeconfigNamingALocalFileIsRefused() async throws {
        let kubeconfig = """
            apiVersion: v1
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users: [{name: u, user: {tokenFile: /etc/shadow}}]
            """
        let body = try String(decoding: JSONSerialization.data(withJSONObject: [
            "metadata": ["name": "k"], "spec": ["kubeconfig": kubeconfig],
        ]), as: UTF8.self)
        _ = try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.post, "/v1/clusters", json: body) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.contains("tokenFile") == true)
            }
        }
    }

    @Test func duplicateMissingAndDeletedClusters() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster())
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster()) { #expect($0.status == .conflict) }
            try await client.send(.get, "/v1/clusters/nope") { #expect($0.status == .notFound) }
            try await client.send(.delete, "/v1/clusters/prod") { #expect($0.status == .noContent) }
            try await client.send(.get, "/v1/clusters/prod") { #expect($0.status == .notFound) }
        }
    }
}

@Suite struct LocationAPITests {
    @Test func createReplaceAndDeleteALocationKeepingCredentialsWriteOnly() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.post, "/v1/backup-locations", json: Fixtures.s3Location()) { response throws in
                #expect(response.status == .created)
                #expect(!String(buffer: response.body).contains(Fixtures.s3Secret))
                let object = try jsonObject(response)
                #expect(field(object, "spec.objectStorage.prefix") as? String == "team-a")
                #expect(field(object, "status.credentialsConfigured") as? Bool == true)
                #expect(field(object, "spec.accessMode") as? String == "ReadWrite")
            }
            let replacement = #"{"metadata":{"name":"minio"},"spec":{"provider":"s3","objectStorage":{"bucket":"velero"},"accessMode":"ReadOnly","config":{"region":"minio"}}}"#
            try await client.send(.put, "/v1/backup-locations/minio", json: replacement) { response throws in
                #expect(response.status == .ok)
                let object = try jsonObject(response)
                #expect(field(object, "spec.accessMode") as? String == "ReadOnly")
                #expect(field(object, "status.credentialsConfigured") as? Bool == true)
            }
            try await client.send(.delete, "/v1/backup-locations/minio") { #expect($0.status == .noContent) }
            try await client.send(.get, "/v1/backup-locations/minio") { #expect($0.status == .notFound) }
        }
    }

    @Test(arguments: [
        (#"{"metadata":{"name":"a"},"spec":{"provider":"s3","objectStorage":{"bucket":"a/b"}}}"#, "spec.objectStorage.bucket"),
        (#"{"metadata":{"name":"a"},"spec":{"provider":"filesystem","objectStorage":{"bucket":"relative"}}}"#, "spec.objectStorage.bucket"),
        (#"{"metadata":{"name":"a"},"spec":{"provider":"s3","objectStorage":{"bucket":"abc"},"credential":{"accessKeyId":"x"}}}"#, "spec.credential.secretAccessKey"),
        (#"{"metadata":{"name":"a"},"spec":{"provider":"s3","objectStorage":{"bucket":"abc"},"config":{"s3ForcePathStyle":"maybe"}}}"#, "spec.config"),
    ])
    func invalidLocationsNameTheField(body: String, fieldName: String) async throws {
        _ = try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.post, "/v1/backup-locations", json: body) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix(fieldName) == true)
            }
        }
    }
}

@Suite struct BackupAPITests {
    /// A cluster and a default filesystem location, ready for backups.
    static func prepare(_ client: some TestClientProtocol) async throws {
        try await client.send(.post, "/v1/clusters", json: Fixtures.cluster()) { #expect($0.status == .created) }
        try await client.send(.post, "/v1/backup-locations", json: Fixtures.filesystemLocation()) { #expect($0.status == .created) }
    }

    @Test func createdBackupIsNewWithItsJobQueuedAndVeleroDefaults() async throws {
        let server = try CatalogTestServer()
        try await server.application().test(.router) { client in
            try await Self.prepare(client)
            let spec = #","includedNamespaces":["app-*"],"excludedResources":["secrets"],"ttl":"24h","labelSelector":{"matchLabels":{"tier":"web"}}"#
            try await client.send(.post, "/v1/backups", token: RoleTokens.operator, json: Fixtures.backup("nightly", extra: spec)) { response throws in
                #expect(response.status == .created)
                let object = try jsonObject(response)
                #expect(field(object, "kind") as? String == "Backup")
                #expect(field(object, "status.phase") as? String == "New")
                #expect(field(object, "spec.storageLocation") as? String == "local")
                #expect(field(object, "spec.ttl") as? String == "24h")
                #expect(field(object, "spec.includedNamespaces") as? [String] == ["app-*"])
                #expect(field(object, "spec.labelSelector.matchLabels.tier") as? String == "web")
                #expect(field(object, "metadata.labels.velero.io/storage-location") == nil)  // dotted key, checked below
                let labels = field(object, "metadata.labels") as? [String: String]
                #expect(labels?["velero.io/storage-location"] == "local")
                #expect(labels?["app"] == "web")
                #expect(field(object, "metadata.uid") is String)
            }
        }
        #expect(try await server.database.latestJob(kind: .backup, target: "nightly")?.state == .queued)
    }

    @Test(arguments: [
        (Fixtures.backup("b1", cluster: "ghost"), "spec.cluster"),
        (Fixtures.backup("b1", extra: #","storageLocation":"nowhere""#), "spec.storageLocation"),
        (Fixtures.backup("b1", extra: #","ttl":"forever""#), "spec.ttl"),
        (Fixtures.backup("b1", extra: #","includedResources":["pods"],"includedNamespaceScopedResources":["pods"]"#), "spec.includedResources"),
        (Fixtures.backup("b1", extra: #","labelSelector":{"matchLabels":{"a":"b"}},"orLabelSelectors":[{"matchLabels":{"c":"d"}}]"#), "spec"),
        (Fixtures.backup("B1"), "metadata.name"),
    ])
    func invalidBackupsAreUnprocessable(body: String, fieldName: String) async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await Self.prepare(client)
            try await client.send(.post, "/v1/backups", json: body) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix(fieldName) == true)
            }
        }
    }

    @Test func malformedAndUnknownFieldsAreBadRequests() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await Self.prepare(client)
            try await client.send(.post, "/v1/backups", json: #"{"metadata":"#) { response throws in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("x", extra: #","includeNamespacez":["a"]"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try problem(response).detail?.contains("includeNamespacez") == true)
            }
        }
    }

    @Test func listsPageAndFilterByPhaseClusterAndLabels() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await Self.prepare(client)
            for index in 0..<5 {
                try await client.send(.post, "/v1/backups", json: Fixtures.backup("b\(index)")) { #expect($0.status == .created) }
            }
            try await client.send(.post, "/v1/backups", json: #"{"metadata":{"name":"other","labels":{"app":"db"}},"spec":{"cluster":"prod"}}"#)
            var names: [String] = []
            var token: String?
            repeat {
                let query = token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
                let response = try await client.send(.get, "/v1/backups?limit=2\(query)", token: RoleTokens.viewer)
                #expect(response.status == .ok)
                let object = try jsonObject(response)
                let items = object["items"] as? [[String: Any]] ?? []
                #expect(items.count <= 2)
                names += items.compactMap { field($0, "metadata.name") as? String }
                token = object["continue"] as? String
            } while token != nil
            #expect(names == ["b0", "b1", "b2", "b3", "b4", "other"])

            let web = try jsonObject(try await client.send(.get, "/v1/backups?labelSelector=app%3Dweb"))
            #expect((web["items"] as? [Any])?.count == 5)
            let notWeb = try jsonObject(try await client.send(.get, "/v1/backups?labelSelector=app%20notin%20(web)"))
            #expect((notWeb["items"] as? [Any])?.count == 1)
            let new = try jsonObject(try await client.send(.get, "/v1/backups?phase=New&cluster=prod"))
            #expect((new["items"] as? [Any])?.count == 6)
            let completed = try jsonObject(try await client.send(.get, "/v1/backups?phase=Completed"))
            #expect((completed["items"] as? [Any])?.count == 0)
            try await client.send(.get, "/v1/backups?labelSelector=app%20in%20web") { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix("labelSelector") == true)
            }
            try await client.send(.get, "/v1/backups?limit=0") { #expect($0.status == .unprocessableContent) }
        }
    }

    /// The contract's `limit` default (100) applies when a caller names no page size, so a bare list of a large
    /// catalog is one page with a `continue` token, not the whole catalog.
    @Test func aListWithoutLimitIsTheDefaultPage() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await Self.prepare(client)
            for index in 0..<102 {
                try await client.send(.post, "/v1/backups", json: Fixtures.backup(String(format: "b%03d", index))) { #expect($0.status == .created) }
            }
            let first = try jsonObject(try await client.send(.get, "/v1/backups", token: RoleTokens.viewer))
            #expect((first["items"] as? [Any])?.count == 100)
            let token = try #require(first["continue"] as? String)
            let query = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            let rest = try jsonObject(try await client.send(.get, "/v1/backups?continue=\(query)", token: RoleTokens.viewer))
            #expect((rest["items"] as? [[String: Any]])?.compactMap { field($0, "metadata.name") as? String } == ["b100", "b101"])
            #expect(rest["continue"] == nil)
        }
    }

    @Test func cancellingAQueuedBackupFailsIt() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await Self.prepare(client)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly"))
            try await client.send(.post, "/v1/backups/nightly/cancel", token: RoleTokens.operator) { response throws in
                #expect(response.status == .accepted)
                #expect(field(try jsonObject(response), "status.phase") as? String == "Failed")
            }
            try await client.send(.post, "/v1/backups/nightly/cancel") { #expect($0.status == .conflict) }
            try await client.send(.get, "/v1/backups/nightly/logs") { #expect($0.status == .conflict) }
        }
    }

    @Test func deletingABackupQueuesTheDeletion() async throws {
        let server = try CatalogTestServer()
        try await server.application().test(.router) { client in
            try await Self.prepare(client)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("old"))
            try await client.send(.delete, "/v1/backups/old") { response throws in
                // Velero refuses to delete a backup that has not finished.
                #expect(response.status == .conflict)
            }
            try await server.database.updateBackupStatus(BackupName("old"), BackupStatus(phase: .completed))
            try await client.send(.delete, "/v1/backups/old") { response throws in
                #expect(response.status == .accepted)
                #expect(field(try jsonObject(response), "status.phase") as? String == "Deleting")
            }
        }
        #expect(try await server.database.latestJob(kind: .backupDeletion, target: "old")?.state == .queued)
    }
}

@Suite struct RestoreAndScheduleAPITests {
    @Test func restoresNeedACompletedBackup() async throws {
        let server = try CatalogTestServer()
        try await server.application().test(.router) { client in
            try await BackupAPITests.prepare(client)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly"))
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"early"},"spec":{"backupName":"nightly"}}"#) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.contains("only Completed or PartiallyFailed") == true)
            }
            try await server.database.updateBackupStatus(BackupName("nightly"), BackupStatus(phase: .completed))
            let body = #"{"metadata":{"name":"r1"},"spec":{"backupName":"nightly","namespaceMapping":{"a":"b"},"existingResourcePolicy":"update"}}"#
            try await client.send(.post, "/v1/restores", token: RoleTokens.operator, json: body) { response throws in
                #expect(response.status == .created)
                let object = try jsonObject(response)
                #expect(field(object, "status.phase") as? String == "New")
                #expect(field(object, "spec.namespaceMapping.a") as? String == "b")
            }
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"r2"},"spec":{"backupName":"ghost"}}"#) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix("spec.backupName") == true)
            }
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"r3"},"spec":{"backupName":"nightly","existingResourcePolicy":"merge"}}"#) { response throws in
                #expect(response.status == .badRequest || response.status == .unprocessableContent)
            }
            try await client.send(.get, "/v1/restores/r1", token: RoleTokens.viewer) { #expect($0.status == .ok) }
            // A restore that has not run yet cannot be deleted; it must be cancelled or finish first.
            try await client.send(.delete, "/v1/restores/r1") { #expect($0.status == .conflict) }
        }
    }

    @Test func schedulesValidateCronPauseAndTrigger() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await BackupAPITests.prepare(client)
            try await client.send(.post, "/v1/schedules", json: #"{"metadata":{"name":"daily"},"spec":{"schedule":"61 * * * *","template":{"cluster":"prod"}}}"#) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix("spec.schedule") == true)
            }
            try await client.send(.post, "/v1/schedules", json: #"{"metadata":{"name":"daily"},"spec":{"schedule":"CRON_TZ=Europe/Paris 0 3 * * *","template":{"cluster":"prod","ttl":"72h"}}}"#) { response throws in
                #expect(response.status == .created)
                #expect(field(try jsonObject(response), "status.nextRun") is String)
            }
            try await client.send(.post, "/v1/schedules/daily/pause") { response throws in
                #expect(response.status == .ok)
                #expect(field(try jsonObject(response), "spec.paused") as? Bool == true)
            }
            try await client.send(.post, "/v1/schedules/daily/unpause") { #expect($0.status == .ok) }
            try await client.send(.post, "/v1/schedules/daily/trigger") { response throws in
                #expect(response.status == .created)
                let object = try jsonObject(response)
                #expect((field(object, "metadata.name") as? String)?.hasPrefix("daily-") == true)
                #expect((field(object, "metadata.labels") as? [String: String])?["velero.io/schedule-name"] == "daily")
            }
            // A second run while the first is still New is refused, as Velero never stacks scheduled runs.
            try await client.send(.post, "/v1/schedules/daily/trigger") { #expect($0.status == .conflict) }
        }
    }
}

@Suite struct AuthorizationAPITests {
    @Test func viewersReadButCannotWriteAndTokensAreAdminOnly() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            try await client.send(.get, "/v1/backups", token: RoleTokens.viewer) { #expect($0.status == .ok) }
            try await client.send(.post, "/v1/backups", token: RoleTokens.viewer, json: Fixtures.backup("x")) { response throws in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.send(.get, "/v1/tokens", token: RoleTokens.operator) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/backups", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func issuedTokensWorkUntilRevokedAndTheirSecretIsShownOnce() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            let created = try await client.send(.post, "/v1/tokens", json: #"{"metadata":{"name":"ci"},"spec":{"role":"viewer"}}"#)
            #expect(created.status == .created)
            let secret = try #require(try jsonObject(created)["token"] as? String)
            try await client.send(.get, "/v1/status", token: secret) { response throws in
                #expect(response.status == .ok)
                #expect(field(try jsonObject(response), "caller.name") as? String == "ci")
                #expect(field(try jsonObject(response), "caller.role") as? String == "viewer")
            }
            try await client.send(.get, "/v1/tokens") { response throws in
                #expect(!String(buffer: response.body).contains(secret))
            }
            try await client.send(.delete, "/v1/tokens/ci") { #expect($0.status == .noContent) }
            try await client.send(.get, "/v1/status", token: secret) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func tokensPageWithLimitAndContinue() async throws {
        try await CatalogTestServer().application().test(.router) { client in
            for name in ["t1", "t2", "t3", "t4", "t5"] {
                try await client.send(.post, "/v1/tokens", json: #"{"metadata":{"name":"\#(name)"},"spec":{"role":"viewer"}}"#) {
                    #expect($0.status == .created)
                }
            }
            var names: [String] = []
            var pages = 0
            var token: String?
            repeat {
                let query = token.map { "&continue=\($0)" } ?? ""
                let object = try jsonObject(try await client.send(.get, "/v1/tokens?limit=2\(query)"))
                let items = object["items"] as? [[String: Any]] ?? []
                #expect(items.count <= 2)
                names += items.compactMap { field($0, "metadata.name") as? String }
                token = object["continue"] as? String
                pages += 1
            } while token != nil && pages < 10
            #expect(names == ["t1", "t2", "t3", "t4", "t5"])
            #expect(pages == 3)
            try await client.send(.get, "/v1/tokens?continue=bogus") { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try problem(response).detail?.hasPrefix("continue") == true)
            }
        }
    }
}
