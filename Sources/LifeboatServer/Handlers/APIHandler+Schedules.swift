import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatStore

extension APIHandler {
    func listSchedules(_ input: Operations.ListSchedules.Input) async throws -> Operations.ListSchedules.Output {
        let query = input.query
        let page = try await database.schedules(
            Self.listOptions(
                limit: query.limit, continueToken: query._continue, cluster: query.cluster, phase: query.phase,
                labelSelector: query.labelSelector))
        let items = try page.items.map(Self.wireSchedule)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "ScheduleList", items: items, _continue: page.continueToken))))
    }

    func createSchedule(_ input: Operations.CreateSchedule.Input) async throws -> Operations.CreateSchedule.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let metadata = try newMetadata(wire.metadata, as: ScheduleName.self)
        var wireSpec = wire.spec
        wireSpec.paused = wireSpec.paused ?? false  // Velero's `paused` is a plain bool: absent means running
        let spec = try WireBridge.convert(wireSpec, to: ScheduleSpec.self, fieldPrefix: "spec.")
        let schedule = try await database.createSchedule(Schedule(metadata: metadata, spec: spec), now: now())
        return .created(.init(body: .json(try Self.wireSchedule(schedule))))
    }

    func getSchedule(_ input: Operations.GetSchedule.Input) async throws -> Operations.GetSchedule.Output {
        let schedule = try await database.schedule(named: ScheduleName(input.path.name, field: "name"))
        return .ok(.init(body: .json(try Self.wireSchedule(schedule))))
    }

    func deleteSchedule(_ input: Operations.DeleteSchedule.Input) async throws -> Operations.DeleteSchedule.Output {
        try await database.deleteSchedule(named: ScheduleName(input.path.name, field: "name"))
        return .noContent(.init())
    }

    func pauseSchedule(_ input: Operations.PauseSchedule.Input) async throws -> Operations.PauseSchedule.Output {
        let schedule = try await database.setSchedulePaused(ScheduleName(input.path.name, field: "name"), paused: true, now: now())
        return .ok(.init(body: .json(try Self.wireSchedule(schedule))))
    }

    func unpauseSchedule(_ input: Operations.UnpauseSchedule.Input) async throws -> Operations.UnpauseSchedule.Output {
        let schedule = try await database.setSchedulePaused(ScheduleName(input.path.name, field: "name"), paused: false, now: now())
        return .ok(.init(body: .json(try Self.wireSchedule(schedule))))
    }

    /// Runs a schedule now, as `velero backup create --from-schedule` does: a backup named like a scheduled one.
    func triggerSchedule(_ input: Operations.TriggerSchedule.Input) async throws -> Operations.TriggerSchedule.Output {
        let (backup, _) = try await database.createScheduledBackup(ScheduleName(input.path.name, field: "name"), now: now())
        return .created(.init(body: .json(try Self.wireBackup(backup))))
    }

    static func wireSchedule(_ schedule: Schedule) throws -> Components.Schemas.Schedule {
        Components.Schemas.Schedule(
            apiVersion: "velero.io/v1", kind: "Schedule", metadata: wireMetadata(schedule.metadata),
            spec: try WireBridge.convert(schedule.spec, to: Components.Schemas.ScheduleSpec.self, fieldPrefix: "spec."),
            status: try WireBridge.convert(schedule.status, to: Components.Schemas.ScheduleStatus.self, fieldPrefix: "status."))
    }
}
