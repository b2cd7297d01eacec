import LifeboatCore
import Synchronization

/// The live tokens recently authenticated, by hash, so a request's bearer check is a dictionary lookup instead of a
/// read on the catalog's queue.
///
/// Correct only because one process owns the catalog (the data-directory lock) and every revocation goes through
/// `AppDatabase.revokeToken`, which drops the token here in the same call. Unknown hashes are never kept, so
/// guessing tokens cannot fill it; past `capacity` entries it starts over.
///
/// A lookup that read the token before a revocation committed must not file it afterwards: `remember` takes the
/// `generation` seen before the read and files nothing when a `forget` came in between.
final class TokenCache: Sendable {
    private struct State {
        var entries: [String: TokenInfo] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func token(hash: String) -> TokenInfo? {
        state.withLock { $0.entries[hash] }
    }

    /// Read before looking the token up in the catalog; pass to `remember`.
    var generation: UInt64 { state.withLock { $0.generation } }

    func remember(_ token: TokenInfo, hash: String, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity, state.entries[hash] == nil { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = token
        }
    }

    func forget(named name: TokenName) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.name != name }
            state.generation &+= 1
        }
    }
}
