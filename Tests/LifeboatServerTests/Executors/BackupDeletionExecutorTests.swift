import Foundation
import HTTPTypes
import HummingbirdTesting
import LifeboatArchive
import LifeboatCore
import LifeboatStore
@testable import LifeboatServer
import Testing

/// The deletion job against a filesystem location: it removes `backups/<B>/` and `restores/<R>/` of every restore of
/// the backup, then the catalog entries, and refuses (leaving everything in place) when the location is ReadOnly.
@Suite(.timeLimit(.minutes(1))) struct BackupDeletionExecutorTests {
    /// Claims the queued deletion job and runs it as the pool would.
    static func runDeletion(_ fixtures: ArtifactFixtures) async throws {
        let database = fixtures.server.database
        let job = try #require(try await database.claimNextJob(owner: "test", kinds: [.backupDeletion], leaseDuration: 60))
        let context = JobContext(job: job, database: database, owner: "test", logger: quietLogger())
        let executor = BackupDeletionExecutor(database: database, stores: LocationStores(vault: fixtures.server.handler.vault, logger: quietLogger()))
        do {
            try await executor.execute(job, context: context)
            try await database.finishJob(job.id, owner: "test", outcome: .succeeded)
        } catch {
            try await database.finishJob(job.id, owner: "test", outcome: .failed(reason: WorkerPool.describe(error)))
            throw error
        }
    }

    /// A completed backup `nightly` with two restores, plus a neighbour backup whose name shares the prefix.
    static func populate(_ fixtures: ArtifactFixtures, _ client: some TestClientProtocol) async throws {
        try await fixtures.prepare(client)
        try await fixtures.writeCompletedBackup(log: "backup\n", tarball: [0x1f, 0x8b, 0, 0])
        try await fixtures.writeRestore(client, "r1", log: "r1\n")
        try await fixtures.writeRestore(client, "r2", log: "r2\n")
        try await client.send(.post, "/v1/backups", json: Fixtures.backup("nightly-2")) { #expect($0.status == .created) }
        try await fixtures.writeCompletedBackup("nightly-2", log: "other\n", tarball: [0x1f, 0x8b, 1, 1])
        try await fixtures.put(try fixtures.layout.restore("r10").logs, [0x1f, 0x8b])  // not a restore of nightly
    }

    @Test func deletionRemovesTheBackupItsRestoresAndTheirCatalogEntries() async throws {
        let fixtures = try ArtifactFixtures()
        let layout = fixtures.layout
        try await fixtures.server.application().test(.router) { client in
            try await Self.populate(fixtures, client)
            #expect(try await fixtures.keys(under: layout.backup("nightly").directory).count == 5)
            #expect(try await fixtures.keys(under: layout.restore("r1").directory).count == 4)
            try await client.send(.delete, "/v1/backups/nightly") { #expect($0.status == .accepted) }
        }
        try await Self.runDeletion(fixtures)

        #expect(try await fixtures.keys(under: layout.backup("nightly").directory).isEmpty)
        #expect(try await fixtures.keys(under: layout.restore("r1").directory).isEmpty)
        #expect(try await fixtures.keys(under: layout.restore("r2").directory).isEmpty)
        #expect(try await fixtures.keys(under: layout.backup("nightly-2").directory).count == 5)
        #expect(try await fixtures.keys(under: layout.restore("r10").directory).count == 1)

        let database = fixtures.server.database
        await #expect(throws: LifeboatError.notFound(kind: "backup", name: "nightly")) { try await database.backup(named: BackupName("nightly")) }
        await #expect(throws: LifeboatError.notFound(kind: "restore", name: "r1")) { try await database.restore(named: RestoreName("r1")) }
        await #expect(throws: LifeboatError.notFound(kind: "restore", name: "r2")) { try await database.restore(named: RestoreName("r2")) }
        #expect(try await database.backup(named: BackupName("nightly-2")).status.phase == .completed)
        #expect(try await database.latestJob(kind: .backupDeletion, target: "nightly")?.state == .succeeded)
    }

    @Test func readOnlyLocationFailsTheJobAndKeepsEverythingUntilRetried() async throws {
        let fixtures = try ArtifactFixtures()
        let layout = fixtures.layout
        let database = fixtures.server.database
        try await fixtures.server.application().test(.router) { client in
            try await Self.populate(fixtures, client)
            try await client.send(.delete, "/v1/backups/nightly") { #expect($0.status == .accepted) }
            // The location turns ReadOnly after the request was accepted, before the job runs.
            try await client.send(.put, "/v1/backup-locations/local", json: ArtifactFixtures.location(root: fixtures.root, accessMode: "ReadOnly")) {
                #expect($0.status == .ok)
            }
        }
        let error = await #expect(throws: LifeboatError.self) { try await Self.runDeletion(fixtures) }
        guard case .conflict(let reason)? = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("ReadOnly") && reason.contains("stays in the catalog"))
        #expect(try await fixtures.keys(under: layout.backup("nightly").directory).count == 5)
        #expect(try await fixtures.keys(under: layout.restore("r1").directory).count == 4)
        #expect(try await database.backup(named: BackupName("nightly")).status.phase == .deleting)
        #expect(try await database.restore(named: RestoreName("r1")).status.phase == .partiallyFailed)
        let failed = try #require(try await database.latestJob(kind: .backupDeletion, target: "nightly"))
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("ReadOnly") == true)

        // Once the location is writable again, a new delete request runs the deletion again.
        try await fixtures.server.application().test(.router) { client in
            try await client.send(.put, "/v1/backup-locations/local", json: ArtifactFixtures.location(root: fixtures.root)) { #expect($0.status == .ok) }
            try await client.send(.delete, "/v1/backups/nightly") { #expect($0.status == .accepted) }
        }
        try await Self.runDeletion(fixtures)
        #expect(try await fixtures.keys(under: layout.backup("nightly").directory).isEmpty)
        await #expect(throws: LifeboatError.self) { try await database.backup(named: BackupName("nightly")) }
    }

    @Test func aRestoreStillRunningKeepsTheBackup() async throws {
        let fixtures = try ArtifactFixtures()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "backup\n", tarball: [0x1f, 0x8b])
            try await fixtures.writeRestore(client, "running", log: "r\n", finished: false)
            try await client.send(.delete, "/v1/backups/nightly") { #expect($0.status == .accepted) }
        }
        await #expect(throws: LifeboatError.conflict(reason: "restore 'running' of backup 'nightly' has not finished; delete the backup once it has")) {
            try await Self.runDeletion(fixtures)
        }
        #expect(try await fixtures.keys(under: fixtures.layout.backup("nightly").directory).count == 5)
        #expect(try await fixtures.server.database.restore(named: RestoreName("running")).status.phase == .new)
    }
}
