import Foundation
import LifeboatCore
import LifeboatEngine
import Synchronization

/// The engine's view of a running job: progress goes to the catalog (throttled by the context), and the job's
/// cancel flag stops the run between items.
struct JobMonitor: ExecutionMonitor {
    let context: JobContext
    /// Mirrors progress into the object's own status (a backup's `progress`), at most once per `mirrorInterval`.
    let mirror: @Sendable (_ completed: Int, _ total: Int?) async -> Void
    var mirrorInterval: TimeInterval = 1
    private let lastMirror = LastMirror()

    init(context: JobContext, mirror: @escaping @Sendable (_ completed: Int, _ total: Int?) async -> Void = { _, _ in }) {
        self.context = context
        self.mirror = mirror
    }

    func progress(completed: Int, total: Int?, message: String?) async {
        await context.reportProgress(JobProgress(completedItems: completed, totalItems: total, message: message))
        if lastMirror.claim(interval: mirrorInterval) { await mirror(completed, total) }
    }

    func checkCancellation() throws { try context.checkCancellation() }

    private final class LastMirror: Sendable {
        private let last = Mutex<Date?>(nil)

        func claim(interval: TimeInterval) -> Bool {
            last.withLock { last in
                let now = Date()
                if let previous = last, now.timeIntervalSince(previous) < interval { return false }
                last = now
                return true
            }
        }
    }
}
