import Foundation
import LifeboatCore
@testable import LifeboatStore
import Testing

@Suite struct JobQueueTests {
    let database: AppDatabase
    let t0 = StoreFixture.epoch

    init() throws { database = try AppDatabase.inMemory() }

    @Test func claimTakesTheOldestDueJobAndLeasesIt() async throws {
        let later = try await database.enqueueJob(kind: .clusterCheck, target: "b", dueAt: t0.addingTimeInterval(10), now: t0)
        let first = try await database.enqueueJob(kind: .clusterCheck, target: "a", dueAt: t0, now: t0)
        _ = try await database.enqueueJob(kind: .clusterCheck, target: "future", dueAt: t0.addingTimeInterval(3600), now: t0)
        let claimed = try #require(try await database.claimNextJob(owner: "w1", kinds: [.clusterCheck], leaseDuration: 60, now: t0.addingTimeInterval(20)))
        #expect(claimed.id == first.id)
        #expect(claimed.state == .running && claimed.attempt == 1 && claimed.leaseOwner == "w1")
        #expect(claimed.leaseExpiresAt == t0.addingTimeInterval(80))
        #expect(try await database.claimNextJob(owner: "w1", kinds: [.clusterCheck], leaseDuration: 60, now: t0.addingTimeInterval(20))?.id == later.id)
        #expect(try await database.claimNextJob(owner: "w1", kinds: [.clusterCheck], leaseDuration: 60, now: t0.addingTimeInterval(20)) == nil)
    }

    @Test func claimOnlyTakesKindsTheWorkerCanRun() async throws {
        _ = try await database.enqueueJob(kind: .backup, target: "x", now: t0)
        #expect(try await database.claimNextJob(owner: "w", kinds: [.clusterCheck], leaseDuration: 60, now: t0) == nil)
        #expect(try await database.claimNextJob(owner: "w", kinds: [], leaseDuration: 60, now: t0) == nil)
        #expect(try await database.claimNextJob(owner: "w", kinds: [.backup], leaseDuration: 60, now: t0)?.target == "x")
    }

    @Test func heartbeatProgressAndFinishRequireTheLease() async throws {
        let job = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        _ = try await database.claimNextJob(owner: "w1", kinds: [.clusterCheck], leaseDuration: 60, now: t0)
        #expect(try await database.renewLease(job.id, owner: "w1", leaseDuration: 60, now: t0.addingTimeInterval(30)) == .renewed(cancelRequested: false))
        #expect(try await database.job(job.id).leaseExpiresAt == t0.addingTimeInterval(90))
        #expect(try await database.renewLease(job.id, owner: "intruder", leaseDuration: 60, now: t0) == .lost)
        #expect(try await database.recordProgress(job.id, owner: "w1", progress: JobProgress(completedItems: 3, totalItems: 10)))
        #expect(try await !database.recordProgress(job.id, owner: "intruder", progress: JobProgress()))
        #expect(try await !database.finishJob(job.id, owner: "intruder", outcome: .succeeded, now: t0))
        #expect(try await database.finishJob(job.id, owner: "w1", outcome: .failed(reason: "boom"), now: t0.addingTimeInterval(40)))
        let finished = try await database.job(job.id)
        #expect(finished.state == .failed && finished.error == "boom" && finished.leaseOwner == nil)
        #expect(finished.progress == JobProgress(completedItems: 3, totalItems: 10))
        #expect(finished.finishedAt == t0.addingTimeInterval(40))
        #expect(try await database.renewLease(job.id, owner: "w1", leaseDuration: 60, now: t0) == .lost)
    }

    @Test func cancellingAQueuedJobEndsItAndFailsItsBackup() async throws {
        let database = try await StoreFixture.seededDatabase()
        let (_, job) = try await database.createBackup(StoreFixture.backup("nightly"))
        let cancelled = try await database.requestCancellation(of: job.id, now: t0)
        #expect(cancelled.state == .cancelled && cancelled.cancelRequested)
        let backup = try await database.backup(named: BackupName("nightly"))
        #expect(backup.status.phase == .failed && backup.status.failureReason == "cancelled before it started")
        #expect(try await database.claimNextJob(owner: "w", kinds: [.backup], leaseDuration: 60, now: t0.addingTimeInterval(1)) == nil)
    }

    @Test func cancellingARunningJobSetsTheFlagTheHeartbeatReports() async throws {
        let job = try await database.enqueueJob(kind: .locationValidation, target: "a", now: t0)
        _ = try await database.claimNextJob(owner: "w", kinds: [.locationValidation], leaseDuration: 60, now: t0)
        #expect(try await database.requestCancellation(of: job.id).state == .running)
        #expect(try await database.isCancellationRequested(job.id))
        #expect(try await database.renewLease(job.id, owner: "w", leaseDuration: 60, now: t0) == .renewed(cancelRequested: true))
        #expect(try await database.finishJob(job.id, owner: "w", outcome: .cancelled, now: t0))
        #expect(try await database.job(job.id).state == .cancelled)
        #expect(try await database.requestCancellation(of: job.id).state == .cancelled)  // finished jobs are left alone
    }

    @Test func expiredLeasesAreRequeuedUntilAttemptsRunOut() async throws {
        let job = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        var now = t0
        for attempt in 1...2 {
            let claimed = try #require(try await database.claimNextJob(owner: "dead-\(attempt)", kinds: [.clusterCheck], leaseDuration: 60, now: now))
            #expect(claimed.attempt == attempt)
            #expect(try await database.recoverExpiredLeases(now: now.addingTimeInterval(59), maxAttempts: 3).isEmpty)  // not yet expired
            now = now.addingTimeInterval(61)
            #expect(try await database.recoverExpiredLeases(now: now, maxAttempts: 3) == JobRecoveryReport(requeued: [job.id]))
            #expect(try await database.job(job.id).state == .queued)
        }
        _ = try await database.claimNextJob(owner: "dead-3", kinds: [.clusterCheck], leaseDuration: 60, now: now)
        now = now.addingTimeInterval(61)
        #expect(try await database.recoverExpiredLeases(now: now, maxAttempts: 3) == JobRecoveryReport(failed: [job.id]))
        let failed = try await database.job(job.id)
        #expect(failed.state == .failed && failed.attempt == 3 && failed.error?.contains("lease") == true)
        #expect(try await !database.finishJob(job.id, owner: "dead-3", outcome: .succeeded, now: now))  // a zombie cannot resurrect it
    }

    @Test func aCrashedBackupIsFailedNeverRerun() async throws {
        let database = try await StoreFixture.seededDatabase()
        let (_, job) = try await database.createBackup(StoreFixture.backup("nightly"), now: t0)
        _ = try await database.claimNextJob(owner: "dead", kinds: [.backup], leaseDuration: 60, now: t0)
        try await database.updateBackupStatus(BackupName("nightly"), BackupStatus(phase: .inProgress))
        let report = try await database.recoverExpiredLeases(now: t0.addingTimeInterval(120), maxAttempts: 5)
        #expect(report == JobRecoveryReport(failed: [job.id]))
        let backup = try await database.backup(named: BackupName("nightly"))
        #expect(backup.status.phase == .failed)
        #expect(backup.status.failureReason == "found a backup in progress during the server starting")
    }

    @Test func startupRecoveryTakesUnexpiredLeasesToo() async throws {
        let job = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        _ = try await database.claimNextJob(owner: "previous-run", kinds: [.clusterCheck], leaseDuration: 600, now: t0)
        #expect(try await database.recoverExpiredLeases(now: t0.addingTimeInterval(1), maxAttempts: 3).isEmpty)
        #expect(try await database.recoverInterruptedJobs(now: t0.addingTimeInterval(1), maxAttempts: 3) == JobRecoveryReport(requeued: [job.id]))
    }

    @Test func aCancelledJobThatCrashedEndsCancelled() async throws {
        let job = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        _ = try await database.claimNextJob(owner: "dead", kinds: [.clusterCheck], leaseDuration: 60, now: t0)
        _ = try await database.requestCancellation(of: job.id)
        #expect(try await database.recoverExpiredLeases(now: t0.addingTimeInterval(61), maxAttempts: 3) == JobRecoveryReport(cancelled: [job.id]))
        #expect(try await database.job(job.id).state == .cancelled)
    }

    @Test func releaseRequeuesWithoutCountingTheAttempt() async throws {
        let job = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        _ = try await database.claimNextJob(owner: "w", kinds: [.clusterCheck], leaseDuration: 60, now: t0)
        #expect(try await database.releaseJob(job.id, owner: "w", now: t0.addingTimeInterval(5)))
        let released = try await database.job(job.id)
        #expect(released.state == .queued && released.attempt == 0 && released.leaseOwner == nil)
        #expect(try await database.claimNextJob(owner: "w2", kinds: [.clusterCheck], leaseDuration: 60, now: t0.addingTimeInterval(5))?.attempt == 1)
    }

    @Test func failingABackupJobFailsAnUnfinishedBackup() async throws {
        let database = try await StoreFixture.seededDatabase()
        let (_, job) = try await database.createBackup(StoreFixture.backup("nightly"), now: t0)
        _ = try await database.claimNextJob(owner: "w", kinds: [.backup], leaseDuration: 60, now: t0)
        try await database.finishJob(job.id, owner: "w", outcome: .failed(reason: "cluster 'prod' is unavailable"), now: t0)
        let backup = try await database.backup(named: BackupName("nightly"))
        #expect(backup.status.phase == .failed && backup.status.failureReason == "cluster 'prod' is unavailable")
    }

    @Test func jobsFilterByKindTargetAndState() async throws {
        _ = try await database.enqueueJob(kind: .clusterCheck, target: "a", now: t0)
        _ = try await database.enqueueJob(kind: .clusterCheck, target: "b", now: t0)
        let newest = try await database.enqueueJob(kind: .locationValidation, target: "a", now: t0)
        #expect(try await database.jobs().first?.id == newest.id)
        #expect(try await database.jobs(kind: .clusterCheck).count == 2)
        #expect(try await database.jobs(target: "a").count == 2)
        #expect(try await database.jobs(states: [.running]).isEmpty)
    }
}
