import Foundation

/// The unit of background work behind backups, restores, deletions, validations and syncs. The catalog is the
/// queue: a job is claimed by one worker under a lease that the worker renews while it runs.
public struct Job: Sendable, Hashable, Codable, Identifiable {
    public var id: JobID
    public var kind: JobKind
    /// The object the job works on, e.g. the backup's name.
    public var target: String
    public var state: JobState
    /// How many times a worker claimed the job (1 on the first run).
    public var attempt: Int
    /// The worker holding the lease while `state == .running`.
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// The last lease renewal.
    public var heartbeatAt: Date?
    public var progress: JobProgress?
    /// Why the job failed (never secret material).
    public var error: String?
    /// Set by a cancel request; the worker checks it between items.
    public var cancelRequested: Bool
    public var createdAt: Date
    /// Not claimed before this time.
    public var dueAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(id: JobID, kind: JobKind, target: String, state: JobState, attempt: Int = 0, leaseOwner: String? = nil,
                leaseExpiresAt: Date? = nil, heartbeatAt: Date? = nil, progress: JobProgress? = nil, error: String? = nil,
                cancelRequested: Bool = false, createdAt: Date, dueAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.target = target
        self.state = state
        self.attempt = attempt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.heartbeatAt = heartbeatAt
        self.progress = progress
        self.error = error
        self.cancelRequested = cancelRequested
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A job's catalog id.
public struct JobID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "\(rawValue)" }
    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a job does; an open set so later subsystems add kinds without touching this file.
public struct JobKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Calls a cluster's `/version` and records Ready/Unreachable.
    public static let clusterCheck: JobKind = "clusterCheck"
    /// Checks a backup storage location and records Available/Unavailable.
    public static let locationValidation: JobKind = "locationValidation"
    /// Imports backups found in a location.
    public static let locationSync: JobKind = "locationSync"
    /// Runs a backup (target: backup name).
    public static let backup: JobKind = "backup"
    /// Runs a restore (target: restore name).
    public static let restore: JobKind = "restore"
    /// Deletes a backup's data, then its catalog entry (target: backup name).
    public static let backupDeletion: JobKind = "backupDeletion"

    /// Whether a run interrupted by a crash may simply be run again. Backups and restores may not: like Velero,
    /// which marks an `InProgress` backup `Failed` at start-up, we never resume or silently redo them.
    public var isSafeToRetryAfterCrash: Bool { self != .backup && self != .restore }
}

/// Lifecycle of a job: queued → running → succeeded | failed | cancelled (and running → queued on requeue).
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
    case cancelled

    /// Terminal states never change again.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// Progress a running job reports, at most about once a second.
public struct JobProgress: Sendable, Hashable, Codable {
    public var completedItems: Int
    public var totalItems: Int?
    /// A short human-readable step, e.g. `uploading tarball`.
    public var message: String?

    public init(completedItems: Int = 0, totalItems: Int? = nil, message: String? = nil) {
        self.completedItems = completedItems
        self.totalItems = totalItems
        self.message = message
    }
}

/// How a job ended, as the worker records it.
public enum JobOutcome: Sendable, Hashable {
    case succeeded
    case failed(reason: String)
    case cancelled

    /// The state the outcome leaves the job in.
    public var state: JobState {
        switch self {
        case .succeeded: .succeeded
        case .failed: .failed
        case .cancelled: .cancelled
        }
    }
}
