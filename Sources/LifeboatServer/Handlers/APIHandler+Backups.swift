import Foundation
import LifeboatAPI
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import Logging
import OpenAPIRuntime

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
        let backup = try await backupWithArtifacts(input.path.name)
        let name = backup.name.rawValue
        let body = try await stores.open(locationOf: backup, database: database)
            .gunzippedBody(kind: "backup logs", name: name) { try $0.backup(name).logs }
        return .ok(.init(body: .plainText(body)))
    }

    func getBackupResources(_ input: Operations.GetBackupResources.Input) async throws -> Operations.GetBackupResources.Output {
        let backup = try await backupWithArtifacts(input.path.name)
        let name = backup.name.rawValue
        let list = try await stores.open(locationOf: backup, database: database).use { artifacts in
            try await artifacts.document(try artifacts.layout.backup(name).resourceList, kind: "backup resource list", name: name) {
                try ResourceList(json: $0)
            }
        }
        return .ok(.init(body: .json(Components.Schemas.ResourceList(additionalProperties: list.entries))))
    }

    func getBackupResults(_ input: Operations.GetBackupResults.Input) async throws -> Operations.GetBackupResults.Output {
        let backup = try await backupWithArtifacts(input.path.name)
        let name = backup.name.rawValue
        let results = try await stores.open(locationOf: backup, database: database).use { artifacts in
            try await Self.operationResults(at: try artifacts.layout.backup(name).results, in: artifacts, kind: "backup results", name: name)
        }
        return .ok(.init(body: .json(Self.wireResults(results))))
    }

    func downloadBackup(_ input: Operations.DownloadBackup.Input) async throws -> Operations.DownloadBackup.Output {
        let backup = try await backupWithArtifacts(input.path.name)
        let name = backup.name.rawValue
        let expectedSHA256 = try Self.recordedSHA256(backup)
        let artifacts = try await stores.open(locationOf: backup, database: database)
        let location = artifacts.location.name.rawValue
        let (key, download, closer) = try await artifacts.download(kind: "backup tarball", name: name) { try $0.backup(name).contents }
        let logger = Logger.current
        let stream = ChecksumVerifiedStream(
            body: download.body, key: key, expectedSHA256: expectedSHA256, expectedSize: backup.status.sizeBytes, closer: closer,
            onMismatch: { reason in
                logger.error(
                    "Backup tarball does not match its recorded checksum; download aborted",
                    metadata: ["backup.name": "\(name)", "location.name": "\(location)", "key": "\(key)", "reason": "\(reason)"])
            })
        let body = HTTPBody(stream, length: .known(download.info.size), iterationBehavior: .single)
        return .ok(.init(body: .applicationGzip(body)))
    }

    // MARK: - Artifacts

    /// The location stores, logging with the request's logger.
    var stores: LocationStores { LocationStores(vault: vault, logger: Logger.current) }

    /// The backup named `name` when its job ran far enough to write artifacts; `.conflict` otherwise.
    func backupWithArtifacts(_ name: String) async throws -> Backup {
        let backup = try await database.backup(named: BackupName(name, field: "name"))
        guard Self.hasArtifacts(backup.status) else {
            throw Self.artifactsNotAvailable(of: "backup '\(backup.name)'", phase: backup.status.phase.rawValue)
        }
        return backup
    }

    /// Whether a backup's job wrote artifacts: it completed, or it failed after starting (Velero uploads the log of a
    /// failed run too). A backup that failed validation or was cancelled while queued never ran.
    static func hasArtifacts(_ status: BackupStatus) -> Bool {
        switch status.phase {
        case .completed, .partiallyFailed: true
        case .failed, .failedValidation, .deleting: status.startTimestamp != nil || status.checksum != nil
        default: false
        }
    }

    /// The lowercase hex SHA-256 the backup recorded for its tarball (`status.checksum` = `sha256:<hex>`), or nil
    /// when it recorded none (a backup imported from a Velero bucket).
    static func recordedSHA256(_ backup: Backup) throws -> String? {
        guard let checksum = backup.status.checksum, !checksum.isEmpty else { return nil }
        let parts = checksum.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "sha256", parts[1].count == 64,
              parts[1].allSatisfy(\.isHexDigit) else {
            throw LifeboatError.conflict(reason: "backup '\(backup.name)' records a checksum Lifeboat cannot verify (\(checksum.prefix(16))…)")
        }
        return parts[1].lowercased()
    }

    /// Reads a `{"errors":R,"warnings":R}` results document.
    static func operationResults(at key: String, in artifacts: ArtifactLocation, kind: String, name: String) async throws -> OperationResults {
        try await artifacts.document(key, kind: kind, name: name) { try OperationResults(json: $0) }
    }

    static func wireResults(_ results: OperationResults) -> Components.Schemas.Results {
        func entries(_ messages: OperationResults.Messages) -> Components.Schemas.ResultEntries? {
            guard messages.count > 0 else { return nil }
            return Components.Schemas.ResultEntries(
                velero: messages.velero.isEmpty ? nil : messages.velero,
                cluster: messages.cluster.isEmpty ? nil : messages.cluster,
                namespaces: messages.namespaces.isEmpty ? nil : .init(additionalProperties: messages.namespaces))
        }
        return Components.Schemas.Results(errors: entries(results.errors), warnings: entries(results.warnings))
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
