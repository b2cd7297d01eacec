import LifeboatCore

/// Object keys of every artifact of one backup, `<prefix>/backups/<B>/...` (Velero's
/// `object_store_layout.go`). Velero ignores other objects in the directory, and deletes everything
/// under it when the backup is deleted.
public struct BackupKeys: Sendable, Hashable {
    public let layout: StorageLayout
    public let backupName: String

    /// Creates the keys of one backup.
    /// - Parameters:
    ///   - layout: the location's root.
    ///   - backupName: one path segment (a DNS-1123 name in practice).
    public init(layout: StorageLayout, backupName: String) throws(LifeboatError) {
        try StorageLayout.validateName(backupName, field: "backupName")
        self.layout = layout
        self.backupName = backupName
    }

    /// `<prefix>/backups/<B>/`: list it to delete the backup, or as the sync's identity.
    public var directory: String { layout.backupsPrefix + backupName + "/" }
    /// The `Backup` object as plain JSON; Lifeboat writes it last, so its presence means "complete".
    public var metadata: String { directory + "velero-backup.json" }
    /// The resource tarball.
    public var contents: String { directory + "\(backupName).tar.gz" }
    public var logs: String { directory + "\(backupName)-logs.gz" }
    public var podVolumeBackups: String { directory + "\(backupName)-podvolumebackups.json.gz" }
    public var volumeSnapshots: String { directory + "\(backupName)-volumesnapshots.json.gz" }
    public var itemOperations: String { directory + "\(backupName)-itemoperations.json.gz" }
    public var resourceList: String { directory + "\(backupName)-resource-list.json.gz" }
    public var results: String { directory + "\(backupName)-results.gz" }
    public var volumeInfo: String { directory + "\(backupName)-volumeinfo.json.gz" }
    /// Legacy (Velero 1.4–1.16): still readable, never written by Lifeboat.
    public var csiVolumeSnapshots: String { directory + "\(backupName)-csi-volumesnapshots.json.gz" }
    /// Legacy (Velero 1.4–1.16).
    public var csiVolumeSnapshotContents: String { directory + "\(backupName)-csi-volumesnapshotcontents.json.gz" }
    /// Legacy (Velero 1.9–1.17).
    public var csiVolumeSnapshotClasses: String { directory + "\(backupName)-csi-volumesnapshotclasses.json.gz" }
}
