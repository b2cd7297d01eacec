import Foundation
import GRDB
import LifeboatCore

extension AppDatabase {
    /// Stores a new restore in phase `New` and queues its job, in one transaction.
    ///
    /// Resolves the source as Velero does: `scheduleName` picks the schedule's most recent `Completed` backup and
    /// is recorded in `spec.backupName`; an unset `spec.cluster` becomes the backup's cluster. The source backup
    /// must be `Completed` or `PartiallyFailed`, and the target cluster registered.
    public func createRestore(_ restore: Restore, now: Date = Date()) async throws -> (restore: Restore, job: Job) {
        try restore.validate()
        return try await writer.write { db in
            var restore = restore
            let backup: Backup
            if let scheduleName = restore.spec.scheduleName {
                guard let name = try String.fetchOne(
                    db, sql: "SELECT name FROM backup WHERE schedule = ? AND phase = ? ORDER BY createdAt DESC, name DESC LIMIT 1",
                    arguments: [scheduleName.rawValue, BackupPhase.completed.rawValue])
                else {
                    throw LifeboatError.invalidArgument(field: "spec.scheduleName", reason: "schedule '\(scheduleName)' has no completed backup")
                }
                backup = try ObjectRows.require(Backup.self, named: name, in: db)
                restore.spec.backupName = backup.name
            } else {
                let name = restore.spec.backupName!  // validate() guarantees one of the two
                guard let found = try ObjectRows.fetch(Backup.self, named: name.rawValue, in: db) else {
                    throw LifeboatError.invalidArgument(field: "spec.backupName", reason: "backup '\(name)' does not exist")
                }
                backup = found
            }
            guard backup.status.phase == .completed || backup.status.phase == .partiallyFailed else {
                throw LifeboatError.invalidArgument(
                    field: "spec.backupName", reason: "backup '\(backup.name)' is \(backup.status.phase.rawValue); only Completed or PartiallyFailed backups can be restored")
            }
            let cluster = restore.spec.cluster ?? backup.spec.cluster
            guard try ObjectRows.exists(Cluster.self, named: cluster.rawValue, in: db) else {
                throw LifeboatError.invalidArgument(field: "spec.cluster", reason: "cluster '\(cluster)' is not registered")
            }
            restore.spec.cluster = cluster
            restore.status = RestoreStatus(phase: .new)
            try ObjectRows.insert(restore, in: db)
            let job = try Self.enqueue(kind: .restore, target: restore.name.rawValue, dueAt: now, now: now, in: db)
            return (restore, job)
        }
    }

    /// One restore; `.notFound` when absent.
    public func restore(named name: RestoreName) async throws -> Restore {
        try await writer.read { db in try ObjectRows.require(Restore.self, named: name.rawValue, in: db) }
    }

    /// A page of restores ordered by name, filtered by (target) cluster, phase and label selector.
    public func restores(_ options: ListOptions = ListOptions()) async throws -> ListPage<Restore> {
        try await writer.read { db in try ObjectRows.list(Restore.self, options, in: db) }
    }

    /// Every restore made from `backup`, ordered by name (the `backup` column; a deletion removes their data too).
    public func restores(ofBackup backup: BackupName) async throws -> [Restore] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT metadata, spec, status FROM restore WHERE backup = ? ORDER BY name", arguments: [backup.rawValue])
                .map { row throws -> Restore in try ObjectRows.object(row) }
        }
    }

    /// Replaces a restore's status.
    @discardableResult
    public func updateRestoreStatus(_ name: RestoreName, _ status: RestoreStatus) async throws -> Restore {
        try await writer.write { db in
            var restore = try ObjectRows.require(Restore.self, named: name.rawValue, in: db)
            restore.status = status
            try ObjectRows.update(restore, in: db)
            return restore
        }
    }

    /// Deletes a finished restore's catalog entry; refused while it runs.
    public func deleteRestore(named name: RestoreName) async throws {
        try await writer.write { db in
            let restore = try ObjectRows.require(Restore.self, named: name.rawValue, in: db)
            guard restore.status.phase.isFinished else {
                throw LifeboatError.conflict(reason: "restore '\(name)' is \(restore.status.phase.rawValue); cancel it or wait until it finishes")
            }
            try ObjectRows.delete(Restore.self, named: name.rawValue, in: db)
        }
    }
}
