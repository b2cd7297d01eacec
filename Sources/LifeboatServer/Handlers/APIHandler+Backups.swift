import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatStore

extension APIHandler {
    func listBackups(_ input: Operations.ListBackups.Input) async throws -> Operations.ListBackups.Output {
        let query = input.query
        let page = try await database.backups(
            Self.listOptions(
                limit: query.limit, continueToken: query._continue, cluster: query.cluster, phase: query.phase,
                labelSelector: query.labelSelector))
        let items = try page.items.map(Self.wireBackup)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "BackupList", items: items, _continue: page.continueToken))))
    }

    func createBackup(_ input: Operations.CreateBackup.Input) async throws -> Operations.CreateBackup.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let metadata = try newMetadata(wire.metadata, as: BackupName.self)
        let spec = try WireBridge.convert(wire.spec, to: BackupSpec.self, fieldPrefix: "spec.")
        let (backup, _) = try await database.createBackup(Backup(metadata: metadata, spec: spec), now: now())
        return .created(.init(body: .json(try Self.wireBackup(backup))))
    }

    func getBackup(_ input: Operations.GetBackup.Input) async throws -> Operations.GetBackup.Output {
        let backup = try await database.backup(named: BackupName(input.path.name, field: "name"))
        return .ok(.init(body: .json(try Self.wireBackup(backup))))
    }

    func deleteBackup(_ input: Operations.DeleteBackup.Input) async throws -> Operations.DeleteBackup.Output {
        let (backup, _) = try await database.requestBackupDeletion(BackupName(input.path.name, field: "name"), now: now())
        return .accepted(.init(body: .json(try Self.wireBackup(backup))))
    }

    func cancelBackup(_ input: Operations.CancelBackup.Input) async throws -> Operations.CancelBackup.Output {
        let name = try BackupName(input.path.name, field: "name")
        try await cancelLatestJob(kind: .backup, target: name.rawValue, what: "backup '\(name)'")
        return .accepted(.init(body: .json(try Self.wireBackup(try await database.backup(named: name)))))
    }

    func getBackupLogs(_ input: Operations.GetBackupLogs.Input) async throws -> Operations.GetBackupLogs.Output {
        let backup = try await database.backup(named: BackupName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "backup '\(backup.name)'", phase: backup.status.phase.rawValue)
    }

    func getBackupResources(_ input: Operations.GetBackupResources.Input) async throws -> Operations.GetBackupResources.Output {
        let backup = try await database.backup(named: BackupName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "backup '\(backup.name)'", phase: backup.status.phase.rawValue)
    }

    func getBackupResults(_ input: Operations.GetBackupResults.Input) async throws -> Operations.GetBackupResults.Output {
        let backup = try await database.backup(named: BackupName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "backup '\(backup.name)'", phase: backup.status.phase.rawValue)
    }

    func downloadBackup(_ input: Operations.DownloadBackup.Input) async throws -> Operations.DownloadBackup.Output {
        let backup = try await database.backup(named: BackupName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "backup '\(backup.name)'", phase: backup.status.phase.rawValue)
    }

    // MARK: - Mapping

    static func wireBackup(_ backup: Backup) throws -> Components.Schemas.Backup {
        Components.Schemas.Backup(
            apiVersion: "velero.io/v1", kind: "Backup", metadata: wireMetadata(backup.metadata),
            spec: try WireBridge.convert(backup.spec, to: Components.Schemas.BackupSpec.self, fieldPrefix: "spec."),
            status: try WireBridge.convert(backup.status, to: Components.Schemas.BackupStatus.self, fieldPrefix: "status."))
    }

    /// Logs, results, resource lists and tarballs exist only once a job has written them to the location.
    ///
    /// Backup and restore execution (the engine) writes them; until a backup has run there is nothing to
    /// serve, which is a conflict with the object's state rather than a missing object.
    static func artifactsNotAvailable(of what: String, phase: String?) -> LifeboatError {
        .conflict(reason: "\(what) has no stored artifacts (phase \(phase ?? "New")); they exist once it has run")
    }

    /// Cancels the newest job of `kind` for `target`: a queued job ends at once, a running one is flagged.
    func cancelLatestJob(kind: JobKind, target: String, what: String) async throws {
        guard let job = try await database.latestJob(kind: kind, target: target) else {
            throw LifeboatError.conflict(reason: "\(what) has no job to cancel")
        }
        guard !job.state.isFinished else {
            throw LifeboatError.conflict(reason: "\(what) has already finished (\(job.state.rawValue))")
        }
        try await database.requestCancellation(of: job.id, now: now())
    }
}
