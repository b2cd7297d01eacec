/// Client-side flow control for one cluster: a token bucket (QPS + burst) and a cap on requests in flight.
///
/// Throttling on our side keeps a backup from tripping the API server's priority-and-fairness limits, which
/// would answer 429 for every other client of the cluster too.
actor RequestThrottle {
    private let limits: ClientLimits
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limits: ClientLimits) {
        self.limits = limits
        self.tokens = Double(limits.burst)
        self.lastRefill = .now
    }

    /// Waits for a rate token, then for a free slot. Every successful call must be paired with `release()`.
    nonisolated func acquire() async throws {
        let wait = await reserveToken()
        if wait > .zero { try await Task.sleep(for: wait) }
        await acquireSlot()
    }

    /// Takes a token now (the balance may go negative) and says how long the caller must wait for it.
    private func reserveToken() -> Duration {
        guard limits.queriesPerSecond > 0 else { return .zero }
        let now = ContinuousClock.now
        let elapsed = now - lastRefill
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(Double(limits.burst), tokens + seconds * limits.queriesPerSecond)
        lastRefill = now
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .nanoseconds(Int64(-tokens / limits.queriesPerSecond * 1e9))
    }

    private func acquireSlot() async {
        if inFlight < limits.maxConcurrentRequests {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a slot, handing it straight to the longest waiter.
    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
