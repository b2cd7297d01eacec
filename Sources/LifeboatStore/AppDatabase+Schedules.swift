import Foundation
import GRDB
import LifeboatCore

extension AppDatabase {
    /// Stores a schedule, `Enabled`, with its next run computed from the cron expression (none while paused).
    /// The template's cluster must be registered and its location, if named, must exist.
    public func createSchedule(_ schedule: Schedule, now: Date = Date()) async throws -> Schedule {
        try schedule.validate()
        let cron = try schedule.spec.cronSchedule()
        return try await writer.write { db in
            var schedule = schedule
            let cluster = schedule.spec.template.cluster
            guard try ObjectRows.exists(Cluster.self, named: cluster.rawValue, in: db) else {
                throw LifeboatError.invalidArgument(field: "spec.template.cluster", reason: "cluster '\(cluster)' is not registered")
            }
            if let location = schedule.spec.template.storageLocation,
               try !ObjectRows.exists(BackupStorageLocation.self, named: location.rawValue, in: db) {
                throw LifeboatError.invalidArgument(field: "spec.template.storageLocation", reason: "backup location '\(location)' does not exist")
            }
            schedule.status = ScheduleStatus(phase: .enabled)
            schedule.status.nextRun = schedule.spec.paused ? nil : cron.nextRun(after: now)
            if schedule.spec.skipImmediately == true {
                schedule.status.lastSkipped = now
                schedule.spec.skipImmediately = false
            }
            try ObjectRows.insert(schedule, in: db)
            return schedule
        }
    }

    /// One schedule; `.notFound` when absent.
    public func schedule(named name: ScheduleName) async throws -> Schedule {
        try await writer.read { db in try ObjectRows.require(Schedule.self, named: name.rawValue, in: db) }
    }

    /// A page of schedules ordered by name.
    public func schedules(_ options: ListOptions = ListOptions()) async throws -> ListPage<Schedule> {
        try await writer.read { db in try ObjectRows.list(Schedule.self, options, in: db) }
    }

    /// Pauses or unpauses a schedule; unpausing computes the next run from `now` (missed runs are not caught up).
    @discardableResult
    public func setSchedulePaused(_ name: ScheduleName, paused: Bool, now: Date = Date()) async throws -> Schedule {
        try await writer.write { db in
            var schedule = try ObjectRows.require(Schedule.self, named: name.rawValue, in: db)
            schedule.spec.paused = paused
            schedule.status.nextRun = paused ? nil : try schedule.spec.cronSchedule().nextRun(after: now)
            try ObjectRows.update(schedule, in: db)
            return schedule
        }
    }

    /// Replaces a schedule's status (the scheduler's bookkeeping).
    @discardableResult
    public func updateScheduleStatus(_ name: ScheduleName, _ status: ScheduleStatus) async throws -> Schedule {
        try await writer.write { db in
            var schedule = try ObjectRows.require(Schedule.self, named: name.rawValue, in: db)
            schedule.status = status
            try ObjectRows.update(schedule, in: db)
            return schedule
        }
    }

    /// Deletes a schedule; its backups stay.
    public func deleteSchedule(named name: ScheduleName) async throws {
        try await writer.write { db in try ObjectRows.delete(Schedule.self, named: name.rawValue, in: db) }
    }
}
