import GRDB
import Synchronization

/// How many transactions have changed each observed table (the catalog's objects, tokens) since the database was
/// opened, counted in memory.
///
/// A list response is a pure function of its table's rows and the query, so a server may keep the response it
/// rendered and serve it again for as long as the table's generation has not moved, without reading SQLite at all.
/// The count comes from SQLite's own change hooks (a GRDB transaction observer on the single writer connection), so
/// every write is seen whichever method made it, including raw SQL and cascading deletes.
///
/// The generation is bumped after the commit and before the write returns to its caller, so a client sees its own
/// write in the next list it asks for. A reader that takes the generation *before* it reads can file what it read
/// under that generation safely: if a write committed in between, the generation has already moved past the entry.
final class CatalogGenerations: TransactionObserver, Sendable {
    private struct State {
        var generations: [String: UInt64] = [:]
        /// Tables the open transaction has changed so far; only the writer's queue touches it.
        var pending: Set<String> = []
    }

    private let tables: Set<String>
    private let state = Mutex(State())

    init(tables: Set<String>) {
        self.tables = tables
    }

    /// The number of committed transactions that changed `table`.
    func generation(of table: String) -> UInt64 {
        state.withLock { $0.generations[table, default: 0] }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        tables.contains(eventKind.tableName)
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let table = event.tableName
        state.withLock { _ = $0.pending.insert(table) }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            for table in state.pending { state.generations[table, default: 0] &+= 1 }
            state.pending.removeAll(keepingCapacity: true)
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.pending.removeAll(keepingCapacity: true) }
    }
}
