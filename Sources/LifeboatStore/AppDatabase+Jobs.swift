import Foundation
import GRDB
import LifeboatCore

/// The job queue. The catalog is the queue: claiming is one write transaction, so two workers (or two servers on
/// one database file) can never hold the same job; every later write checks that the caller still holds the lease.
extension AppDatabase {
    // MARK: - Enqueue and read

    /// Queues a job, due at `dueAt` (default: now).
    @discardableResult
    public func enqueueJob(kind: JobKind, target: String, dueAt: Date? = nil, now: Date = Date()) async throws -> Job {
        try await writer.write { db in try Self.enqueue(kind: kind, target: target, dueAt: dueAt ?? now, now: now, in: db) }
    }

    static func enqueue(kind: JobKind, target: String, dueAt: Date, now: Date, in db: Database) throws -> Job {
        var record = JobRecord(
            id: nil, kind: kind.rawValue, target: target, state: JobState.queued.rawValue, attempt: 0, cancelRequested: false,
            createdAt: now, dueAt: dueAt)
        try record.insert(db)
        return try record.domainValue()
    }

    /// One job; `.notFound` when the id is unknown.
    public func job(_ id: JobID) async throws -> Job {
        try await writer.read { db in try Self.requireJob(id, in: db).domainValue() }
    }

    /// Jobs, newest first, optionally only of one kind, target or set of states.
    public func jobs(kind: JobKind? = nil, target: String? = nil, states: Set<JobState>? = nil, limit: Int = 100) async throws -> [Job] {
        try await writer.read { db in
            var request = JobRecord.order(JobRecord.Columns.id.desc).limit(limit)
            if let kind { request = request.filter(JobRecord.Columns.kind == kind.rawValue) }
            if let target { request = request.filter(JobRecord.Columns.target == target) }
            if let states { request = request.filter(states.map(\.rawValue).contains(JobRecord.Columns.state)) }
            return try request.fetchAll(db).map { try $0.domainValue() }
        }
    }

    /// The most recent job of `kind` for `target` (e.g. the job behind a backup), if any.
    public func latestJob(kind: JobKind, target: String) async throws -> Job? {
        try await jobs(kind: kind, target: target, limit: 1).first
    }

    static func requireJob(_ id: JobID, in db: Database) throws -> JobRecord {
        guard let record = try JobRecord.fetchOne(db, key: id.rawValue) else {
            throw LifeboatError.notFound(kind: "job", name: id.description)
        }
        return record
    }

    // MARK: - Claim, heartbeat, progress, finish

    /// Claims the oldest due queued job of one of `kinds` and leases it to `owner` until `now + leaseDuration`,
    /// counting an attempt. `nil` when nothing is due.
    public func claimNextJob(owner: String, kinds: Set<JobKind>, leaseDuration: TimeInterval, now: Date = Date()) async throws -> Job? {
        guard !kinds.isEmpty else { return nil }
        return try await writer.write { db in
            guard var record = try JobRecord
                .filter(JobRecord.Columns.state == JobState.queued.rawValue)
                .filter(JobRecord.Columns.dueAt <= now)
                .filter(kinds.map(\.rawValue).contains(JobRecord.Columns.kind))
                .order(JobRecord.Columns.dueAt, JobRecord.Columns.id)
                .fetchOne(db)
            else { return nil }
            record.state = JobState.running.rawValue
            record.leaseOwner = owner
            record.leaseExpiresAt = now.addingTimeInterval(leaseDuration)
            record.heartbeatAt = now
            record.attempt += 1
            record.startedAt = record.startedAt ?? now
            try record.update(db)
            return try record.domainValue()
        }
    }

    /// Extends the lease of a running job held by `owner` (the heartbeat) and reports whether cancellation was requested.
    public func renewLease(_ id: JobID, owner: String, leaseDuration: TimeInterval, now: Date = Date()) async throws -> LeaseRenewal {
        try await writer.write { db in
            guard var record = try Self.heldJob(id, owner: owner, in: db) else { return .lost }
            record.leaseExpiresAt = now.addingTimeInterval(leaseDuration)
            record.heartbeatAt = now
            try record.update(db)
            return .renewed(cancelRequested: record.cancelRequested)
        }
    }

    /// Records progress of a job held by `owner`; `false` when the lease is lost.
    @discardableResult
    public func recordProgress(_ id: JobID, owner: String, progress: JobProgress) async throws -> Bool {
        try await writer.write { db in
            guard var record = try Self.heldJob(id, owner: owner, in: db) else { return false }
            record.progress = try ObjectRows.json(progress)
            try record.update(db)
            return true
        }
    }

    /// Ends a job held by `owner`; `false` (and nothing written) when the lease was lost meanwhile.
    /// A backup or restore whose job fails or is cancelled before it reached a finished phase is marked `Failed`,
    /// so partial work never looks finished.
    @discardableResult
    public func finishJob(_ id: JobID, owner: String, outcome: JobOutcome, progress: JobProgress? = nil, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            guard var record = try Self.heldJob(id, owner: owner, in: db) else { return false }
            record.state = outcome.state.rawValue
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
            record.finishedAt = now
            if let progress { record.progress = try ObjectRows.json(progress) }
            switch outcome {
            case .succeeded:
                record.error = nil
            case .failed(let reason):
                record.error = reason
                try Self.failTarget(of: record, reason: reason, now: now, in: db)
            case .cancelled:
                record.error = nil
                try Self.failTarget(of: record, reason: "cancelled", now: now, in: db)
            }
            try record.update(db)
            return true
        }
    }

    /// Gives a running job back to the queue without counting the attempt (graceful shutdown ran out of time).
    @discardableResult
    public func releaseJob(_ id: JobID, owner: String, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            guard var record = try Self.heldJob(id, owner: owner, in: db) else { return false }
            record.state = JobState.queued.rawValue
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
            record.attempt = max(0, record.attempt - 1)
            record.dueAt = now
            try record.update(db)
            return true
        }
    }

    private static func heldJob(_ id: JobID, owner: String, in db: Database) throws -> JobRecord? {
        try JobRecord
            .filter(key: id.rawValue)
            .filter(JobRecord.Columns.state == JobState.running.rawValue)
            .filter(JobRecord.Columns.leaseOwner == owner)
            .fetchOne(db)
    }

    // MARK: - Cancellation

    /// Requests cancellation: a queued job is cancelled at once, a running one gets the flag its worker checks.
    /// Finished jobs are returned unchanged.
    @discardableResult
    public func requestCancellation(of id: JobID, now: Date = Date()) async throws -> Job {
        try await writer.write { db in
            var record = try Self.requireJob(id, in: db)
            switch JobState(rawValue: record.state) {
            case .queued:
                record.state = JobState.cancelled.rawValue
                record.cancelRequested = true
                record.finishedAt = now
                try Self.failTarget(of: record, reason: "cancelled before it started", now: now, in: db)
                try record.update(db)
            case .running:
                record.cancelRequested = true
                try record.update(db)
            default:
                break
            }
            return try record.domainValue()
        }
    }

    /// Whether cancellation of the job was requested.
    public func isCancellationRequested(_ id: JobID) async throws -> Bool {
        try await writer.read { db in try Self.requireJob(id, in: db).cancelRequested }
    }

    // MARK: - Recovery

    /// Recovers running jobs whose lease expired before `now` (their worker crashed, hung or was killed):
    /// a job with a pending cancel ends cancelled; a kind that is safe to retry (`JobKind.isSafeToRetryAfterCrash`)
    /// with fewer than `maxAttempts` attempts is requeued; anything else fails, and its backup or restore is marked
    /// `Failed` like Velero does at start-up. Run before the worker pool starts and periodically while it runs.
    @discardableResult
    public func recoverExpiredLeases(now: Date = Date(), maxAttempts: Int) async throws -> JobRecoveryReport {
        try await recover(now: now, maxAttempts: maxAttempts, onlyExpired: true)
    }

    /// Recovers every running job, expired or not. Only correct when no other process can hold a lease, which is
    /// the case at start-up of the single server that owns the data directory: leases left by the previous run
    /// are abandoned even if they have not expired yet.
    @discardableResult
    public func recoverInterruptedJobs(now: Date = Date(), maxAttempts: Int) async throws -> JobRecoveryReport {
        try await recover(now: now, maxAttempts: maxAttempts, onlyExpired: false)
    }

    private func recover(now: Date, maxAttempts: Int, onlyExpired: Bool) async throws -> JobRecoveryReport {
        try await writer.write { db in
            var request = JobRecord.filter(JobRecord.Columns.state == JobState.running.rawValue)
            if onlyExpired { request = request.filter(JobRecord.Columns.leaseExpiresAt < now) }
            var report = JobRecoveryReport()
            for var record in try request.order(JobRecord.Columns.id).fetchAll(db) {
                let id = JobID(record.id!)
                record.leaseOwner = nil
                record.leaseExpiresAt = nil
                if record.cancelRequested {
                    record.state = JobState.cancelled.rawValue
                    record.finishedAt = now
                    try Self.failTarget(of: record, reason: "cancelled", now: now, in: db)
                    report.cancelled.append(id)
                } else if JobKind(rawValue: record.kind).isSafeToRetryAfterCrash && record.attempt < maxAttempts {
                    record.state = JobState.queued.rawValue
                    record.dueAt = now
                    report.requeued.append(id)
                } else {
                    let reason = "interrupted: its worker stopped renewing the lease (server crash or kill) during attempt \(record.attempt)"
                    record.state = JobState.failed.rawValue
                    record.error = reason
                    record.finishedAt = now
                    try Self.failTarget(of: record, reason: "found a \(record.kind) in progress during the server starting", now: now, in: db)
                    report.failed.append(id)
                }
                try record.update(db)
            }
            return report
        }
    }

    /// Marks the backup or restore behind a failed or cancelled job `Failed`, unless it already finished.
    static func failTarget(of record: JobRecord, reason: String, now: Date, in db: Database) throws {
        switch JobKind(rawValue: record.kind) {
        case .backup:
            guard var backup = try ObjectRows.fetch(Backup.self, named: record.target, in: db), !backup.status.phase.isFinished,
                  backup.status.phase != .deleting else { return }
            backup.status.phase = .failed
            backup.status.failureReason = reason
            backup.status.completionTimestamp = now
            try ObjectRows.update(backup, in: db)
        case .restore:
            guard var restore = try ObjectRows.fetch(Restore.self, named: record.target, in: db), !restore.status.phase.isFinished
            else { return }
            restore.status.phase = .failed
            restore.status.failureReason = reason
            restore.status.completionTimestamp = now
            try ObjectRows.update(restore, in: db)
        default:
            return
        }
    }
}
