import Foundation
import LifeboatAPI
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import OpenAPIRuntime

extension APIHandler {
    func listRestores(_ input: Operations.ListRestores.Input) async throws -> Operations.ListRestores.Output {
        let query = input.query
        let page = try await database.restores(
            Self.listOptions(
                limit: query.limit, continueToken: query._continue, cluster: query.cluster, phase: query.phase,
                labelSelector: query.labelSelector))
        let items = try page.items.map(Self.wireRestore)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "RestoreList", items: items, _continue: page.continueToken))))
    }

    func createRestore(_ input: Operations.CreateRestore.Input) async throws -> Operations.CreateRestore.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let metadata = try newMetadata(wire.metadata, as: RestoreName.self)
        let spec = try WireBridge.convert(wire.spec, to: RestoreSpec.self, fieldPrefix: "spec.")
        let (restore, _) = try await database.createRestore(Restore(metadata: metadata, spec: spec), now: now())
        return .created(.init(body: .json(try Self.wireRestore(restore))))
    }

    func getRestore(_ input: Operations.GetRestore.Input) async throws -> Operations.GetRestore.Output {
        let restore = try await database.restore(named: RestoreName(input.path.name, field: "name"))
        return .ok(.init(body: .json(try Self.wireRestore(restore))))
    }

    func deleteRestore(_ input: Operations.DeleteRestore.Input) async throws -> Operations.DeleteRestore.Output {
        try await database.deleteRestore(named: RestoreName(input.path.name, field: "name"))
        return .noContent(.init())
    }

    func cancelRestore(_ input: Operations.CancelRestore.Input) async throws -> Operations.CancelRestore.Output {
        let name = try RestoreName(input.path.name, field: "name")
        try await cancelLatestJob(kind: .restore, target: name.rawValue, what: "restore '\(name)'")
        return .accepted(.init(body: .json(try Self.wireRestore(try await database.restore(named: name)))))
    }

    func getRestoreLogs(_ input: Operations.GetRestoreLogs.Input) async throws -> Operations.GetRestoreLogs.Output {
        let (restore, backup) = try await restoreWithArtifacts(input.path.name)
        let name = restore.name.rawValue
        let body = try await stores.open(locationOf: backup, database: database)
            .gunzippedBody(kind: "restore logs", name: name) { try $0.restore(name).logs }
        return .ok(.init(body: .plainText(body)))
    }

    func getRestoreResults(_ input: Operations.GetRestoreResults.Input) async throws -> Operations.GetRestoreResults.Output {
        let (restore, backup) = try await restoreWithArtifacts(input.path.name)
        let name = restore.name.rawValue
        let results = try await stores.open(locationOf: backup, database: database).use { artifacts in
            try await Self.operationResults(at: try artifacts.layout.restore(name).results, in: artifacts, kind: "restore results", name: name)
        }
        return .ok(.init(body: .json(Self.wireResults(results))))
    }

    func getRestoreItems(_ input: Operations.GetRestoreItems.Input) async throws -> Operations.GetRestoreItems.Output {
        let (restore, backup) = try await restoreWithArtifacts(input.path.name)
        let name = restore.name.rawValue
        let results = try await stores.open(locationOf: backup, database: database).use { artifacts in
            try await artifacts.document(try artifacts.layout.restore(name).items, kind: "restore item results", name: name) {
                try RestoreItemResults(json: $0)
            }
        }
        return .ok(.init(body: .json(Self.wireItemResults(results))))
    }

    /// The restore named `name` and the backup it restored, when the restore ran far enough to write artifacts (they
    /// live in that backup's location); `.conflict` otherwise.
    func restoreWithArtifacts(_ name: String) async throws -> (Restore, Backup) {
        let restore = try await database.restore(named: RestoreName(name, field: "name"))
        guard Self.hasArtifacts(restore.status) else {
            throw Self.artifactsNotAvailable(of: "restore '\(restore.name)'", phase: restore.status.phase.rawValue)
        }
        guard let backupName = restore.spec.backupName else {
            throw LifeboatError.conflict(reason: "restore '\(restore.name)' names no backup")
        }
        return (restore, try await database.backup(named: backupName))
    }

    /// Whether a restore's job wrote artifacts: it completed, or it failed after starting.
    static func hasArtifacts(_ status: RestoreStatus) -> Bool {
        switch status.phase {
        case .completed, .partiallyFailed: true
        case .failed, .failedValidation: status.startTimestamp != nil
        default: false
        }
    }

    static func wireItemResults(_ results: RestoreItemResults) -> Components.Schemas.RestoreItemResults {
        Components.Schemas.RestoreItemResults(
            preview: results.preview,
            items: results.items.map { item in
                Components.Schemas.RestoreItemResult(
                    resource: item.resource, kind: item.kind, namespace: item.namespace, targetNamespace: item.targetNamespace,
                    name: item.name, outcome: wireOutcome(item.outcome), reason: item.reason)
            })
    }

    static func wireOutcome(_ outcome: RestoreItemOutcome) -> Components.Schemas.RestoreItemResult.OutcomePayload {
        switch outcome {
        case .created: .created
        case .updated: .updated
        case .unchanged: .unchanged
        case .skipped: .skipped
        case .failed: .failed
        case .wouldCreate: .wouldCreate
        case .wouldUpdate: .wouldUpdate
        case .wouldSkip: .wouldSkip
        case .conflict: .conflict
        }
    }

    static func wireRestore(_ restore: Restore) throws -> Components.Schemas.Restore {
        Components.Schemas.Restore(
            apiVersion: "velero.io/v1", kind: "Restore", metadata: wireMetadata(restore.metadata),
            spec: try WireBridge.convert(restore.spec, to: Components.Schemas.RestoreSpec.self, fieldPrefix: "spec."),
            status: try WireBridge.convert(restore.status, to: Components.Schemas.RestoreStatus.self, fieldPrefix: "status."))
    }
}
