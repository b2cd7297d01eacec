import Synchronization

/// Values computed from a table as it stood at one generation (`CatalogGenerations`), kept until it moves.
///
/// The catalog's read paths that run on every request (a repeated list page, a bearer token) keep their answer here
/// and check it against the generation the caller read *before* computing it: a write that committed in between
/// has already moved the generation, so a stale value can be filed but is never returned. Only the newest
/// generation is kept; the first value filed under a newer one drops the rest. Past `entryCapacity` entries or
/// `byteCapacity` (as `cost` counts) it starts over, so many distinct keys cannot grow it without bound.
public final class GenerationCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var values: [Key: Value] = [:]
        var cost = 0
    }

    private let state = Mutex(State())
    public let entryCapacity: Int
    public let byteCapacity: Int
    private let cost: @Sendable (Value) -> Int

    public init(entryCapacity: Int, byteCapacity: Int = .max, cost: @escaping @Sendable (Value) -> Int = { _ in 0 }) {
        self.entryCapacity = entryCapacity
        self.byteCapacity = byteCapacity
        self.cost = cost
    }

    /// The value kept for `key` at exactly `generation`.
    public func value(for key: Key, at generation: UInt64) -> Value? {
        state.withLock { state in state.generation == generation ? state.values[key] : nil }
    }

    /// Keeps `value` as computed from a read that began at `generation`, unless a newer generation is kept already.
    public func file(_ value: Value, for key: Key, at generation: UInt64) {
        let size = cost(value)
        state.withLock { state in
            if generation < state.generation { return }
            if generation > state.generation {
                state = State(generation: generation)
            }
            if state.values[key] != nil || size > byteCapacity { return }
            if state.cost + size > byteCapacity || state.values.count >= entryCapacity {
                state = State(generation: generation)
            }
            state.values[key] = value
            state.cost += size
        }
    }

    /// How many values and how much `cost` are kept, for tests.
    public var usage: (entries: Int, cost: Int) {
        state.withLock { ($0.values.count, $0.cost) }
    }
}
