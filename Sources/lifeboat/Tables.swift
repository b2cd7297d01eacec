import Foundation
import LifeboatAPI

/// Velero's table columns per kind (velero-reference.md §9.4), plus CLUSTER where Lifeboat adds a cluster.
enum Tables {
    static func backups(_ items: [Components.Schemas.Backup]) -> String {
        Rendering.table(
            headers: ["NAME", "CLUSTER", "STATUS", "ERRORS", "WARNINGS", "CREATED", "EXPIRES", "STORAGE LOCATION", "SELECTOR"],
            rows: items.map { backup in
                [backup.metadata.name, backup.spec.cluster ?? "", backup.status?.phase?.rawValue ?? "New",
                 "\(backup.status?.errors ?? 0)", "\(backup.status?.warnings ?? 0)",
                 Rendering.timestamp(backup.metadata.creationTimestamp), Rendering.expires(backup.status?.expiration),
                 backup.spec.storageLocation ?? "", Rendering.selector(backup.spec.labelSelector)]
            })
    }

    static func restores(_ items: [Components.Schemas.Restore]) -> String {
        Rendering.table(
            headers: ["NAME", "BACKUP", "CLUSTER", "STATUS", "STARTED", "COMPLETED", "ERRORS", "WARNINGS", "CREATED", "SELECTOR"],
            rows: items.map { restore in
                [restore.metadata.name, restore.spec.backupName ?? "", restore.spec.cluster ?? "",
                 restore.status?.phase?.rawValue ?? "New",
                 Rendering.timestamp(restore.status?.startTimestamp), Rendering.timestamp(restore.status?.completionTimestamp),
                 "\(restore.status?.errors ?? 0)", "\(restore.status?.warnings ?? 0)",
                 Rendering.timestamp(restore.metadata.creationTimestamp), Rendering.selector(restore.spec.labelSelector)]
            })
    }

    static func schedules(_ items: [Components.Schemas.Schedule]) -> String {
        Rendering.table(
            headers: ["NAME", "STATUS", "CREATED", "SCHEDULE", "BACKUP TTL", "LAST BACKUP", "SELECTOR", "PAUSED"],
            rows: items.map { schedule in
                [schedule.metadata.name, schedule.status?.phase?.rawValue ?? "New",
                 Rendering.timestamp(schedule.metadata.creationTimestamp), schedule.spec.schedule,
                 schedule.spec.template.ttl ?? "0s", lastBackup(schedule.status?.lastBackup),
                 Rendering.selector(schedule.spec.template.labelSelector), "\(schedule.spec.paused ?? false)"]
            })
    }

    static func locations(_ items: [Components.Schemas.BackupStorageLocation]) -> String {
        Rendering.table(
            headers: ["NAME", "PROVIDER", "BUCKET/PREFIX", "PHASE", "LAST VALIDATED", "ACCESS MODE", "DEFAULT"],
            rows: items.map { location in
                let storage = location.spec.objectStorage
                let bucket = [storage.bucket, storage.prefix ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
                return [location.metadata.name, location.spec.provider.rawValue, bucket,
                        location.status?.phase?.rawValue ?? "Unknown", Rendering.timestamp(location.status?.lastValidationTime),
                        location.spec.accessMode?.rawValue ?? "ReadWrite", (location.spec._default ?? false) ? "true" : ""]
            })
    }

    static func clusters(_ items: [Components.Schemas.Cluster]) -> String {
        Rendering.table(
            headers: ["NAME", "SERVER", "PHASE", "VERSION", "LAST CHECKED", "MESSAGE"],
            rows: items.map { cluster in
                [cluster.metadata.name, cluster.spec.server ?? "", cluster.status?.phase?.rawValue ?? "Pending",
                 cluster.status?.kubernetesVersion ?? "", Rendering.timestamp(cluster.status?.lastCheckTime),
                 cluster.status?.message ?? ""]
            })
    }

    static func tokens(_ items: [Components.Schemas.Token]) -> String {
        Rendering.table(
            headers: ["NAME", "ROLE", "CREATED", "EXPIRES", "LAST USED"],
            rows: items.map { token in
                [token.metadata.name, token.spec.role.rawValue, Rendering.timestamp(token.metadata.creationTimestamp),
                 Rendering.timestamp(token.spec.expirationTimestamp), Rendering.timestamp(token.status?.lastUsedTime)]
            })
    }

    /// Velero prints `n/a` for a schedule that never ran and the age otherwise; we print the time itself.
    private static func lastBackup(_ date: Foundation.Date?) -> String {
        date.map { Rendering.timestamp($0) } ?? "n/a"
    }
}
