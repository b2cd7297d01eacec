import LifeboatStore
import NIOCore

/// Whole list responses of one kind, by query string, valid while the kind's list generation stays the same.
///
/// A dashboard and a CLI ask for the same first page over and over while nothing changes. Keyed by the raw query
/// and checked against `AppDatabase.listGeneration(of:)`, a repeated request costs a dictionary lookup and no
/// SQLite read, which takes the `GET /v1/backups` page from a read on GRDB's reader queue (a thread hop each way)
/// to the cost of a static response. The keeping rules are `GenerationCache`'s; the bounds here stop a client
/// paging through every `continue` token from growing it without limit.
struct RenderedPageCache: Sendable {
    private let pages: GenerationCache<String, ByteBuffer>

    init(byteCapacity: Int = 16 << 20, entryCapacity: Int = 256) {
        pages = GenerationCache(entryCapacity: entryCapacity, byteCapacity: byteCapacity, cost: { $0.readableBytes })
    }

    /// The response kept for `query` at exactly `generation`.
    func page(for query: String, at generation: UInt64) -> ByteBuffer? {
        pages.value(for: query, at: generation)
    }

    /// Keeps `page` as the response to `query` rendered from a read that began at `generation`.
    func file(_ page: ByteBuffer, for query: String, at generation: UInt64) {
        pages.file(page, for: query, at: generation)
    }

    /// How many responses and bytes are kept, for tests.
    var usage: (pages: Int, bytes: Int) {
        let usage = pages.usage
        return (usage.entries, usage.cost)
    }
}
