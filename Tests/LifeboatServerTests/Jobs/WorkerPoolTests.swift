import Foundation
import LifeboatCore
@testable import LifeboatServer
import LifeboatStore
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// Records what test executors saw, shared with the test body.
final class ExecutionLog: Sendable {
    private let state = Mutex<(started: [JobID], finished: [JobID])>(([], []))
    func started(_ id: JobID) { state.withLock { $0.started.append(id) } }
    func finished(_ id: JobID) { state.withLock { $0.finished.append(id) } }
    var startedJobs: [JobID] { state.withLock { $0.started } }
    var finishedJobs: [JobID] { state.withLock { $0.finished } }
}

/// Succeeds after reporting progress.
struct SucceedingExecutor: JobExecutor {
    let kind: JobKind
    let log: ExecutionLog
    func execute(_ job: Job, context: JobContext) async throws {
        log.started(job.id)
        await context.reportProgress(JobProgress(completedItems: 1, totalItems: 1, message: "checked"))
        log.finished(job.id)
    }
}

/// Always fails with a catalog error.
struct FailingExecutor: JobExecutor {
    let kind: JobKind
    func execute(_ job: Job, context: JobContext) async throws {
        throw LifeboatError.unavailable(dependency: "bucket '\(job.target)'")
    }
}

/// Works through `items` items of `itemDuration` each, checking for cancellation between items.
struct SlowExecutor: JobExecutor {
    let kind: JobKind
    let items: Int
    let itemDuration: Duration
    let log: ExecutionLog
    func execute(_ job: Job, context: JobContext) async throws {
        log.started(job.id)
        for item in 0..<items {
            try context.checkCancellation()
            try await Task.sleep(for: itemDuration)
            await context.reportProgress(JobProgress(completedItems: item + 1, totalItems: items))
        }
        log.finished(job.id)
    }
}

struct WorkerHarness {
    let database: AppDatabase
    let log = ExecutionLog()

    init() throws { database = try AppDatabase.inMemory() }

    static let slow: JobKind = "slowTest"
    static let hanging: JobKind = "hangingTest"
    static let long: JobKind = "longTest"

    func pool(_ configure: (inout WorkerPool.Configuration) -> Void = { _ in }) -> WorkerPool {
        var configuration = WorkerPool.Configuration(
            concurrency: 2, leaseDuration: .seconds(5), heartbeatInterval: .milliseconds(20), idlePollInterval: .milliseconds(10),
            shutdownGracePeriod: .seconds(20), recoveryInterval: .milliseconds(50), maxAttempts: 3, progressInterval: .zero,
            ownerID: "test-\(UUID().uuidString.prefix(8))")
        configure(&configuration)
        var logger = Logger(label: "lifeboat.test.workers")
        logger.logLevel = .critical
        return WorkerPool(configuration: configuration, database: database, executors: [
            SucceedingExecutor(kind: .clusterCheck, log: log),
            FailingExecutor(kind: .locationValidation),
            SlowExecutor(kind: Self.slow, items: 20, itemDuration: .milliseconds(25), log: log),
            SlowExecutor(kind: Self.hanging, items: 1, itemDuration: .seconds(600), log: log),
            SlowExecutor(kind: Self.long, items: 40, itemDuration: .milliseconds(100), log: log),
        ], logger: logger)
    }

    /// Polls until `condition` holds for the job.
    func waitFor(_ id: JobID, _ condition: (Job) -> Bool) async throws -> Job {
        while true {
            let job = try await database.job(id)
            if condition(job) { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs `pool` until `body` returns, then shuts it down gracefully and waits for `run()` to return by itself.
    func whileRunning<T: Sendable>(_ pool: WorkerPool, _ body: @Sendable @escaping () async throws -> T) async throws -> T {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await pool.run()
                    return nil
                }
                let result = try await body()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            }
        }
    }
}

@Suite struct WorkerPoolTests {
    @Test(.timeLimit(.minutes(1)))
    func runsJobsAndRecordsSuccessAndFailure() async throws {
        let harness = try WorkerHarness()
        let check = try await harness.database.enqueueJob(kind: .clusterCheck, target: "prod")
        let validation = try await harness.database.enqueueJob(kind: .locationValidation, target: "minio")
        let (succeeded, failed) = try await harness.whileRunning(harness.pool()) {
            (try await harness.waitFor(check.id) { $0.state.isFinished }, try await harness.waitFor(validation.id) { $0.state.isFinished })
        }
        #expect(succeeded.state == .succeeded && succeeded.attempt == 1 && succeeded.leaseOwner == nil)
        #expect(succeeded.progress == JobProgress(completedItems: 1, totalItems: 1, message: "checked"))
        #expect(failed.state == .failed && failed.error == "bucket 'minio' is unavailable")
        #expect(harness.log.finishedJobs == [check.id])
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellationStopsARunningJobBetweenItems() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: WorkerHarness.slow, target: "x")
        let finished = try await harness.whileRunning(harness.pool()) {
            _ = try await harness.waitFor(job.id) { $0.state == .running && ($0.progress?.completedItems ?? 0) >= 1 }
            try await harness.database.requestCancellation(of: job.id)
            return try await harness.waitFor(job.id) { $0.state.isFinished }
        }
        #expect(finished.state == .cancelled)
        #expect((finished.progress?.completedItems ?? 99) < 20)
        #expect(harness.log.finishedJobs.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func heartbeatKeepsALongJobLeased() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: WorkerHarness.long, target: "x")
        // The job runs ~4 s with a 3 s lease; only the heartbeat (every 100 ms, so a loaded machine may delay
        // many beats: CI saw more than 1.5 s without one) keeps the recovery, which looks every 50 ms, from taking it away.
        let pool = harness.pool { $0.leaseDuration = .milliseconds(3000); $0.heartbeatInterval = .milliseconds(100) }
        let finished = try await harness.whileRunning(pool) { try await harness.waitFor(job.id) { $0.state.isFinished } }
        #expect(finished.state == .succeeded && finished.attempt == 1)
        #expect(finished.progress?.completedItems == 40)
    }

    @Test(.timeLimit(.minutes(1)))
    func jobsLeftRunningByACrashAreRecoveredAtStartAndRunAgain() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: .clusterCheck, target: "prod")
        // A previous server claimed it with a long lease and was killed (SIGKILL): nothing renews or finishes it.
        _ = try await harness.database.claimNextJob(owner: "killed-server", kinds: [.clusterCheck], leaseDuration: 3600)
        let pool = harness.pool()
        let finished = try await harness.whileRunning(pool) { try await harness.waitFor(job.id) { $0.state.isFinished } }
        #expect(finished.state == .succeeded && finished.attempt == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func expiredLeasesAreRecoveredWhileThePoolRuns() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: .clusterCheck, target: "prod")
        _ = try await harness.database.claimNextJob(owner: "other-replica", kinds: [.clusterCheck], leaseDuration: 1)
        let pool = harness.pool { $0.startupRecovery = .expiredLeases }
        let finished = try await harness.whileRunning(pool) {
            #expect(try await harness.database.job(job.id).leaseOwner == "other-replica")  // not taken while the lease is live
            return try await harness.waitFor(job.id) { $0.state.isFinished }
        }
        #expect(finished.state == .succeeded && finished.attempt == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCrashedBackupIsFailedAtStartNotRerun() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: .backup, target: "nightly")
        _ = try await harness.database.claimNextJob(owner: "killed-server", kinds: [.backup], leaseDuration: 3600)
        let report = try await harness.pool().recoverAtStartup()
        #expect(report == JobRecoveryReport(failed: [job.id]))
        #expect(try await harness.database.job(job.id).state == .failed)
    }

    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownLetsARunningJobFinish() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: WorkerHarness.slow, target: "x")
        _ = try await harness.whileRunning(harness.pool()) { try await harness.waitFor(job.id) { $0.state == .running } }
        // run() returned only after the job completed within the grace period.
        let finished = try await harness.database.job(job.id)
        #expect(finished.state == .succeeded)
        #expect(harness.log.finishedJobs == [job.id])
    }

    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownReleasesAJobThatOutlivesTheGracePeriod() async throws {
        let harness = try WorkerHarness()
        let job = try await harness.database.enqueueJob(kind: WorkerHarness.hanging, target: "x")
        let pool = harness.pool { $0.shutdownGracePeriod = .milliseconds(100) }
        _ = try await harness.whileRunning(pool) { try await harness.waitFor(job.id) { $0.state == .running } }
        let released = try await harness.database.job(job.id)
        #expect(released.state == .queued && released.attempt == 0 && released.leaseOwner == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func jobsWithoutAnExecutorStayQueued() async throws {
        let harness = try WorkerHarness()
        let backup = try await harness.database.enqueueJob(kind: .backup, target: "nightly")
        let check = try await harness.database.enqueueJob(kind: .clusterCheck, target: "prod")
        _ = try await harness.whileRunning(harness.pool()) { try await harness.waitFor(check.id) { $0.state.isFinished } }
        #expect(try await harness.database.job(backup.id).state == .queued)
    }

    @Test func descriptionNamesOnlyShape() throws {
        let harness = try WorkerHarness()
        #expect(harness.pool().description == "WorkerPool(concurrency: 2, kinds: [\"clusterCheck\", \"hangingTest\", \"locationValidation\", \"longTest\", \"slowTest\"])")
    }
}
