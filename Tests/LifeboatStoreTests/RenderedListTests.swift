import Foundation
import GRDB
import LifeboatCore
@testable import LifeboatStore
import Synchronization
import Testing

/// Rendered lists: the same pages as the plain lists, with `render` called only for rows whose revision the caller
/// has no rendering of, and revisions that change with every write.
@Suite struct RenderedListTests {
    /// A caller's cache: renderings by revision, and how many renders it took.
    final class Renderings: Sendable {
        let state = Mutex<(kept: [ObjectRevision: String], renders: Int)>(([:], 0))

        func reuse(_ revision: ObjectRevision) -> String? { state.withLock { $0.kept[revision] } }

        func render(_ backup: Backup, _ revision: ObjectRevision) -> String {
            let text = "\(backup.name)@\(revision.revision):\(backup.status.phase.rawValue)"
            state.withLock { $0.kept[revision] = text; $0.renders += 1 }
            return text
        }

        var renders: Int { state.withLock { $0.renders } }
    }

    func page(_ database: AppDatabase, _ renderings: Renderings, _ options: ListOptions = ListOptions()) async throws -> ListPage<String> {
        try await database.renderedList(of: Backup.self, options, reuse: renderings.reuse, render: renderings.render)
    }

    @Test func unchangedRowsAreReusedAndAWriteRendersOnlyItsObjectAgain() async throws {
        let database = try await StoreFixture.seededDatabase()
        for name in ["a", "b", "c"] { _ = try await database.createBackup(StoreFixture.backup(name)) }
        let renderings = Renderings()

        let first = try await page(database, renderings)
        #expect(first.items == ["a@1:New", "b@1:New", "c@1:New"])
        #expect(renderings.renders == 3)
        #expect(try await page(database, renderings).items == first.items)
        #expect(renderings.renders == 3)

        try await StoreFixture.complete("b", in: database)
        #expect(try await page(database, renderings).items == ["a@1:New", "b@2:Completed", "c@1:New"])
        #expect(renderings.renders == 4)
        #expect(try await database.revision(of: Backup.self, named: "b").revision == 2)
    }

    @Test func everyCommittedWriteMovesItsKindsListGenerationAndNothingElseDoes() async throws {
        let database = try await StoreFixture.seededDatabase()
        func generations() -> [UInt64] {
            [database.listGeneration(of: Backup.self), database.listGeneration(of: Restore.self),
             database.listGeneration(of: Cluster.self), database.listGeneration(of: BackupStorageLocation.self)]
        }
        let start = generations()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        #expect(generations() == [start[0] + 1, start[1], start[2], start[3]])
        try await StoreFixture.complete("a", in: database)
        #expect(generations()[0] == start[0] + 2)
        // A write the catalog methods did not make (raw SQL, as a migration or a repair would) is counted too.
        try await database.writer.write { db in try db.execute(sql: "UPDATE backup SET revision = revision + 1") }
        #expect(generations()[0] == start[0] + 3)
        // A transaction that changed rows and rolled back changed nothing a reader could see.
        await #expect(throws: CancellationError.self) {
            try await database.writer.write { db in
                try db.execute(sql: "DELETE FROM backup")
                throw CancellationError()
            }
        }
        #expect(generations()[0] == start[0] + 3)
        // Job bookkeeping is not part of any list.
        _ = try await database.enqueueJob(kind: .clusterCheck, target: "dev")
        #expect(generations() == [start[0] + 3, start[1], start[2], start[3]])
        try await database.deleteBackup(named: BackupName("a"))
        #expect(generations()[0] == start[0] + 4)
    }

    @Test func aRecreatedObjectIsANewRevisionEvenAtTheSameNumber() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        let before = try await database.revision(of: Backup.self, named: "a")
        try await database.deleteBackup(named: BackupName("a"))
        _ = try await database.createBackup(StoreFixture.backup("a"))
        let after = try await database.revision(of: Backup.self, named: "a")
        #expect(before.revision == after.revision && before.uid != after.uid)
        #expect(before != after)
    }

    @Test func renderedPagesPageAndFilterLikeThePlainList() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createCluster(StoreFixture.cluster("dev"), credential: nil)
        for index in 0..<7 {
            let labels = index.isMultiple(of: 2) ? ["tier": "gold"] : [:]
            _ = try await database.createBackup(StoreFixture.backup("b\(index)", cluster: index < 5 ? "prod" : "dev", labels: labels))
        }
        let selectors: [LabelSelector?] = [nil, LabelSelector(matchLabels: ["tier": "gold"])]
        for cluster in [nil, try ClusterName("prod")] {
            for selector in selectors {
                var options = ListOptions(limit: 2, cluster: cluster, labelSelector: selector)
                var plain: [String] = []
                var rendered: [String] = []
                repeat {
                    let expected = try await database.backups(options)
                    let page = try await page(database, Renderings(), options)
                    #expect(page.continueToken == expected.continueToken)
                    plain += expected.items.map(\.name.rawValue)
                    rendered += page.items.map { String($0.prefix { $0 != "@" }) }
                    options.continueToken = page.continueToken
                } while options.continueToken != nil
                #expect(rendered == plain && !plain.isEmpty)
            }
        }
    }

    @Test func aRevokedTokenStopsAuthenticatingAtOnceEvenWhenCached() async throws {
        let database = try AppDatabase.inMemory()
        let now = StoreFixture.epoch
        _ = try await database.createToken(name: TokenName("ci"), role: .viewer, hash: "h1", now: now)
        #expect(try await database.authenticateToken(hash: "h1", now: now)?.name == TokenName("ci"))
        // Within the minute the answer comes from the cache; revoking must still end it.
        #expect(try await database.authenticateToken(hash: "h1", now: now.addingTimeInterval(5)) != nil)
        try await database.revokeToken(named: TokenName("ci"), now: now.addingTimeInterval(6))
        #expect(try await database.authenticateToken(hash: "h1", now: now.addingTimeInterval(7)) == nil)
        #expect(try await database.token(named: TokenName("ci")).isRevoked)
    }

    @Test func aLookupThatReadTheTokenBeforeARevocationDoesNotCacheIt() {
        let cache = GenerationCache<String, TokenInfo>(entryCapacity: 4)
        let token = TokenInfo(name: TokenName(uncheckedRawValue: "ci"), role: .viewer, createdAt: StoreFixture.epoch)
        let readAt: UInt64 = 1
        let afterRevocation = readAt + 1  // the revocation commits while the lookup is in flight
        cache.file(token, for: "h1", at: readAt)
        #expect(cache.value(for: "h1", at: afterRevocation) == nil)
        cache.file(token, for: "h1", at: afterRevocation)
        #expect(cache.value(for: "h1", at: afterRevocation) == token)
    }
}
