import Foundation
import LifeboatCore
import LifeboatStore
import Logging
import Metrics
import ServiceLifecycle

/// Runs queued jobs: `concurrency` slots each claim the oldest due job of a kind that has a registered executor,
/// run it while a heartbeat renews the lease, and record the outcome.
///
/// On graceful shutdown the slots stop claiming; running jobs get `shutdownGracePeriod` to finish, after which
/// they are cancelled and their lease released so the next start runs them again. At start the pool recovers the
/// jobs a crash left running (see `Configuration.startupRecovery`), and while it runs it periodically recovers
/// jobs whose lease expired.
public struct WorkerPool: Service, CustomStringConvertible {
    /// Settings; defaults suit production, tests shorten the intervals.
    public struct Configuration: Sendable {
        /// How many jobs run at once.
        public var concurrency: Int
        /// How long a claim or renewal holds a job.
        public var leaseDuration: Duration
        /// How often a running job's lease is renewed (and its cancel flag read); well under `leaseDuration`.
        public var heartbeatInterval: Duration
        /// How long an idle slot waits before looking for work again.
        public var idlePollInterval: Duration
        /// How long running jobs may take to finish after graceful shutdown starts.
        public var shutdownGracePeriod: Duration
        /// How often expired leases are recovered while the pool runs.
        public var recoveryInterval: Duration
        /// Attempts after which an interrupted job is failed instead of requeued.
        public var maxAttempts: Int
        /// Minimum time between two progress writes of one job.
        public var progressInterval: Duration
        /// What to recover when the pool starts.
        public var startupRecovery: StartupRecovery
        /// This process's lease owner id.
        public var ownerID: String

        /// What the pool recovers when it starts.
        public enum StartupRecovery: Sendable, Hashable {
            /// Every running job: correct for the single server that owns its data directory, because any lease
            /// in the catalog belongs to a previous, dead run of this server.
            case interruptedJobs
            /// Only jobs whose lease has expired: for several processes sharing one catalog.
            case expiredLeases
        }

        public init(
            concurrency: Int = 4, leaseDuration: Duration = .seconds(60), heartbeatInterval: Duration = .seconds(15),
            idlePollInterval: Duration = .milliseconds(500), shutdownGracePeriod: Duration = .seconds(30),
            recoveryInterval: Duration = .seconds(30), maxAttempts: Int = 3, progressInterval: Duration = .seconds(1),
            startupRecovery: StartupRecovery = .interruptedJobs, ownerID: String = WorkerPool.makeOwnerID()
        ) {
            self.concurrency = concurrency
            self.leaseDuration = leaseDuration
            self.heartbeatInterval = heartbeatInterval
            self.idlePollInterval = idlePollInterval
            self.shutdownGracePeriod = shutdownGracePeriod
            self.recoveryInterval = recoveryInterval
            self.maxAttempts = maxAttempts
            self.progressInterval = progressInterval
            self.startupRecovery = startupRecovery
            self.ownerID = ownerID
        }
    }

    let configuration: Configuration
    let database: AppDatabase
    let executors: [JobKind: any JobExecutor]
    let logger: Logger
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - configuration: pool size, lease and intervals.
    ///   - database: the catalog the jobs live in.
    ///   - executors: one per job kind; jobs of other kinds stay queued for whoever can run them.
    ///   - logger: the pool's logger; each job adds its own metadata.
    ///   - now: the clock (injected for tests).
    public init(configuration: Configuration, database: AppDatabase, executors: [any JobExecutor], logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.database = database
        self.executors = Dictionary(executors.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
        self.logger = logger
        self.now = now
    }

    public var description: String {
        "WorkerPool(concurrency: \(configuration.concurrency), kinds: \(executors.keys.map(\.rawValue).sorted()))"
    }

    /// A lease owner id unique to this process: host, pid and a random suffix.
    public static func makeOwnerID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: - Service

    public func run() async throws {
        try await recoverAtStartup()
        logger.info("Worker pool started", metadata: ["worker.concurrency": "\(configuration.concurrency)", "worker.owner": "\(configuration.ownerID)"])
        await withDiscardingTaskGroup { group in
            for slot in 0..<configuration.concurrency {
                group.addTask { await runSlot(slot) }
            }
            group.addTask { await runRecoveryLoop() }
        }
        logger.info("Worker pool stopped")
    }

    /// The start-up recovery step: requeues or fails (by policy) what a crash left running. `run()` calls it first;
    /// it is public so a server can also run it in `beforeServerStarts`.
    @discardableResult
    public func recoverAtStartup() async throws -> JobRecoveryReport {
        let report: JobRecoveryReport
        switch configuration.startupRecovery {
        case .interruptedJobs: report = try await database.recoverInterruptedJobs(now: now(), maxAttempts: configuration.maxAttempts)
        case .expiredLeases: report = try await database.recoverExpiredLeases(now: now(), maxAttempts: configuration.maxAttempts)
        }
        logRecovery(report, message: "Recovered interrupted jobs")
        return report
    }

    private func logRecovery(_ report: JobRecoveryReport, message: Logger.Message) {
        guard !report.isEmpty else { return }
        logger.notice(message, metadata: [
            "jobs.requeued": "\(report.requeued.map(\.description).joined(separator: ","))",
            "jobs.failed": "\(report.failed.map(\.description).joined(separator: ","))",
            "jobs.cancelled": "\(report.cancelled.map(\.description).joined(separator: ","))",
        ])
    }

    private func runRecoveryLoop() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.recoveryInterval) }
            } catch {
                return
            }
            do {
                logRecovery(try await database.recoverExpiredLeases(now: now(), maxAttempts: configuration.maxAttempts),
                    message: "Recovered jobs with expired leases")
            } catch {
                logger.error("Lease recovery failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func runSlot(_ slot: Int) async {
        var logger = self.logger
        logger[metadataKey: "worker.slot"] = "\(slot)"
        let kinds = Set(executors.keys)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let job = try await database.claimNextJob(
                    owner: configuration.ownerID, kinds: kinds, leaseDuration: configuration.leaseDuration.timeInterval, now: now()) {
                    await runJob(job, logger: logger)
                    continue
                }
            } catch {
                logger.error("Claiming a job failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.idlePollInterval) }
        }
    }

    // MARK: - One job

    private enum Ending: Sendable {
        case executed(Result<Void, any Error>)
        case leaseLost
        case shutdownTimeout
    }

    private func runJob(_ job: Job, logger slotLogger: Logger) async {
        var jobLogger = slotLogger
        jobLogger[metadataKey: "job.id"] = "\(job.id)"
        jobLogger[metadataKey: "job.kind"] = "\(job.kind)"
        jobLogger[metadataKey: "job.target"] = "\(job.target)"
        jobLogger[metadataKey: "job.attempt"] = "\(job.attempt)"
        let logger = jobLogger
        guard let executor = executors[job.kind] else { return }  // unreachable: we only claim registered kinds
        logger.debug("Job claimed")
        let started = ContinuousClock.now
        let state = JobRunState(cancelRequested: job.cancelRequested)
        let context = JobContext(job: job, logger: logger, state: state, database: database, owner: configuration.ownerID,
                                 progressInterval: configuration.progressInterval, now: now)
        let ending = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                do {
                    try await executor.execute(job, context: context)
                    return .executed(.success(()))
                } catch {
                    return .executed(.failure(error))
                }
            }
            group.addTask { await heartbeat(job, state: state, logger: logger) }
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: configuration.shutdownGracePeriod)
                    return .shutdownTimeout
                } catch {
                    return nil  // cancelled because the job ended first
                }
            }
            var ending: Ending? = nil
            while ending == nil, let next = await group.next() { ending = next }
            group.cancelAll()
            return ending ?? .leaseLost
        }
        await record(ending, of: job, state: state, logger: logger, duration: ContinuousClock.now - started)
    }

    /// Renews the lease every `heartbeatInterval` until cancelled; returns `.leaseLost` if the job was taken away.
    private func heartbeat(_ job: Job, state: JobRunState, logger: Logger) async -> Ending? {
        while true {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            do {
                switch try await database.renewLease(job.id, owner: configuration.ownerID,
                                                     leaseDuration: configuration.leaseDuration.timeInterval, now: now()) {
                case .renewed(let cancelRequested):
                    state.setCancelRequested(cancelRequested)
                case .lost:
                    return .leaseLost
                }
            } catch {
                // A failed renewal is retried on the next beat; the lease is long enough to absorb a few.
                logger.warning("Renewing the job lease failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func record(_ ending: Ending, of job: Job, state: JobRunState, logger: Logger, duration: Duration) async {
        let owner = configuration.ownerID
        do {
            switch ending {
            case .executed(.success):
                try await database.finishJob(job.id, owner: owner, outcome: .succeeded, progress: state.latestProgress, now: now())
                logger.debug("Job succeeded")
                count(job, result: "succeeded", duration: duration)
            case .executed(.failure(let error)) where error is JobCancelled || (error is CancellationError && state.cancelRequested):
                try await database.finishJob(job.id, owner: owner, outcome: .cancelled, progress: state.latestProgress, now: now())
                logger.info("Job cancelled")
                count(job, result: "cancelled", duration: duration)
            case .executed(.failure(let error)):
                let reason = Self.describe(error)
                try await database.finishJob(job.id, owner: owner, outcome: .failed(reason: reason), progress: state.latestProgress, now: now())
                logger.warning("Job failed", metadata: ["error": "\(reason)"])
                count(job, result: "failed", duration: duration)
            case .leaseLost:
                logger.warning("Job lease lost; another worker or the recovery owns the job now")
            case .shutdownTimeout:
                try await database.releaseJob(job.id, owner: owner, now: now())
                logger.notice("Job did not finish within the shutdown grace period; released for the next start")
            }
        } catch {
            logger.error("Recording the job outcome failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func count(_ job: Job, result: String, duration: Duration) {
        let dimensions = [("kind", job.kind.rawValue), ("result", result)]
        Counter(label: "lifeboat_jobs_finished_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "lifeboat_job_duration_seconds", dimensions: [("kind", job.kind.rawValue)]).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The job's `error` text: a `LifeboatError` in words, anything else by its description (executors must keep
    /// secrets out of their errors).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as LifeboatError:
            switch error {
            case let .notFound(kind, name): "\(kind) '\(name)' does not exist"
            case let .alreadyExists(kind, name): "\(kind) '\(name)' already exists"
            case let .invalidArgument(field, reason): "\(field): \(reason)"
            case let .conflict(reason): reason
            case let .unavailable(dependency): "\(dependency) is unavailable"
            }
        default:
            String(describing: error)
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
