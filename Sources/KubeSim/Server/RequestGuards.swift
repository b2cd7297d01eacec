import Foundation
import Synchronization

/// Rate limiting and deterministic fault injection, shared by all requests of one server.
final class RequestGuards: Sendable {
    private struct State {
        var windowStart: TimeInterval = 0
        var windowCount = 0
        var random: SplitMix64
    }

    private let state: Mutex<State>
    let rateLimit: Int?
    let failRate: Double

    init(rateLimit: Int?, failRate: Double, failSeed: UInt64) {
        self.rateLimit = rateLimit
        self.failRate = failRate
        state = Mutex(State(random: SplitMix64(seed: failSeed)))
    }

    /// Counts the request in the current one-second window; true when it is over the limit.
    func overRateLimit() -> Bool {
        guard let rateLimit else { return false }
        let now = Date().timeIntervalSince1970
        return state.withLock { state in
            if now - state.windowStart >= 1 {
                state.windowStart = now
                state.windowCount = 0
            }
            state.windowCount += 1
            return state.windowCount > rateLimit
        }
    }

    /// The injected failure for this request, if the dice say so: 500 or 503, deterministically from the seed.
    func injectedFault() -> StatusError? {
        guard failRate > 0 else { return nil }
        return state.withLock { state in
            let roll = Double(state.random.next() >> 11) / Double(1 << 53)
            guard roll < failRate else { return nil }
            if state.random.next() & 1 == 0 {
                return StatusError.internalError("injected fault")
            }
            return StatusError(code: 503, reason: "ServiceUnavailable", message: "injected fault: the server is currently unable to handle the request")
        }
    }
}

/// A tiny, seedable PRNG (Steele et al.) so `--fail-seed` gives the same fault sequence every run.
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
