import GRDB
import LifeboatCore

/// Lists whose items the caller renders itself and may keep per object revision: the API's list responses.
///
/// Each call pages and filters exactly like the plain list of its kind (`backups(_:)` and the others). For every row
/// `reuse` is asked first; only when it returns nil are the row's documents decoded and `render` called, inside the
/// same read, so a rendering always belongs to the revision it is filed under.
extension AppDatabase {
    public func renderedClusters<Rendering: Sendable>(
        _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (Cluster, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await renderedPage(Cluster.self, options, reuse: reuse, render: render)
    }

    public func renderedLocations<Rendering: Sendable>(
        _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (BackupStorageLocation, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await renderedPage(BackupStorageLocation.self, options, reuse: reuse, render: render)
    }

    public func renderedBackups<Rendering: Sendable>(
        _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (Backup, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await renderedPage(Backup.self, options, reuse: reuse, render: render)
    }

    public func renderedRestores<Rendering: Sendable>(
        _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (Restore, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await renderedPage(Restore.self, options, reuse: reuse, render: render)
    }

    public func renderedSchedules<Rendering: Sendable>(
        _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (Schedule, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await renderedPage(Schedule.self, options, reuse: reuse, render: render)
    }

    /// The revision of one object as stored now; `.notFound` when absent. Tests use it to see writes bump it.
    public func revision<O: CatalogObject>(of type: O.Type, named name: String) async throws -> ObjectRevision {
        guard let table = (type as? any StoredObject.Type)?.table else {
            throw LifeboatError.conflict(reason: "\(O.kind) is not a catalog table")
        }
        return try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, uid, revision FROM \(table) WHERE name = ?", arguments: [name]) else {
                throw LifeboatError.notFound(kind: O.kind, name: name)
            }
            return ObjectRevision(name: row["name"], uid: row["uid"], revision: row["revision"])
        }
    }

    private func renderedPage<O: StoredObject, Rendering: Sendable>(
        _ type: O.Type, _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (O, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await writer.read { db in try ObjectRows.renderedList(O.self, options, in: db, reuse: reuse, render: render) }
    }
}
