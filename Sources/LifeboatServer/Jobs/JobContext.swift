import Foundation
import LifeboatCore
import LifeboatStore
import Logging
import Synchronization

/// What an executor gets besides its job: a logger carrying the job's metadata, progress reporting and the
/// cancellation flag. The flag is refreshed by the pool's heartbeat, so checking it costs no database access.
public struct JobContext: Sendable {
    /// The job being run.
    public let job: Job
    /// Logs with `job.id`, `job.kind`, `job.target` and `worker.slot` metadata.
    public let logger: Logger
    let state: JobRunState
    let database: AppDatabase
    let owner: String
    let progressInterval: Duration
    let now: @Sendable () -> Date

    /// A context for running `job` outside a pool (an executor's own tests, or a one-off run): progress is
    /// written under `owner`'s lease, which the caller must hold (e.g. from `claimNextJob(owner:…)`).
    public init(job: Job, database: AppDatabase, owner: String, logger: Logger,
                progressInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(job: job, logger: logger, state: JobRunState(cancelRequested: job.cancelRequested), database: database,
                  owner: owner, progressInterval: progressInterval, now: now)
    }

    init(job: Job, logger: Logger, state: JobRunState, database: AppDatabase, owner: String, progressInterval: Duration,
         now: @escaping @Sendable () -> Date) {
        self.job = job
        self.logger = logger
        self.state = state
        self.database = database
        self.owner = owner
        self.progressInterval = progressInterval
        self.now = now
    }

    /// Whether a cancel was requested (as of the last heartbeat or progress write).
    public var isCancellationRequested: Bool { state.cancelRequested }

    /// Throws `JobCancelled` when a cancel was requested; call between items.
    public func checkCancellation() throws {
        if state.cancelRequested { throw JobCancelled() }
    }

    /// Records progress, written to the catalog at most once per `progressInterval`; the latest value is always
    /// written with the job's outcome.
    public func reportProgress(_ progress: JobProgress) async {
        guard state.offerProgress(progress, at: now(), interval: progressInterval) else { return }
        do {
            try await database.recordProgress(job.id, owner: owner, progress: progress)
            state.setCancelRequested(try await database.isCancellationRequested(job.id))
        } catch {
            logger.warning("Recording job progress failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

/// Mutable per-run state shared between the executor, the heartbeat and the pool.
final class JobRunState: Sendable {
    private struct Values {
        var cancelRequested = false
        var latestProgress: JobProgress?
        var lastWrite: Date?
    }

    private let values = Mutex(Values())

    init(cancelRequested: Bool) { values.withLock { $0.cancelRequested = cancelRequested } }

    var cancelRequested: Bool { values.withLock { $0.cancelRequested } }

    func setCancelRequested(_ requested: Bool) { values.withLock { $0.cancelRequested = $0.cancelRequested || requested } }

    /// Stores `progress`; true when enough time passed since the last write that it should be written now.
    func offerProgress(_ progress: JobProgress, at date: Date, interval: Duration) -> Bool {
        values.withLock { values in
            values.latestProgress = progress
            let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
            guard let last = values.lastWrite, date.timeIntervalSince(last) < seconds else {
                values.lastWrite = date
                return true
            }
            return false
        }
    }

    /// The latest progress reported, written with the job's outcome.
    var latestProgress: JobProgress? { values.withLock { $0.latestProgress } }
}
