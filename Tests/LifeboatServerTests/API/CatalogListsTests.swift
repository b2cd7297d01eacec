import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatCore
import LifeboatStore
@testable import LifeboatServer
import Testing

/// The natively served catalog lists (`CatalogLists`) against the generated server's, which stays the reference:
/// every list, page, filter and error must come out byte for byte the same.
@Suite struct CatalogListsTests {
    /// A catalog with every kind and varied fields: labels, annotations, credentials, timestamps, results.
    static func seed(_ server: CatalogTestServer) async throws {
        try await server.application().test(.router) { client in
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster("prod")) { #expect($0.status == .created) }
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster("dev")) { #expect($0.status == .created) }
            try await client.send(.post, "/v1/backup-locations", json: Fixtures.filesystemLocation()) { #expect($0.status == .created) }
            try await client.send(.post, "/v1/backup-locations", json: Fixtures.s3Location()) { #expect($0.status == .created) }
            for index in 0..<9 {
                let extra = index.isMultiple(of: 3) ? #","includedNamespaces":["app-*"],"ttl":"24h","excludedResources":["secrets"]"# : ""
                let body = #"{"metadata":{"name":"b\#(index)","labels":{"app":"\#(index < 6 ? "web" : "db")"},"annotations":{"note":"a/b \"q\""}},"spec":{"cluster":"\#(index < 7 ? "prod" : "dev")"\#(extra)}}"#
                try await client.send(.post, "/v1/backups", json: body) { #expect($0.status == .created) }
            }
            var status = BackupStatus(phase: .completed)
            status.startTimestamp = Date(timeIntervalSince1970: 1_768_000_000.25)
            status.completionTimestamp = Date(timeIntervalSince1970: 1_768_000_042)
            status.expiration = Date(timeIntervalSince1970: 1_768_086_400)
            status.progress = BackupProgress(totalItems: 12, itemsBackedUp: 12)
            status.warnings = 1
            status.sizeBytes = 123_456
            status.checksum = "sha256:" + String(repeating: "ab", count: 32)
            try await server.database.updateBackupStatus(BackupName("b0"), status)
            var failed = BackupStatus(phase: .failed)
            failed.failureReason = "cluster 'prod' is unreachable: <html> & \u{e9}"
            try await server.database.updateBackupStatus(BackupName("b1"), failed)
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"r1","labels":{"app":"web"}},"spec":{"backupName":"b0","namespaceMapping":{"a":"b"}}}"#) {
                #expect($0.status == .created)
            }
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"r2"},"spec":{"backupName":"b0","existingResourcePolicy":"update"}}"#) {
                #expect($0.status == .created)
            }
            try await client.send(.post, "/v1/schedules", json: #"{"metadata":{"name":"daily"},"spec":{"schedule":"0 3 * * *","template":{"cluster":"prod","ttl":"72h"}}}"#) {
                #expect($0.status == .created)
            }
            try await client.send(.post, "/v1/schedules", json: #"{"metadata":{"name":"weekly","labels":{"app":"db"}},"spec":{"schedule":"0 4 * * 0","paused":true,"template":{"cluster":"dev"}}}"#) {
                #expect($0.status == .created)
            }
        }
    }

    struct Answer: Equatable, CustomStringConvertible {
        var status: HTTPResponse.Status
        var contentType: String?
        var body: String
        var description: String { "\(status.code) \(contentType ?? "-") \(body)" }
    }

    static func answer(_ client: some TestClientProtocol, _ uri: String, token: String = RoleTokens.viewer) async throws -> Answer {
        let response = try await client.send(.get, uri, token: token)
        var body = String(buffer: response.body)
        // Problem documents carry the request id, which differs between any two requests.
        body = body.replacingOccurrences(of: #""instance":"urn:lifeboat:request:[^"]*""#, with: #""instance":"-""#, options: .regularExpression)
        return Answer(status: response.status, contentType: response.headers[.contentType], body: body)
    }

    /// Every page of `path` (following `continue` at `limit`), from one application.
    static func pages(_ client: some TestClientProtocol, _ path: String, limit: Int) async throws -> [Answer] {
        var answers: [Answer] = []
        var token: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let continued = token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
            let answer = try await answer(client, "\(path)\(separator)limit=\(limit)\(continued)")
            answers.append(answer)
            token = (try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["continue"] as? String
        } while token != nil && answers.count < 50
        return answers
    }

    static let lists = ["/v1/clusters", "/v1/backup-locations", "/v1/backups", "/v1/restores", "/v1/schedules"]

    @Test func everyListPageAndFilterIsByteForByteTheGeneratedServers() async throws {
        let server = try CatalogTestServer()
        try await Self.seed(server)
        let queries = [
            "", "?phase=Completed", "?phase=New&cluster=prod", "?cluster=dev", "?labelSelector=app%3Dweb",
            "?labelSelector=app+notin+(web)", "?labelSelector=app%20in%20(web,db),app", "?phase=Nothing",
            "?cluster=nobody", "?unknown=1",
        ]
        let errors = [
            "?limit=0", "?limit=1001", "?limit=ten", "?limit=", "?continue=%21%21", "?labelSelector=app%20in%20web",
            "?cluster=Bad_Name", "?labelSelector=%ZZ",
        ]
        func collect(servesNativeRoutes: Bool) async throws -> [String: [Answer]] {
            try await server.application(servesNativeRoutes: servesNativeRoutes).test(.router) { client in
                var answers: [String: [Answer]] = [:]
                for list in Self.lists {
                    for query in queries { answers[list + query] = try await Self.pages(client, list + query, limit: 2) }
                    answers[list + "#bare"] = [try await Self.answer(client, list)]
                    for query in errors { answers[list + query] = [try await Self.answer(client, list + query)] }
                }
                return answers
            }
        }
        let native = try await collect(servesNativeRoutes: true)
        let generated = try await collect(servesNativeRoutes: false)
        #expect(native.count == Self.lists.count * (queries.count + errors.count + 1))
        // Where the native lists say more than the generated server: a non-integer limit names its parameter, and
        // broken percent-encoding is refused instead of dropped (the generated server listed everything).
        func problem(_ status: Int, _ field: String, _ reason: String) -> String {
            let title = status == 400 ? "Bad Request" : "Unprocessable Content"
            let type = status == 400 ? "bad-request" : "invalid-argument"
            return #"{"detail":"\#(field): \#(reason)","errors":[{"field":"\#(field)","reason":"\#(reason)"}],"instance":"-","status":\#(status),"title":"\#(title)","type":"/problems/\#(type)"}"#
        }
        let improved = [
            "?limit=ten": problem(400, "limit", "must be an integer"), "?limit=": problem(400, "limit", "must be an integer"),
            "?labelSelector=%ZZ": problem(422, "labelSelector", "is not valid percent-encoding"),
        ]
        for (key, answers) in native.sorted(by: { $0.key < $1.key }) {
            if let query = improved.keys.first(where: { key.hasSuffix($0) }) {
                #expect(answers == [Answer(status: .init(code: query.hasPrefix("?limit") ? 400 : 422), contentType: "application/problem+json",
                                           body: improved[query]!)], "\(key)")
            } else {
                #expect(answers == generated[key], "\(key)")
            }
        }
        // The comparison means something: pages were full and errors were errors.
        #expect(native["/v1/backups"]?.count == 5)
        #expect(native["/v1/backups?limit=0"]?.first?.status == .unprocessableContent)
        #expect(native["/v1/backups"]?.first?.body.contains(#""continue":""#) == true)
        #expect(native["/v1/backup-locations"]?.contains { $0.body.contains(Fixtures.s3Secret) } == false)
    }

    @Test func aListShowsEveryWriteAtOnceThoughItsItemsAreCached() async throws {
        let server = try CatalogTestServer()
        try await server.application().test(.router) { client in
            try await BackupAPITests.prepare(client)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly")) { #expect($0.status == .created) }
            func phase() async throws -> String? {
                let list = try jsonObject(try await client.send(.get, "/v1/backups", token: RoleTokens.viewer))
                return (list["items"] as? [[String: Any]])?.first.flatMap { field($0, "status.phase") as? String }
            }
            #expect(try await phase() == "New")
            #expect(try await phase() == "New")
            #expect(server.handler.lists.backups.objects.usage.documents == 1)
            #expect(server.handler.lists.backups.pages.usage.pages == 1)
            try await server.database.updateBackupStatus(BackupName("nightly"), BackupStatus(phase: .completed))
            #expect(try await phase() == "Completed")
            let get = try await client.send(.get, "/v1/backups/nightly")
            let list = try await client.send(.get, "/v1/backups")
            #expect(String(buffer: list.body) == #"{"apiVersion":"lifeboat.io/v1","items":["# + String(buffer: get.body) + #"],"kind":"BackupList"}"#)
            try await server.database.deleteBackup(named: BackupName("nightly"))
            #expect(try await phase() == nil)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly")) { #expect($0.status == .created) }
            #expect(try await phase() == "New")
        }
    }

    @Test func aRepeatedPageIsServedWithoutReadingTheCatalogUntilTheServerWritesIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-pages-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try CatalogTestServer(database: try AppDatabase.open(in: directory))
        try await server.application().test(.router) { client in
            try await BackupAPITests.prepare(client)
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly")) { #expect($0.status == .created) }
            let first = String(buffer: try await client.send(.get, "/v1/backups?limit=10").body)
            #expect(first.contains(#""phase":"New""#))
            // A second connection to the same file changes the row behind the server's catalog. In production the
            // data-dir lock keeps every other process out; here it shows the repeated page came from memory.
            let bystander = try AppDatabase.open(in: directory)
            _ = try await bystander.updateBackupStatus(BackupName("nightly"), BackupStatus(phase: .completed))
            #expect(String(buffer: try await client.send(.get, "/v1/backups?limit=10").body) == first)
            // Another query string is another page: read now, it sees the row as stored.
            #expect(String(buffer: try await client.send(.get, "/v1/backups?limit=11").body).contains(#""phase":"Completed""#))
            // A write through the server's own catalog moves the generation, and the kept page is read again.
            try await client.send(.post, "/v1/backups", json: Fixtures.backup("weekly")) { #expect($0.status == .created) }
            let third = try jsonObject(try await client.send(.get, "/v1/backups?limit=10"))
            let items = try #require(third["items"] as? [[String: Any]])
            #expect(items.map { field($0, "metadata.name") as? String } == ["nightly", "weekly"])
            #expect(items.map { field($0, "status.phase") as? String } == ["Completed", "New"])
            // Another kind's write leaves this kind's pages alone.
            let generation = server.database.listGeneration(of: Backup.self)
            try await client.send(.post, "/v1/clusters", json: Fixtures.cluster("other")) { #expect($0.status == .created) }
            #expect(server.database.listGeneration(of: Backup.self) == generation)
        }
    }

    @Test func thePageCacheKeepsOnlyTheNewestGenerationWithinItsBounds() {
        let cache = RenderedPageCache(byteCapacity: 10, entryCapacity: 2)
        cache.file(ByteBuffer(string: "g2"), for: "a", at: 2)
        cache.file(ByteBuffer(string: "g1"), for: "a", at: 1)  // read before a write another request already saw
        #expect(cache.page(for: "a", at: 2) == ByteBuffer(string: "g2"))
        #expect(cache.page(for: "a", at: 1) == nil)
        #expect(cache.page(for: "a", at: 3) == nil)
        cache.file(ByteBuffer(string: "b2"), for: "b", at: 2)
        #expect(cache.usage.pages == 2 && cache.usage.bytes == 4)
        cache.file(ByteBuffer(string: "c2"), for: "c", at: 2)  // past entryCapacity: starts over
        #expect(cache.usage.pages == 1 && cache.page(for: "c", at: 2) != nil)
        cache.file(ByteBuffer(string: "d3"), for: "d", at: 3)  // a newer generation drops the older pages
        #expect(cache.usage.pages == 1 && cache.page(for: "c", at: 2) == nil && cache.page(for: "d", at: 3) != nil)
        cache.file(ByteBuffer(string: "far too long"), for: "e", at: 3)  // larger than the whole cache: not kept
        #expect(cache.page(for: "e", at: 3) == nil && cache.page(for: "d", at: 3) != nil)
    }

    @Test func theDocumentCacheKeepsTheNewestRevisionAndStaysWithinItsBytes() {
        let cache = RenderedObjectCache(byteCapacity: 10)
        let v1 = ObjectRevision(name: "a", uid: "u1", revision: 1)
        let v2 = ObjectRevision(name: "a", uid: "u1", revision: 2)
        cache.file(ByteBuffer(string: "two"), for: v2)
        cache.file(ByteBuffer(string: "one"), for: v1)  // a slower list read the older row: it must not win
        #expect(cache.document(for: v2) == ByteBuffer(string: "two"))
        #expect(cache.document(for: v1) == nil)
        #expect(cache.document(for: ObjectRevision(name: "a", uid: "u2", revision: 2)) == nil)
        cache.file(ByteBuffer(string: "four"), for: ObjectRevision(name: "b", uid: "u3", revision: 1))
        #expect(cache.usage.bytes == 7 && cache.usage.documents == 2)
        cache.file(ByteBuffer(string: "fives"), for: ObjectRevision(name: "c", uid: "u4", revision: 1))
        #expect(cache.usage.documents == 1 && cache.usage.bytes == 5)
    }
}
