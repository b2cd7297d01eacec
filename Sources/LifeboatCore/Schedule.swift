import Foundation

/// A recurring backup: Velero's `Schedule`. The template carries the cluster.
public struct Schedule: CatalogObject {
    public static let kind = "schedule"

    public var metadata: ObjectMeta<ScheduleName>
    public var spec: ScheduleSpec
    public var status: ScheduleStatus

    public init(metadata: ObjectMeta<ScheduleName>, spec: ScheduleSpec, status: ScheduleStatus = ScheduleStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Validates metadata and spec; the first problem is thrown with its JSON field path.
    public func validate() throws(LifeboatError) {
        try metadata.validate()
        try spec.validate()
        // Scheduled backups are named `<schedule>-<YYYYMMDDhhmmss>`, which must still be a DNS label.
        if metadata.name.rawValue.count + 15 > DNSLabel.maximumLength {
            throw .invalidArgument(field: "metadata.name", reason: "must be no more than \(DNSLabel.maximumLength - 15) characters so its backups' names fit")
        }
    }

    /// The name of the backup this schedule creates at `date` (`<schedule>-<YYYYMMDDhhmmss>`, UTC).
    public func backupName(at date: Date) -> BackupName {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let stamp = "\(c.year ?? 0)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))"
        return BackupName(uncheckedRawValue: "\(metadata.name.rawValue)-\(stamp)")
    }
}

/// Velero's `ScheduleSpec`.
public struct ScheduleSpec: Sendable, Hashable, Codable {
    /// Cron expression (see `CronSchedule`).
    public var schedule: String
    public var template: BackupSpec
    public var useOwnerReferencesInBackup: Bool?
    public var paused: Bool
    public var skipImmediately: Bool?

    public init(schedule: String, template: BackupSpec, paused: Bool = false) {
        self.schedule = schedule
        self.template = template
        self.paused = paused
    }

    /// The parsed cron schedule; the error names `spec.schedule`.
    public func cronSchedule() throws(LifeboatError) -> CronSchedule {
        try CronSchedule(schedule, field: "spec.schedule")
    }

    /// Validates the cron expression and the backup template.
    public func validate() throws(LifeboatError) {
        _ = try cronSchedule()
        try template.validate(prefix: "spec.template.")
    }
}

/// Velero's schedule phases.
public enum SchedulePhase: String, Sendable, Hashable, Codable, CaseIterable {
    case new = "New"
    case enabled = "Enabled"
    case failedValidation = "FailedValidation"
}

/// Velero's `ScheduleStatus`, plus the next planned run.
public struct ScheduleStatus: Sendable, Hashable, Codable {
    public var phase: SchedulePhase
    public var lastBackup: Date?
    public var lastSkipped: Date?
    /// Lifeboat: when the scheduler will next create a backup (unset while paused).
    public var nextRun: Date?
    public var validationErrors: [String]?

    public init(phase: SchedulePhase = .new) { self.phase = phase }
}
