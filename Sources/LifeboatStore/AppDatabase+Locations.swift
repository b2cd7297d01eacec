import Foundation
import GRDB
import LifeboatCore

extension AppDatabase {
    /// Creates a backup storage location with its sealed credential and queues its validation, in one transaction.
    /// A new default location takes the default flag from any other (Velero: only one default survives).
    public func createLocation(_ location: BackupStorageLocation, credential: SealedCredential?, now: Date = Date())
        async throws -> (location: BackupStorageLocation, job: Job) {
        try location.validate()
        try Self.checkCredential(location.spec.credential, credential, field: "spec.credential")
        return try await writer.write { db in
            try ObjectRows.insert(location, in: db)
            if let credential { try Self.insertCredential(credential, now: now, in: db) }
            if location.spec.default == true { try Self.clearDefault(except: location.name.rawValue, in: db) }
            let job = try Self.enqueue(kind: .locationValidation, target: location.name.rawValue, dueAt: now, now: now, in: db)
            return (location, job)
        }
    }

    /// One location; `.notFound` when absent.
    public func location(named name: LocationName) async throws -> BackupStorageLocation {
        try await writer.read { db in try ObjectRows.require(BackupStorageLocation.self, named: name.rawValue, in: db) }
    }

    /// The default location, if one is marked.
    public func defaultLocation() async throws -> BackupStorageLocation? {
        try await writer.read { db in try Self.defaultLocation(in: db) }
    }

    static func defaultLocation(in db: Database) throws -> BackupStorageLocation? {
        try Row.fetchOne(db, sql: "SELECT metadata, spec, status FROM backupStorageLocation WHERE isDefault ORDER BY name LIMIT 1")
            .map { row throws -> BackupStorageLocation in try ObjectRows.object(row) }
    }

    /// A page of locations ordered by name.
    public func locations(_ options: ListOptions = ListOptions()) async throws -> ListPage<BackupStorageLocation> {
        try await writer.read { db in try ObjectRows.list(BackupStorageLocation.self, options, in: db) }
    }

    /// Replaces a location's spec (`backup-location set`), optionally with a new sealed credential that replaces
    /// the old one, and queues a new validation. Status and metadata are kept.
    public func updateLocationSpec(
        _ name: LocationName, spec: BackupStorageLocationSpec, credential: SealedCredential?, now: Date = Date()
    ) async throws -> (location: BackupStorageLocation, job: Job) {
        try spec.validate()
        return try await writer.write { db in
            var location = try ObjectRows.require(BackupStorageLocation.self, named: name.rawValue, in: db)
            let oldCredential = location.spec.credential
            if let credential {
                guard spec.credential == credential.id else {
                    throw LifeboatError.invalidArgument(field: "spec.credential", reason: "does not name the credential supplied with the request")
                }
                try Self.insertCredential(credential, now: now, in: db)
            } else if spec.credential != oldCredential {
                throw LifeboatError.invalidArgument(field: "spec.credential", reason: "can only change together with a new credential")
            }
            if oldCredential != spec.credential { try Self.deleteCredential(oldCredential, in: db) }
            location.spec = spec
            try ObjectRows.update(location, in: db)
            if spec.default == true { try Self.clearDefault(except: name.rawValue, in: db) }
            let job = try Self.enqueue(kind: .locationValidation, target: name.rawValue, dueAt: now, now: now, in: db)
            return (location, job)
        }
    }

    /// Records the result of a validation (or a sync).
    @discardableResult
    public func updateLocationStatus(_ name: LocationName, _ status: BackupStorageLocationStatus) async throws -> BackupStorageLocation {
        try await writer.write { db in
            var location = try ObjectRows.require(BackupStorageLocation.self, named: name.rawValue, in: db)
            location.status = status
            try ObjectRows.update(location, in: db)
            return location
        }
    }

    /// Deletes a location, its credential and the catalog entries of its finished backups (the data in the bucket
    /// is untouched, as with `velero backup-location delete`). Refused while a backup into it is unfinished or a
    /// schedule targets it.
    public func deleteLocation(named name: LocationName) async throws {
        try await writer.write { db in
            let location = try ObjectRows.require(BackupStorageLocation.self, named: name.rawValue, in: db)
            let finished = BackupPhase.allCases.filter(\.isFinished).map(\.rawValue)
            if let busy = try String.fetchOne(
                db, sql: "SELECT name FROM backup WHERE location = ? AND phase NOT IN (\(finished.map { _ in "?" }.joined(separator: ","))) LIMIT 1",
                arguments: StatementArguments([name.rawValue] + finished)) {
                throw LifeboatError.conflict(reason: "backup '\(busy)' in location '\(name)' is not finished")
            }
            for schedule in try ObjectRows.list(Schedule.self, ListOptions(), in: db).items
            where schedule.spec.template.storageLocation == name {
                throw LifeboatError.conflict(reason: "location '\(name)' is used by schedule '\(schedule.name)'")
            }
            try db.execute(sql: "DELETE FROM restore WHERE backup IN (SELECT name FROM backup WHERE location = ?)", arguments: [name.rawValue])
            try db.execute(sql: "DELETE FROM backup WHERE location = ?", arguments: [name.rawValue])
            try ObjectRows.delete(BackupStorageLocation.self, named: name.rawValue, in: db)
            try Self.deleteCredential(location.spec.credential, in: db)
        }
    }

    private static func clearDefault(except name: String, in db: Database) throws {
        let others = try Row.fetchAll(db, sql: "SELECT metadata, spec, status FROM backupStorageLocation WHERE isDefault AND name != ?",
                                      arguments: [name])
        for row in others {
            var other: BackupStorageLocation = try ObjectRows.object(row)
            other.spec.default = false
            try ObjectRows.update(other, in: db)
        }
    }
}
