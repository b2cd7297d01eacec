import Foundation
import GRDB
import LifeboatCore

/// The catalog: every cluster, location, backup, restore, schedule, token, sealed credential and job, in SQLite.
///
/// Each write is one intention-revealing method running in one transaction. GRDB types never leave this module:
/// callers see `LifeboatCore` values and `LifeboatError`s.
///
/// ```swift
/// let database = try AppDatabase.open(in: dataDirectory)      // production: WAL file in the data dir
/// let database = try AppDatabase.inMemory()                    // tests: private, one per test
/// ```
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Counts the writes to each catalog table and to the token table; shared by every copy of this value.
    let generations = CatalogGenerations(tables: Set(AppDatabase.catalogTypes.map { $0.table } + [AppDatabase.tokenTable]))
    /// Live tokens by hash for the token table's current generation (a revocation moves it), shared like the writer.
    /// Unknown hashes are never kept, so guessing tokens cannot fill it.
    let tokenCache = GenerationCache<String, TokenInfo>(entryCapacity: 4096)

    /// Wraps a GRDB writer and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
        writer.add(transactionObserver: generations, extent: .observerLifetime)
    }

    /// A number that changes whenever a committed write changes any object of kind `O`, so a list response
    /// rendered while it had one value can be served again until it has another (`CatalogGenerations`). Read it
    /// before reading the list that is to be kept under it. Kinds that are not catalog tables stay at 0.
    public func listGeneration<O: CatalogObject>(of type: O.Type) -> UInt64 {
        guard let table = (type as? any StoredObject.Type)?.table else { return 0 }
        return generations.generation(of: table)
    }

    static let tokenTable = "token"

    private static let catalogTypes: [any StoredObject.Type] = [
        Cluster.self, BackupStorageLocation.self, Backup.self, Restore.self, Schedule.self,
    ]

    /// The database file inside a data directory.
    public static let fileName = "lifeboat.sqlite"

    /// Production: a `DatabasePool` in WAL mode in `directory` (the `-wal` and `-shm` files live beside it).
    /// Concurrent readers never block the single writer; writers wait up to 5 s for each other.
    public static func open(in directory: URL) throws -> AppDatabase {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "lifeboat.catalog"
        let path = directory.appendingPathComponent(fileName).path
        return try AppDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// Tests: a private in-memory database.
    public static func inMemory() throws -> AppDatabase {
        var configuration = Configuration()
        configuration.label = "lifeboat.catalog.memory"
        return try AppDatabase(DatabaseQueue(configuration: configuration))
    }

    /// The journal mode SQLite reports (`wal` for `open(in:)`), for tests and the readiness probe.
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
