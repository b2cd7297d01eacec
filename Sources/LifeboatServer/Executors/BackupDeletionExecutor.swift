import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import Logging

/// Deletes a backup the way Velero's backup deletion controller does: every object under `backups/<B>/`, then every
/// object of each restore made from it (`restores/<R>/`), then the catalog entries, backup and restores, last.
///
/// `requestBackupDeletion` has already put the backup in phase `Deleting`. The job fails, leaving the backup in the
/// catalog (a new delete request tries again), when its location is gone or ReadOnly, when a restore from it is
/// still running, or when the store refuses to delete an object.
struct BackupDeletionExecutor: JobExecutor {
    let kind: JobKind = .backupDeletion
    let database: AppDatabase
    let stores: LocationStores

    func execute(_ job: Job, context: JobContext) async throws {
        let name = try BackupName(job.target, field: "target")
        let backup: Backup
        do {
            backup = try await database.backup(named: name)
        } catch LifeboatError.notFound {
            // A previous attempt got as far as the catalog, or sync saw the backup vanish: nothing is left to do.
            context.logger.info("Backup already deleted", metadata: ["backup.name": "\(name)"])
            return
        }
        guard let locationName = backup.spec.storageLocation else {
            throw LifeboatError.conflict(reason: "backup '\(name)' has no storage location; it stays in the catalog")
        }
        let location: BackupStorageLocation
        do {
            location = try await database.location(named: locationName)
        } catch LifeboatError.notFound {
            throw LifeboatError.conflict(
                reason: "backup location '\(locationName)' of backup '\(name)' does not exist; the backup stays in the catalog")
        }
        guard location.spec.effectiveAccessMode != .readOnly else {
            throw LifeboatError.conflict(
                reason: "cannot delete backup '\(name)' because backup location '\(locationName)' is ReadOnly; the backup stays in the catalog")
        }
        let restores = try await database.restores(ofBackup: name)
        if let running = restores.first(where: { !$0.status.phase.isFinished }) {
            throw LifeboatError.conflict(
                reason: "restore '\(running.name)' of backup '\(name)' has not finished; delete the backup once it has")
        }
        try context.checkCancellation()

        let artifacts = try await stores.open(locationOf: backup, database: database)
        let deleted = try await artifacts.use { artifacts in
            var deleted = try await Self.deleteAll(under: try artifacts.layout.backup(name.rawValue).directory, in: artifacts.store)
            await context.reportProgress(JobProgress(completedItems: 1, totalItems: restores.count + 1, message: "deleted backup data"))
            for (index, restore) in restores.enumerated() {
                deleted += try await Self.deleteAll(under: try artifacts.layout.restore(restore.name.rawValue).directory, in: artifacts.store)
                await context.reportProgress(
                    JobProgress(completedItems: index + 2, totalItems: restores.count + 1, message: "deleted data of restore \(restore.name)"))
            }
            return deleted
        }
        try await database.deleteBackup(named: name)
        context.logger.info(
            "Backup deleted",
            metadata: ["backup.name": "\(name)", "location.name": "\(locationName)", "objects": "\(deleted)", "restores": "\(restores.count)"])
    }

    /// Deletes every object whose key starts with `prefix` (a directory ending in `/`); returns how many there were.
    ///
    /// Store errors are thrown as they are: their descriptions name bucket and key, never credentials.
    static func deleteAll(under prefix: String, in store: any ObjectStore) async throws -> Int {
        let keys = try await store.listAll(prefix: prefix).objects.map(\.key)
        guard !keys.isEmpty else { return 0 }
        let failures = try await store.delete(keys: keys)
        if let (key, error) = failures.min(by: { $0.key < $1.key }) {
            throw LifeboatError.conflict(
                reason: "could not delete \(failures.count) of \(keys.count) objects under \(prefix) (first \(key): \(error)); the backup stays in the catalog")
        }
        return keys.count
    }
}
