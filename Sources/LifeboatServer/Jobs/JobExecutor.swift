import LifeboatCore

/// Runs one kind of job (cluster check, location validation, backup, restore …). Registered with the
/// `WorkerPool`, which claims jobs of the executor's kind, keeps their lease alive and records the outcome.
///
/// Return normally for success and throw for failure; the thrown error's description becomes the job's `error`,
/// so it must never contain secret material. Throw `JobCancelled` (via `context.checkCancellation()`) to stop
/// early when a cancel was requested; check between items.
public protocol JobExecutor: Sendable {
    /// The kind of job this executor runs.
    var kind: JobKind { get }

    /// Does the work of `job`.
    func execute(_ job: Job, context: JobContext) async throws
}

/// Thrown by `JobContext.checkCancellation()`; the pool records the job as cancelled.
public struct JobCancelled: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}
    public var description: String { "the job was cancelled" }
}
