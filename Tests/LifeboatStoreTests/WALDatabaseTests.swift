import Foundation
import LifeboatCore
@testable import LifeboatStore
import Testing

/// Tests on a real database file: WAL mode, persistence across reopen, and concurrent claims from two pools.
@Suite struct WALDatabaseTests {
    @Test func openUsesWALAndObjectsSurviveReopen() async throws {
        let directory = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let job: Job
        do {
            let database = try AppDatabase.open(in: directory)
            #expect(try await database.journalMode() == "wal")
            _ = try await database.createCluster(StoreFixture.cluster(), credential: nil)
            _ = try await database.createLocation(StoreFixture.location(), credential: nil)
            job = try await database.createBackup(StoreFixture.backup("nightly", labels: ["app": "web"])).job
            _ = try await database.createToken(name: TokenName("ci"), role: .viewer, hash: "h")
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(AppDatabase.fileName).path))
        let reopened = try AppDatabase.open(in: directory)  // migrations are idempotent
        let backup = try await reopened.backup(named: BackupName("nightly"))
        #expect(backup.metadata.labels["app"] == "web" && backup.status.phase == .new)
        #expect(try await reopened.job(job.id).state == .queued)
        #expect(try await reopened.tokens().count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func twoWritersClaimingConcurrentlyNeverClaimTheSameJob() async throws {
        let directory = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try AppDatabase.open(in: directory)
        let second = try AppDatabase.open(in: directory)  // a second DatabasePool: another connection set, like another process
        let jobCount = 200
        for index in 0..<jobCount { _ = try await first.enqueueJob(kind: .clusterCheck, target: "c\(index)") }
        let claims = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for (index, database) in [first, second, first, second].enumerated() {
                group.addTask {
                    var claimed: [JobID] = []
                    while let job = try await database.claimNextJob(owner: "worker-\(index)", kinds: [.clusterCheck], leaseDuration: 60) {
                        claimed.append(job.id)
                    }
                    return claimed
                }
            }
            var all: [[JobID]] = []
            for try await claimed in group { all.append(claimed) }
            return all
        }
        let flattened = claims.flatMap { $0 }
        #expect(flattened.count == jobCount)
        #expect(Set(flattened).count == jobCount)
        #expect(try await second.jobs(states: [.running], limit: 1000).count == jobCount)
    }
}
