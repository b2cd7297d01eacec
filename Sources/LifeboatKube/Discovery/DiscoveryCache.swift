/// Discovery results kept for a while, refreshed when stale or when a name does not resolve.
///
/// Like kubectl's deferred RESTMapper: a resource type created since the last pass (a restored CRD) is
/// found by refreshing on a miss, at most once per `minimumRefreshInterval` so typos do not hammer the
/// server. Concurrent callers share one in-flight discovery pass.
public actor DiscoveryCache {
    private let client: HTTPKubernetesClient
    private let timeToLive: Duration
    private let minimumRefreshInterval: Duration
    private var cached: (catalog: APIResourceCatalog, at: ContinuousClock.Instant)?
    private var inFlight: Task<APIResourceCatalog, any Error>?

    /// - Parameters:
    ///   - client: the cluster to ask; the cache does not own it.
    ///   - timeToLive: how long a pass stays valid (kubectl uses 10 minutes).
    ///   - minimumRefreshInterval: the shortest gap between refreshes triggered by resolution misses.
    public init(client: HTTPKubernetesClient, timeToLive: Duration = .seconds(600), minimumRefreshInterval: Duration = .seconds(1)) {
        self.client = client
        self.timeToLive = timeToLive
        self.minimumRefreshInterval = minimumRefreshInterval
    }

    /// The cached catalog, fetching it when absent or older than the time to live.
    public func catalog() async throws -> APIResourceCatalog {
        if let cached, ContinuousClock.now - cached.at < timeToLive { return cached.catalog }
        return try await refresh()
    }

    /// Discards the cache and runs a discovery pass now (after a CRD was created, for example).
    @discardableResult
    public func refresh() async throws -> APIResourceCatalog {
        if let inFlight { return try await inFlight.value }
        let client = self.client
        let task = Task { try await client.discover() }
        inFlight = task
        defer { inFlight = nil }
        let catalog = try await task.value
        cached = (catalog, .now)
        return catalog
    }

    /// `APIResourceCatalog.resolve(_:)`, refreshing once when the name is unknown.
    public func resolve(_ input: String) async throws -> APIResource? {
        let current = try await catalog()
        if let found = current.resolve(input) { return found }
        guard let cached, ContinuousClock.now - cached.at >= minimumRefreshInterval else { return nil }
        return try await refresh().resolve(input)
    }

    /// `APIResourceCatalog.resolveFilter(_:)` on the cached catalog.
    public func resolveFilter(_ inputs: [String]) async throws -> [String] {
        try await catalog().resolveFilter(inputs)
    }
}
