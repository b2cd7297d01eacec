import Foundation
import GRDB
import LifeboatCore

/// How a catalog kind maps onto its table: the shared columns (name, uid, createdAt, phase, labels and the
/// JSON documents) plus the kind's own indexed columns.
protocol StoredObject: CatalogObject {
    static var table: String { get }
    /// Whether the table has a `cluster` column that `ListOptions.cluster` filters on.
    static var hasClusterColumn: Bool { get }
    var phaseValue: String? { get }
    /// Kind-specific indexed columns, derived from the object on every write.
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] { get }
}

extension Cluster: StoredObject {
    static let table = "cluster"
    static let hasClusterColumn = false
    var phaseValue: String? { status.phase?.rawValue }
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] { [] }
}

extension BackupStorageLocation: StoredObject {
    static let table = "backupStorageLocation"
    static let hasClusterColumn = false
    var phaseValue: String? { status.phase?.rawValue }
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] { [("isDefault", spec.default ?? false)] }
}

extension Backup: StoredObject {
    static let table = "backup"
    static let hasClusterColumn = true
    var phaseValue: String? { status.phase.rawValue }
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] {
        [("cluster", spec.cluster.rawValue), ("location", spec.storageLocation?.rawValue),
         ("schedule", metadata.labels[Backup.scheduleNameLabel])]
    }
}

extension Restore: StoredObject {
    static let table = "restore"
    static let hasClusterColumn = true
    var phaseValue: String? { status.phase.rawValue }
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] {
        [("cluster", spec.cluster?.rawValue), ("backup", spec.backupName?.rawValue)]
    }
}

extension Schedule: StoredObject {
    static let table = "schedule"
    static let hasClusterColumn = true
    var phaseValue: String? { status.phase.rawValue }
    var extraColumns: [(name: String, value: (any DatabaseValueConvertible)?)] { [("cluster", spec.template.cluster.rawValue)] }
}

/// Generic row mapping and queries shared by every kind; one call = one statement inside the caller's transaction.
enum ObjectRows {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder  // default date strategy: exact Double round trip
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    private static func columns<O: StoredObject>(_ object: O) throws -> [(name: String, value: (any DatabaseValueConvertible)?)] {
        [("name", object.metadata.name.rawValue), ("uid", object.metadata.uid.uuidString.lowercased()),
         ("createdAt", object.metadata.creationTimestamp), ("phase", object.phaseValue),
         ("labels", try json(object.metadata.labels)), ("metadata", try json(object.metadata)),
         ("spec", try json(object.spec)), ("status", try json(object.status))] + object.extraColumns
    }

    static func insert<O: StoredObject>(_ object: O, in db: Database) throws {
        if try exists(O.self, named: object.metadata.name.rawValue, in: db) {
            throw LifeboatError.alreadyExists(kind: O.kind, name: object.metadata.name.rawValue)
        }
        let columns = try columns(object)
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(O.table) (\(names)) VALUES (\(placeholders))",
                       arguments: StatementArguments(columns.map(\.value)))
    }

    /// Rewrites every column of an existing object (the name is immutable) and bumps its revision.
    static func update<O: StoredObject>(_ object: O, in db: Database) throws {
        let columns = try columns(object).filter { $0.name != "name" }
        let assignments = (columns.map { "\($0.name) = ?" } + ["revision = revision + 1"]).joined(separator: ", ")
        try db.execute(sql: "UPDATE \(O.table) SET \(assignments) WHERE name = ?",
                       arguments: StatementArguments(columns.map(\.value) + [object.metadata.name.rawValue]))
        if db.changesCount == 0 { throw LifeboatError.notFound(kind: O.kind, name: object.metadata.name.rawValue) }
    }

    static func exists<O: StoredObject>(_ type: O.Type, named name: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(O.table) WHERE name = ?)", arguments: [name]) ?? false
    }

    static func fetch<O: StoredObject>(_ type: O.Type, named name: String, in db: Database) throws -> O? {
        try Row.fetchOne(db, sql: "SELECT metadata, spec, status FROM \(O.table) WHERE name = ?", arguments: [name])
            .map(object)
    }

    static func require<O: StoredObject>(_ type: O.Type, named name: String, in db: Database) throws -> O {
        guard let object = try fetch(type, named: name, in: db) else { throw LifeboatError.notFound(kind: O.kind, name: name) }
        return object
    }

    static func object<O: StoredObject>(_ row: Row) throws -> O {
        guard let metadata: String = row["metadata"], let spec: String = row["spec"], let status: String = row["status"] else {
            throw LifeboatError.conflict(reason: "a catalog row of \(O.table) is incomplete")
        }
        return try decodeObject(metadata: metadata, spec: spec, status: status)
    }

    private static func decodeObject<O: StoredObject>(metadata: String, spec: String, status: String) throws -> O {
        let decoder = JSONDecoder()
        return O(metadata: try decoder.decode(ObjectMeta<O.Name>.self, from: Data(metadata.utf8)),
                 spec: try decoder.decode(O.Spec.self, from: Data(spec.utf8)),
                 status: try decoder.decode(O.Status.self, from: Data(status.utf8)))
    }

    static func delete<O: StoredObject>(_ type: O.Type, named name: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM \(O.table) WHERE name = ?", arguments: [name])
        if db.changesCount == 0 { throw LifeboatError.notFound(kind: O.kind, name: name) }
    }

    /// Keyset-paged, filtered list ordered by name. Filters, the label selector included, run in SQL, so a page
    /// is always full when enough matching rows exist and the continue token always points past the last item.
    static func list<O: StoredObject>(_ type: O.Type, _ options: ListOptions, in db: Database) throws -> ListPage<O> {
        try page(O.self, options, columns: "name, metadata, spec, status", in: db, decode: { row throws -> O in try object(row) },
                 name: { $0.metadata.name.rawValue })
    }

    /// The same page as `list`, each row turned into the caller's rendering of it: `reuse` is asked first with the
    /// row's revision, and only when it has nothing are the row's JSON documents decoded and `render` called, so a
    /// page of unchanged objects costs no JSON work at all.
    static func renderedList<O: StoredObject, Rendering>(
        _ type: O.Type, _ options: ListOptions, in db: Database,
        reuse: (ObjectRevision) -> Rendering?, render: (O, ObjectRevision) throws -> Rendering
    ) throws -> ListPage<Rendering> {
        let page = try page(
            O.self, options, columns: "name, uid, revision, metadata, spec, status", in: db,
            decode: { row throws -> (String, Rendering) in
                let revision = ObjectRevision(name: row["name"], uid: row["uid"], revision: row["revision"])
                if let reused = reuse(revision) { return (revision.name, reused) }
                return (revision.name, try render(try object(row) as O, revision))
            },
            name: { $0.0 })
        return ListPage(items: page.items.map(\.1), continueToken: page.continueToken)
    }

    private static func page<O: StoredObject, Item>(
        _ type: O.Type, _ options: ListOptions, columns: String, in db: Database,
        decode: (Row) throws -> Item, name: (Item) -> String
    ) throws -> ListPage<Item> {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let cluster = options.cluster, O.hasClusterColumn {
            clauses.append("cluster = ?")
            arguments.append(cluster.rawValue)
        }
        if let phase = options.phase, !phase.isEmpty {
            clauses.append("phase = ?")
            arguments.append(phase)
        }
        if let selector = options.labelSelector {
            try selector.validate(field: "labelSelector")
            let (sql, selectorArguments) = LabelSelectorSQL.whereClause(selector)
            clauses.append(contentsOf: sql)
            arguments.append(contentsOf: selectorArguments)
        }
        return try KeysetPage.fetch(db, select: "SELECT \(columns) FROM \(O.table)", filters: clauses, arguments: arguments,
                                    options: options, decode: decode, name: name)
    }
}

/// Translates a label selector into SQL over the `labels` JSON column.
enum LabelSelectorSQL {
    /// Label keys are validated qualified names (`[A-Za-z0-9._/-]`), so quoting them in a JSON path is safe.
    static func path(_ key: String) -> String { "$.\"\(key)\"" }

    static func whereClause(_ selector: LabelSelector) -> (sql: [String], arguments: [(any DatabaseValueConvertible)?]) {
        var sql: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        for (key, value) in (selector.matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
            sql.append("json_extract(labels, ?) = ?")
            arguments += [path(key), value]
        }
        for requirement in selector.matchExpressions ?? [] {
            let values = requirement.values ?? []
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            switch requirement.operator {
            case .in:
                sql.append("json_extract(labels, ?) IN (\(placeholders))")
                arguments.append(path(requirement.key))
            case .notIn:
                sql.append("(json_extract(labels, ?) IS NULL OR json_extract(labels, ?) NOT IN (\(placeholders)))")
                arguments += [path(requirement.key), path(requirement.key)]
            case .exists:
                sql.append("json_type(labels, ?) IS NOT NULL")
                arguments.append(path(requirement.key))
            case .doesNotExist:
                sql.append("json_type(labels, ?) IS NULL")
                arguments.append(path(requirement.key))
            }
            if requirement.operator == .in || requirement.operator == .notIn {
                arguments.append(contentsOf: values.map { $0 as (any DatabaseValueConvertible)? })
            }
        }
        return (sql, arguments)
    }
}
