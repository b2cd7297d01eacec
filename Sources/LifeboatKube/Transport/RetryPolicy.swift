/// Which failures are worth another attempt, and how long to wait before it.
enum RetryPolicy {
    /// Statuses that mean "the server could not handle it now". 429 is always safe to retry (the request was
    /// refused before it ran); the 5xx ones only for idempotent calls, because the first attempt may have
    /// been applied.
    static func isRetryable(status: Int, idempotent: Bool) -> Bool {
        switch status {
        case 429: true
        case 500, 502, 503, 504: idempotent
        default: false
        }
    }

    /// Exponential backoff with full jitter: uniformly random in `0...min(max, initial * 2^attempt)`, so
    /// clients that failed together do not retry together.
    static func backoff(attempt: Int, limits: ClientLimits) -> Duration {
        let initial = limits.initialBackoff / .nanoseconds(1)
        let cap = limits.maxBackoff / .nanoseconds(1)
        let ceiling = min(cap, initial * pow2(min(attempt, 30)))
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64(Double.random(in: 0...ceiling)))
    }

    /// The wait a 429/503 asked for: `Retry-After` in seconds (HTTP-date forms are ignored), capped.
    static func retryAfter(header: String?, limits: ClientLimits) -> Duration? {
        guard let header, let seconds = Double(header.trimmingWhitespace()), seconds >= 0 else { return nil }
        let requested = Duration.nanoseconds(Int64(seconds * 1e9))
        // A little jitter on top, so a crowd told "1 second" does not come back in the same millisecond.
        let jitter = Duration.nanoseconds(Int64(Double.random(in: 0...0.1) * 1e9))
        return min(requested, limits.maxBackoff * 3) + jitter
    }

    private static func pow2(_ exponent: Int) -> Double { Double(1 << exponent) }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
