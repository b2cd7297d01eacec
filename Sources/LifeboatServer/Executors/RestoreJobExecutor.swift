import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatStore
import Logging

/// Runs a restore job: the restore goes InProgress, the engine reads its backup from the backup's location (which
/// may be ReadOnly: restoring never writes under `backups/`) and restores into the restore's cluster (another
/// cluster than the backup's is a migration), and the outcome becomes the restore's status.
///
/// A restore that cannot start (backup or location gone, cluster unusable) is Failed with the reason; so is one
/// whose backup fails verification, before anything is created. Cancelled restores end Failed, job cancelled.
struct RestoreJobExecutor: JobExecutor {
    let kind: JobKind = .restore
    let database: AppDatabase
    let clusters: ClusterClients
    let stores: LocationStores
    let now: @Sendable () -> Date

    func execute(_ job: Job, context: JobContext) async throws {
        let name = try RestoreName(job.target, field: "target")
        var restore = try await database.restore(named: name)
        guard !restore.status.phase.isFinished else {
            context.logger.info("Restore already finished", metadata: ["restore.name": "\(name)"])
            return
        }
        restore.status.phase = .inProgress
        restore.status.startTimestamp = now()
        restore = try await database.updateRestoreStatus(name, restore.status)

        let started = restore
        let outcome = try await finishingEngineRun(
            "restore '\(name)'", cancelledReason: "the restore was cancelled", markFailed: { try await fail(started, reason: $0) }
        ) { try await run(started, context: context) }
        try await database.updateRestoreStatus(name, outcome.status)
        context.logger.info(
            "Restore finished",
            metadata: ["restore.name": "\(name)", "restore.phase": "\(outcome.status.phase.rawValue)",
                       "restore.items": "\(outcome.items.items.count)", "restore.preview": "\(restore.spec.preview ?? false)"])
        if outcome.status.phase == .failed {
            throw LifeboatError.conflict(reason: "restore '\(name)' failed: \(outcome.status.failureReason ?? "unknown reason")")
        }
    }

    private func run(_ restore: Restore, context: JobContext) async throws -> RestoreOutcome {
        guard let backupName = restore.spec.backupName else {
            throw LifeboatError.invalidArgument(field: "spec.backupName", reason: "the restore names no backup")
        }
        let backup: Backup
        do {
            backup = try await database.backup(named: backupName)
        } catch LifeboatError.notFound {
            throw LifeboatError.invalidArgument(field: "spec.backupName", reason: "backup '\(backupName)' does not exist")
        }
        let clusterName = restore.spec.cluster ?? backup.spec.cluster
        let client = try await clusters.engineClient(for: clusterName)
        return try await withClient(client) { client in
            let artifacts = try await stores.open(locationOf: backup, database: database)
            return try await artifacts.use { artifacts in
                let name = restore.name
                let database = self.database
                let started = restore.status
                let monitor = JobMonitor(context: context) { completed, total in
                    var status = started
                    status.progress = RestoreProgress(totalItems: total, itemsRestored: completed)
                    _ = try? await database.updateRestoreStatus(name, status)
                }
                let engine = RestoreEngine(restore: restore, backupName: backupName.rawValue, client: client, store: artifacts.store,
                                           layout: artifacts.layout, logger: context.logger, now: now)
                return try await engine.run(monitor: monitor)
            }
        }
    }

    private func fail(_ restore: Restore, reason: String) async throws {
        var status = restore.status
        status.phase = .failed
        status.failureReason = reason
        status.completionTimestamp = now()
        try await database.updateRestoreStatus(restore.name, status)
    }
}
