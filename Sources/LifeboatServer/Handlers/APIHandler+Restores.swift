import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatStore

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
        let restore = try await database.restore(named: RestoreName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "restore '\(restore.name)'", phase: restore.status.phase.rawValue)
    }

    func getRestoreResults(_ input: Operations.GetRestoreResults.Input) async throws -> Operations.GetRestoreResults.Output {
        let restore = try await database.restore(named: RestoreName(input.path.name, field: "name"))
        throw Self.artifactsNotAvailable(of: "restore '\(restore.name)'", phase: restore.status.phase.rawValue)
    }

    static func wireRestore(_ restore: Restore) throws -> Components.Schemas.Restore {
        Components.Schemas.Restore(
            apiVersion: "velero.io/v1", kind: "Restore", metadata: wireMetadata(restore.metadata),
            spec: try WireBridge.convert(restore.spec, to: Components.Schemas.RestoreSpec.self, fieldPrefix: "spec."),
            status: try WireBridge.convert(restore.status, to: Components.Schemas.RestoreStatus.self, fieldPrefix: "status."))
    }
}
