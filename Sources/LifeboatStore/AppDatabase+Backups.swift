import Foundation
import GRDB
import LifeboatCore

extension AppDatabase {
    /// Stores a new backup in phase `New` and queues its job, in one transaction.
    ///
    /// Resolves what Velero's controller fills in: no `spec.storageLocation` means the default location, which is
    /// written into the spec and the `velero.io/storage-location` label. The cluster must be registered and the
    /// location must exist and accept backups (not `ReadOnly`).
    public func createBackup(_ backup: Backup, now: Date = Date()) async throws -> (backup: Backup, job: Job) {
        try backup.validate()
        return try await writer.write { db in
            let backup = try Self.prepareNewBackup(backup, in: db)
            try ObjectRows.insert(backup, in: db)
            let job = try Self.enqueue(kind: .backup, target: backup.name.rawValue, dueAt: now, now: now, in: db)
            return (backup, job)
        }
    }

    static func prepareNewBackup(_ backup: Backup, field prefix: String = "spec.", in db: Database) throws -> Backup {
        var backup = backup
        guard try ObjectRows.exists(Cluster.self, named: backup.spec.cluster.rawValue, in: db) else {
            throw LifeboatError.invalidArgument(field: "\(prefix)cluster", reason: "cluster '\(backup.spec.cluster)' is not registered")
        }
        let location: BackupStorageLocation
        if let name = backup.spec.storageLocation {
            guard let found = try ObjectRows.fetch(BackupStorageLocation.self, named: name.rawValue, in: db) else {
                throw LifeboatError.invalidArgument(field: "\(prefix)storageLocation", reason: "backup location '\(name)' does not exist")
            }
            location = found
        } else {
            guard let found = try defaultLocation(in: db) else {
                throw LifeboatError.invalidArgument(field: "\(prefix)storageLocation", reason: "no location given and no default location is set")
            }
            location = found
        }
        if location.spec.effectiveAccessMode == .readOnly {
            throw LifeboatError.invalidArgument(field: "\(prefix)storageLocation", reason: "backup location '\(location.name)' is ReadOnly")
        }
        backup.spec.storageLocation = location.name
        backup.metadata.labels[Backup.storageLocationLabel] = location.name.rawValue
        backup.status = BackupStatus(phase: .new)
        return backup
    }

    /// One backup; `.notFound` when absent.
    public func backup(named name: BackupName) async throws -> Backup {
        try await writer.read { db in try ObjectRows.require(Backup.self, named: name.rawValue, in: db) }
    }

    /// A page of backups ordered by name, filtered by cluster, phase and label selector.
    public func backups(_ options: ListOptions = ListOptions()) async throws -> ListPage<Backup> {
        try await writer.read { db in try ObjectRows.list(Backup.self, options, in: db) }
    }

    /// Replaces a backup's status (the engine's progress and outcome).
    @discardableResult
    public func updateBackupStatus(_ name: BackupName, _ status: BackupStatus) async throws -> Backup {
        try await writer.write { db in
            var backup = try ObjectRows.require(Backup.self, named: name.rawValue, in: db)
            backup.status = status
            try ObjectRows.update(backup, in: db)
            return backup
        }
    }

    /// Starts deleting a backup the way Velero does: phase `Deleting` plus a `backupDeletion` job that removes the
    /// data first and the catalog entry last. Refused while the backup runs or its location is ReadOnly; a backup left
    /// `Deleting` by a failed deletion job can be requested again.
    public func requestBackupDeletion(_ name: BackupName, now: Date = Date()) async throws -> (backup: Backup, job: Job) {
        try await writer.write { db in
            var backup = try ObjectRows.require(Backup.self, named: name.rawValue, in: db)
            if backup.status.phase == .deleting, let job = try JobRecord
                .filter(JobRecord.Columns.kind == JobKind.backupDeletion.rawValue)
                .filter(JobRecord.Columns.target == name.rawValue)
                .filter([JobState.queued.rawValue, JobState.running.rawValue].contains(JobRecord.Columns.state))
                .fetchOne(db) {
                return (backup, try job.domainValue())  // already being deleted: idempotent
            }
            // Deleting without a live job: the previous deletion failed (as Velero, a new request tries again).
            guard backup.status.phase.isFinished || backup.status.phase == .deleting else {
                throw LifeboatError.conflict(reason: "backup '\(name)' is \(backup.status.phase.rawValue); cancel it or wait until it finishes")
            }
            if let locationName = backup.spec.storageLocation,
               let location = try ObjectRows.fetch(BackupStorageLocation.self, named: locationName.rawValue, in: db),
               location.spec.effectiveAccessMode == .readOnly {
                throw LifeboatError.conflict(reason: "backup location '\(locationName)' is ReadOnly")
            }
            backup.status.phase = .deleting
            try ObjectRows.update(backup, in: db)
            let job = try Self.enqueue(kind: .backupDeletion, target: name.rawValue, dueAt: now, now: now, in: db)
            return (backup, job)
        }
    }

    /// Removes a backup's catalog entry and the restores made from it (the last step of a deletion job, or sync
    /// noticing the backup vanished from the bucket).
    public func deleteBackup(named name: BackupName) async throws {
        try await writer.write { db in
            try ObjectRows.delete(Backup.self, named: name.rawValue, in: db)
            try db.execute(sql: "DELETE FROM restore WHERE backup = ?", arguments: [name.rawValue])
        }
    }

    /// Creates the backup a schedule makes at `now` (`<schedule>-<YYYYMMDDhhmmss>`, labelled
    /// `velero.io/schedule-name`) and queues its job; records `status.lastBackup`. Refused with `.conflict` while
    /// a previous backup of the schedule is still New or InProgress (Velero never stacks scheduled runs).
    public func createScheduledBackup(_ scheduleName: ScheduleName, now: Date = Date()) async throws -> (backup: Backup, job: Job) {
        try await writer.write { db in
            var schedule = try ObjectRows.require(Schedule.self, named: scheduleName.rawValue, in: db)
            let running = [BackupPhase.new, .queued, .readyToStart, .inProgress].map(\.rawValue)
            if let previous = try String.fetchOne(
                db, sql: "SELECT name FROM backup WHERE schedule = ? AND phase IN (?, ?, ?, ?) LIMIT 1",
                arguments: StatementArguments([scheduleName.rawValue] + running)) {
                throw LifeboatError.conflict(reason: "backup '\(previous)' of schedule '\(scheduleName)' has not finished")
            }
            var labels = schedule.metadata.labels
            labels[Backup.scheduleNameLabel] = scheduleName.rawValue
            let draft = Backup(
                metadata: ObjectMeta(name: schedule.backupName(at: now), labels: labels, creationTimestamp: now),
                spec: schedule.spec.template)
            let backup = try Self.prepareNewBackup(draft, field: "spec.template.", in: db)
            try ObjectRows.insert(backup, in: db)
            let job = try Self.enqueue(kind: .backup, target: backup.name.rawValue, dueAt: now, now: now, in: db)
            schedule.status.lastBackup = now
            try ObjectRows.update(schedule, in: db)
            return (backup, job)
        }
    }
}
