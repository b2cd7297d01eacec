import LifeboatCore

/// Object keys of one restore's artifacts, `<prefix>/restores/<R>/...`, in the location of the
/// backup being restored.
public struct RestoreKeys: Sendable, Hashable {
    public let layout: StorageLayout
    public let restoreName: String

    /// Creates the keys of one restore.
    /// - Parameters:
    ///   - layout: the location's root.
    ///   - restoreName: one path segment (a DNS-1123 name in practice).
    public init(layout: StorageLayout, restoreName: String) throws(LifeboatError) {
        try StorageLayout.validateName(restoreName, field: "restoreName")
        self.layout = layout
        self.restoreName = restoreName
    }

    /// `<prefix>/restores/<R>/`.
    public var directory: String { layout.restoresPrefix + restoreName + "/" }
    public var logs: String { directory + "restore-\(restoreName)-logs.gz" }
    public var results: String { directory + "restore-\(restoreName)-results.gz" }
    public var resourceList: String { directory + "restore-\(restoreName)-resource-list.json.gz" }
    public var itemOperations: String { directory + "restore-\(restoreName)-itemoperations.json.gz" }
    /// Lifeboat's per-item outcomes (`RestoreItemResults`); Velero never reads it.
    public var items: String { directory + "restore-\(restoreName)-items.json.gz" }
    /// No `restore-` prefix: Velero's own inconsistency, copied so its readers find the file.
    public var volumeInfo: String { directory + "\(restoreName)-volumeinfo.json.gz" }
}
