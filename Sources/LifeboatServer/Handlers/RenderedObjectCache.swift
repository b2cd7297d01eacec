import LifeboatStore
import NIOCore
import Synchronization

/// The encoded API documents of one kind's objects, by name, each valid for the revision it was rendered at.
///
/// Lists are read far more often than objects change: a dashboard polls, a CLI pages through 10,000 backups. The
/// catalog bumps an object's revision on every write, so a document filed under `(uid, revision)` is exactly what
/// rendering that row again would produce, and a list of unchanged objects becomes a copy of bytes. Entries of
/// deleted objects stay until the cache fills; past `byteCapacity` it starts over (each object is then rendered
/// once more), so memory stays bounded whatever the catalog's size.
final class RenderedObjectCache: Sendable {
    private struct Entry {
        var uid: String
        var revision: Int64
        var document: ByteBuffer
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    let byteCapacity: Int

    init(byteCapacity: Int = 32 << 20) {
        self.byteCapacity = byteCapacity
    }

    /// The document rendered for exactly this revision of the object, if kept.
    func document(for revision: ObjectRevision) -> ByteBuffer? {
        state.withLock { state in
            guard let entry = state.entries[revision.name], entry.revision == revision.revision, entry.uid == revision.uid else {
                return nil
            }
            return entry.document
        }
    }

    /// Keeps `document` as the rendering of `revision` and returns it. An older revision's document is replaced;
    /// a newer one already filed (a concurrent list read the row later) is kept.
    @discardableResult
    func file(_ document: ByteBuffer, for revision: ObjectRevision) -> ByteBuffer {
        state.withLock { state in
            if let existing = state.entries[revision.name], existing.uid == revision.uid, existing.revision > revision.revision {
                return
            }
            if state.bytes + document.readableBytes > byteCapacity {
                state.entries.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            let replaced = state.entries.updateValue(Entry(uid: revision.uid, revision: revision.revision, document: document), forKey: revision.name)
            state.bytes += document.readableBytes - (replaced?.document.readableBytes ?? 0)
        }
        return document
    }

    /// How many documents and bytes are kept, for tests.
    var usage: (documents: Int, bytes: Int) {
        state.withLock { ($0.entries.count, $0.bytes) }
    }
}
