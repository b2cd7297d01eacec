import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatStore
import Logging

/// Runs a backup job: the backup goes InProgress with its start time, the engine writes it to its location,
/// and the outcome (Completed, PartiallyFailed, Failed with the reason) becomes the backup's status.
///
/// A backup that cannot start (its cluster or location gone, the location ReadOnly, credentials unusable) is
/// Failed with the reason too, and the job fails with the same text. A cancelled backup is Failed
/// ("the backup was cancelled") and its job cancelled; nothing of it is published as complete.
struct BackupJobExecutor: JobExecutor {
    let kind: JobKind = .backup
    let database: AppDatabase
    let clusters: ClusterClients
    let stores: LocationStores
    let now: @Sendable () -> Date

    func execute(_ job: Job, context: JobContext) async throws {
        let name = try BackupName(job.target, field: "target")
        var backup = try await database.backup(named: name)
        guard !backup.status.phase.isFinished, backup.status.phase != .deleting else {
            context.logger.info("Backup already finished", metadata: ["backup.name": "\(name)", "backup.phase": "\(backup.status.phase.rawValue)"])
            return
        }
        backup.status.phase = .inProgress
        backup.status.startTimestamp = now()
        if let ttl = try? backup.spec.effectiveTTL(), let start = backup.status.startTimestamp {
            backup.status.expiration = start.addingTimeInterval(ttl.timeInterval)
        }
        backup = try await database.updateBackupStatus(name, backup.status)

        let started = backup
        let outcome = try await finishingEngineRun(
            "backup '\(name)'", cancelledReason: "the backup was cancelled", markFailed: { try await fail(started, reason: $0) }
        ) { try await run(started, context: context) }
        try await database.updateBackupStatus(name, outcome.status)
        context.logger.info(
            "Backup finished",
            metadata: ["backup.name": "\(name)", "backup.phase": "\(outcome.status.phase.rawValue)",
                       "backup.items": "\(outcome.status.progress?.itemsBackedUp ?? 0)", "backup.size": "\(outcome.status.sizeBytes ?? 0)"])
        if outcome.status.phase == .failed {
            throw LifeboatError.conflict(reason: "backup '\(name)' failed: \(outcome.status.failureReason ?? "unknown reason")")
        }
    }

    private func run(_ backup: Backup, context: JobContext) async throws -> BackupOutcome {
        guard let locationName = backup.spec.storageLocation else {
            throw LifeboatError.invalidArgument(field: "spec.storageLocation", reason: "the backup names no location")
        }
        let location: BackupStorageLocation
        do {
            location = try await database.location(named: locationName)
        } catch LifeboatError.notFound {
            throw LifeboatError.invalidArgument(field: "spec.storageLocation", reason: "backup location '\(locationName)' does not exist")
        }
        guard location.spec.effectiveAccessMode != .readOnly else {
            throw LifeboatError.conflict(reason: "backup location '\(locationName)' is ReadOnly")
        }
        let client = try await clusters.engineClient(for: backup.spec.cluster)
        return try await withClient(client) { client in
            let opened = try await stores.open(location, database: database)
            let artifacts = ArtifactLocation(location: location, layout: StorageLayout(prefix: location.spec.objectStorage.prefix ?? ""), opened: opened)
            return try await artifacts.use { artifacts in
                let name = backup.name
                let database = self.database
                let started = backup.status
                let monitor = JobMonitor(context: context) { completed, total in
                    var status = started
                    status.progress = BackupProgress(totalItems: total, itemsBackedUp: completed)
                    _ = try? await database.updateBackupStatus(name, status)
                }
                let engine = BackupEngine(backup: backup, client: client, store: artifacts.store, layout: artifacts.layout,
                                          logger: context.logger, now: now)
                return try await engine.run(monitor: monitor)
            }
        }
    }

    private func fail(_ backup: Backup, reason: String) async throws {
        var status = backup.status
        status.phase = .failed
        status.failureReason = reason
        status.completionTimestamp = now()
        try await database.updateBackupStatus(backup.name, status)
    }
}
