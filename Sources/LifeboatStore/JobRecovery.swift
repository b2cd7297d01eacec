import LifeboatCore

/// What `recoverExpiredLeases` did.
public struct JobRecoveryReport: Sendable, Hashable {
    /// Jobs put back in the queue for another attempt.
    public var requeued: [JobID] = []
    /// Jobs failed by policy (not safe to retry, or out of attempts).
    public var failed: [JobID] = []
    /// Jobs whose cancellation had been requested: they end cancelled instead of running again.
    public var cancelled: [JobID] = []

    public init(requeued: [JobID] = [], failed: [JobID] = [], cancelled: [JobID] = []) {
        self.requeued = requeued
        self.failed = failed
        self.cancelled = cancelled
    }

    /// Whether nothing needed recovering.
    public var isEmpty: Bool { requeued.isEmpty && failed.isEmpty && cancelled.isEmpty }
}

/// The answer to a lease renewal (the worker's heartbeat).
public enum LeaseRenewal: Sendable, Hashable {
    /// The lease is extended; `cancelRequested` tells the worker whether to stop between items.
    case renewed(cancelRequested: Bool)
    /// The worker no longer holds the job (it was recovered or finished elsewhere) and must stop without recording anything.
    case lost
}
