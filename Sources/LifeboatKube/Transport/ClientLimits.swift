/// How hard one client may push one cluster, and how patiently it retries. Configurable per cluster.
///
/// The defaults follow kubectl (50 QPS, burst 100) rather than client-go's conservative 5/10, because a
/// backup lists every resource type of a cluster and a restore creates thousands of objects.
public struct ClientLimits: Sendable, Equatable {
    /// Sustained requests per second; zero or less disables the rate limit.
    public var queriesPerSecond: Double
    /// Requests that may go out at once after an idle period.
    public var burst: Int
    /// Requests in flight at the same time (a watch holds a slot only until its answer starts).
    public var maxConcurrentRequests: Int
    /// Retries after the first attempt for a retryable failure.
    public var maxRetries: Int
    /// First backoff; doubled per retry, capped at `maxBackoff`, with full jitter.
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(
        queriesPerSecond: Double = 50, burst: Int = 100, maxConcurrentRequests: Int = 32, maxRetries: Int = 8,
        initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(10)
    ) {
        self.queriesPerSecond = queriesPerSecond
        self.burst = max(1, burst)
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.maxRetries = max(0, maxRetries)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}
