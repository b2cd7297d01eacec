import Foundation
import LifeboatCore
@testable import LifeboatStore

/// Builders for catalog objects, and a database seeded with a cluster and a default location.
enum StoreFixture {
    static let epoch = Date(timeIntervalSince1970: 1_768_000_000)

    static func cluster(_ name: String = "prod", credential: CredentialID? = nil) -> Cluster {
        Cluster(metadata: ObjectMeta(name: ClusterName(uncheckedRawValue: name), creationTimestamp: epoch),
                spec: ClusterSpec(source: .kubeconfig, credential: credential))
    }

    static func location(_ name: String = "default", isDefault: Bool = true, accessMode: AccessMode? = nil) -> BackupStorageLocation {
        BackupStorageLocation(
            metadata: ObjectMeta(name: LocationName(uncheckedRawValue: name), creationTimestamp: epoch),
            spec: BackupStorageLocationSpec(provider: .filesystem, objectStorage: ObjectStorageLocation(bucket: "/tmp/\(name)"),
                                            default: isDefault, accessMode: accessMode))
    }

    static func backup(_ name: String, cluster: String = "prod", labels: [String: String] = [:], location: String? = nil) -> Backup {
        var spec = BackupSpec(cluster: ClusterName(uncheckedRawValue: cluster))
        spec.storageLocation = location.map { LocationName(uncheckedRawValue: $0) }
        return Backup(metadata: ObjectMeta(name: BackupName(uncheckedRawValue: name), labels: labels, creationTimestamp: epoch), spec: spec)
    }

    static func restore(_ name: String, from backup: String) -> Restore {
        Restore(metadata: ObjectMeta(name: RestoreName(uncheckedRawValue: name), creationTimestamp: epoch),
                spec: RestoreSpec(backupName: BackupName(uncheckedRawValue: backup)))
    }

    static func schedule(_ name: String, cluster: String = "prod", cron: String = "0 1 * * *") -> Schedule {
        Schedule(metadata: ObjectMeta(name: ScheduleName(uncheckedRawValue: name), creationTimestamp: epoch),
                 spec: ScheduleSpec(schedule: cron, template: BackupSpec(cluster: ClusterName(uncheckedRawValue: cluster))))
    }

    /// An in-memory catalog with cluster `prod` and default location `default`.
    static func seededDatabase() async throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        _ = try await database.createCluster(cluster(), credential: nil, now: epoch)
        _ = try await database.createLocation(location(), credential: nil, now: epoch)
        return database
    }

    /// Marks a backup finished so it can be restored or deleted.
    static func complete(_ name: String, in database: AppDatabase, phase: BackupPhase = .completed) async throws {
        _ = try await database.updateBackupStatus(BackupName(uncheckedRawValue: name), BackupStatus(phase: phase))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
