/// What an engine run reports to whoever runs it (the server's job context, a test, a benchmark): progress
/// and cancellation. The engine knows nothing of jobs or the catalog, so it asks through this protocol.
public protocol ExecutionMonitor: Sendable {
    /// Called as items are processed; implementations throttle writes themselves.
    func progress(completed: Int, total: Int?, message: String?) async
    /// Throws when the run should stop (a cancel was requested); called between items.
    func checkCancellation() throws
}

/// A monitor that records nothing and never cancels, for tools and tests that only want the result.
public struct SilentMonitor: ExecutionMonitor {
    public init() {}
    public func progress(completed: Int, total: Int?, message: String?) async {}
    public func checkCancellation() throws {}
}

/// Thrown by an engine run that stopped because its monitor asked it to; the run's files are cleaned up or
/// left incomplete (never published) before it is thrown.
public struct RunCancelled: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the run was cancelled" }
}

extension ExecutionMonitor {
    /// `checkCancellation()` with the monitor's error turned into `RunCancelled`, so engines need not know it.
    func stopIfCancelled() throws(RunCancelled) {
        do { try checkCancellation() } catch { throw RunCancelled() }
    }
}
