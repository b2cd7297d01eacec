import NIOCore
import Synchronization

/// Whole list responses of one kind, by query string, valid while the kind's catalog generation stays the same.
///
/// A dashboard and a CLI ask for the same first page over and over while nothing changes. Keyed by the raw query
/// and checked against `AppDatabase.listGeneration(of:)`, a repeated request costs a dictionary lookup and no
/// SQLite read, which takes the `GET /v1/backups` page from a read on GRDB's reader queue (a thread hop each way)
/// to the cost of a static response. Only the current generation is kept: the first response filed under a newer
/// generation drops the rest. Past `byteCapacity` or `entryCapacity` it starts over, so many distinct queries
/// (a client paging through every `continue` token) cannot grow it without bound.
final class RenderedPageCache: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var pages: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    let byteCapacity: Int
    let entryCapacity: Int

    init(byteCapacity: Int = 16 << 20, entryCapacity: Int = 256) {
        self.byteCapacity = byteCapacity
        self.entryCapacity = entryCapacity
    }

    /// The response kept for `query` at exactly `generation`.
    func page(for query: String, at generation: UInt64) -> ByteBuffer? {
        state.withLock { state in state.generation == generation ? state.pages[query] : nil }
    }

    /// Keeps `page` as the response to `query` rendered from a read that began at `generation` (taken before the
    /// read), unless a newer generation is already kept.
    func file(_ page: ByteBuffer, for query: String, at generation: UInt64) {
        state.withLock { state in
            if generation < state.generation { return }
            if generation > state.generation {
                state.generation = generation
                state.pages.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            if state.pages[query] != nil || page.readableBytes > byteCapacity { return }
            if state.bytes + page.readableBytes > byteCapacity || state.pages.count >= entryCapacity {
                state.pages.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            state.pages[query] = page
            state.bytes += page.readableBytes
        }
    }

    /// How many responses and bytes are kept, for tests.
    var usage: (pages: Int, bytes: Int) {
        state.withLock { ($0.pages.count, $0.bytes) }
    }
}
