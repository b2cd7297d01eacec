import LifeboatCore
import LifeboatEngine

/// How a backup or restore job ends when its engine run does not: a cancel becomes `JobCancelled` (the pool records
/// the job cancelled), any other error a conflict naming the object; in both cases `markFailed` first puts the
/// reason into the object's status, so the catalog never shows a run that stopped as still in progress.
func finishingEngineRun<Outcome>(
    _ what: String, cancelledReason: String, markFailed: (String) async throws -> Void, _ run: () async throws -> Outcome
) async throws -> Outcome {
    do {
        return try await run()
    } catch is RunCancelled {
        try await markFailed(cancelledReason)
        throw JobCancelled()
    } catch {
        let reason = BackupEngine.reason(error)
        try await markFailed(reason)
        throw LifeboatError.conflict(reason: "\(what) failed: \(reason)")
    }
}
