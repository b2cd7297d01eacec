import GRDB
import LifeboatCore

/// Lists whose items the caller renders itself and may keep per object revision: the API's list responses.
extension AppDatabase {
    /// Pages and filters exactly like the plain list of the kind (`backups(_:)` and the others). For every row
    /// `reuse` is asked first; only when it returns nil are the row's documents decoded and `render` called, inside
    /// the same read, so a rendering always belongs to the revision it is filed under. Any catalog kind
    /// (`Cluster`, `BackupStorageLocation`, `Backup`, `Restore`, `Schedule`); another type is refused.
    public func renderedList<O: CatalogObject, Rendering: Sendable>(
        of type: O.Type, _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (O, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        guard let stored = type as? any StoredObject.Type else {
            throw LifeboatError.conflict(reason: "\(O.kind) is not a catalog table")
        }
        return try await renderedPage(stored, options, reuse: reuse) { object, revision in
            // `stored` is `O` itself, opened as a `StoredObject`, so the object is always an `O`.
            guard let object = object as? O else { throw LifeboatError.conflict(reason: "\(O.kind) row of another type") }
            return try render(object, revision)
        }
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

    private func renderedPage<S: StoredObject, Rendering: Sendable>(
        _ type: S.Type, _ options: ListOptions, reuse: @escaping @Sendable (ObjectRevision) -> Rendering?,
        render: @escaping @Sendable (any StoredObject, ObjectRevision) throws -> Rendering
    ) async throws -> ListPage<Rendering> {
        try await writer.read { db in
            try ObjectRows.renderedList(S.self, options, in: db, reuse: reuse) { object, revision in try render(object, revision) }
        }
    }
}
