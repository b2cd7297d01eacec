import Foundation

/// A backup of one cluster into one location: Velero's `Backup` (`velero.io/v1`) plus `spec.cluster`.
public struct Backup: CatalogObject {
    public static let kind = "backup"

    /// Velero's label naming the schedule that created a backup.
    public static let scheduleNameLabel = "velero.io/schedule-name"
    /// Velero's label naming a backup's storage location.
    public static let storageLocationLabel = "velero.io/storage-location"

    public var metadata: ObjectMeta<BackupName>
    public var spec: BackupSpec
    public var status: BackupStatus

    public init(metadata: ObjectMeta<BackupName>, spec: BackupSpec, status: BackupStatus = BackupStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Validates metadata and spec; the first problem is thrown with its JSON field path.
    public func validate() throws(LifeboatError) {
        try metadata.validate()
        try spec.validate()
    }
}

/// Velero's `BackupSpec` field for field (JSON names identical), plus the cluster it reads from.
public struct BackupSpec: Sendable, Hashable, Codable {
    /// Lifeboat: the registered cluster this backup reads.
    public var cluster: ClusterName
    public var includedNamespaces: [String]?
    public var excludedNamespaces: [String]?
    public var includedResources: [String]?
    public var excludedResources: [String]?
    /// Tri-state: `nil` means "auto" (cluster-scoped only when all namespaces are selected).
    public var includeClusterResources: Bool?
    public var includedClusterScopedResources: [String]?
    public var excludedClusterScopedResources: [String]?
    public var includedNamespaceScopedResources: [String]?
    public var excludedNamespaceScopedResources: [String]?
    public var labelSelector: LabelSelector?
    public var orLabelSelectors: [LabelSelector]?
    public var snapshotVolumes: Bool?
    /// Go duration; the server default is 720h.
    public var ttl: String?
    public var storageLocation: LocationName?
    public var volumeSnapshotLocations: [String]?
    public var defaultVolumesToFsBackup: Bool?
    public var snapshotMoveData: Bool?
    public var datamover: String?
    /// Resource (`pods`, `persistentvolumes`) → comma-separated `ns/name` list that is backed up first, in order.
    public var orderedResources: [String: String]?
    public var csiSnapshotTimeout: String?
    public var itemOperationTimeout: String?
    public var hooks: BackupHooks?
    public var uploaderConfig: UploaderConfigForBackup?

    public init(cluster: ClusterName) { self.cluster = cluster }

    /// Velero's defaults for TTL (720h).
    public static let defaultTTL = GoDuration.seconds(720 * 3600)

    /// The backup's TTL, or the default when unset.
    public func effectiveTTL() throws(LifeboatError) -> GoDuration {
        guard let ttl else { return Self.defaultTTL }
        return try GoDuration(parsing: ttl, field: "spec.ttl")
    }

    /// True when the scoped filters (v1.11+) are used; they may not be mixed with the legacy ones.
    public var usesScopedResourceFilters: Bool {
        [includedClusterScopedResources, excludedClusterScopedResources,
         includedNamespaceScopedResources, excludedNamespaceScopedResources].contains { !($0 ?? []).isEmpty }
    }

    /// True when any legacy resource filter is set (`UseOldResourceFilters()` in Velero).
    public var usesLegacyResourceFilters: Bool {
        !(includedResources ?? []).isEmpty || !(excludedResources ?? []).isEmpty || includeClusterResources != nil
    }

    /// Validates every field; errors name the path under `prefix` (`spec.` for a backup, `spec.template.` for a schedule).
    public func validate(prefix: String = "spec.") throws(LifeboatError) {
        try FilterValidation.validate(
            includes: includedNamespaces, excludes: excludedNamespaces,
            includesField: "\(prefix)includedNamespaces", excludesField: "\(prefix)excludedNamespaces", namespaces: true)
        try FilterValidation.validate(
            includes: includedResources, excludes: excludedResources,
            includesField: "\(prefix)includedResources", excludesField: "\(prefix)excludedResources", namespaces: false)
        try FilterValidation.validate(
            includes: includedClusterScopedResources, excludes: excludedClusterScopedResources,
            includesField: "\(prefix)includedClusterScopedResources", excludesField: "\(prefix)excludedClusterScopedResources",
            namespaces: false)
        try FilterValidation.validate(
            includes: includedNamespaceScopedResources, excludes: excludedNamespaceScopedResources,
            includesField: "\(prefix)includedNamespaceScopedResources", excludesField: "\(prefix)excludedNamespaceScopedResources",
            namespaces: false)
        if usesScopedResourceFilters && usesLegacyResourceFilters {
            throw .invalidArgument(
                field: "\(prefix)includedResources",
                reason: "include-resources, exclude-resources and include-cluster-resources are old filter parameters; they cannot be used with the new resource filter parameters (cluster-scoped and namespace-scoped)")
        }
        try FilterValidation.validateSelectors(labelSelector, orLabelSelectors, prefix: prefix)
        try FilterValidation.validateDuration(ttl, field: "\(prefix)ttl")
        try FilterValidation.validateDuration(csiSnapshotTimeout, field: "\(prefix)csiSnapshotTimeout")
        try FilterValidation.validateDuration(itemOperationTimeout, field: "\(prefix)itemOperationTimeout")
        for (index, location) in (volumeSnapshotLocations ?? []).enumerated() {
            try DNSLabel.validate(location, field: "\(prefix)volumeSnapshotLocations[\(index)]")
        }
        for (resource, items) in (orderedResources ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "\(prefix)orderedResources[\(resource)]"
            _ = try GlobPattern(resource, field: field)
            if items.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) || items.isEmpty {
                throw .invalidArgument(field: field, reason: "must be a comma-separated list of namespace/name or name entries")
            }
        }
        if let datamover, !datamover.isEmpty, datamover != "velero" {
            try DNSLabel.validate(datamover, field: "\(prefix)datamover")
        }
        if let parallel = uploaderConfig?.parallelFilesUpload, parallel < 0 {
            throw .invalidArgument(field: "\(prefix)uploaderConfig.parallelFilesUpload", reason: "must not be negative")
        }
        for (index, hook) in (hooks?.resources ?? []).enumerated() {
            try hook.validate(field: "\(prefix)hooks.resources[\(index)]")
        }
    }
}

/// `spec.uploaderConfig` of a backup.
public struct UploaderConfigForBackup: Sendable, Hashable, Codable {
    public var parallelFilesUpload: Int?
    public init(parallelFilesUpload: Int? = nil) { self.parallelFilesUpload = parallelFilesUpload }
}

/// `spec.hooks`: exec hooks run in selected pods before and after they are backed up.
public struct BackupHooks: Sendable, Hashable, Codable {
    public var resources: [BackupResourceHookSpec]?
    public init(resources: [BackupResourceHookSpec]? = nil) { self.resources = resources }
}

/// One hook rule: which pods, and the pre and post hooks to run in them.
public struct BackupResourceHookSpec: Sendable, Hashable, Codable {
    public var name: String
    public var includedNamespaces: [String]?
    public var excludedNamespaces: [String]?
    public var includedResources: [String]?
    public var excludedResources: [String]?
    public var labelSelector: LabelSelector?
    public var pre: [BackupResourceHook]?
    public var post: [BackupResourceHook]?

    public init(name: String) { self.name = name }

    func validate(field: String) throws(LifeboatError) {
        if name.isEmpty { throw .invalidArgument(field: "\(field).name", reason: "must not be empty") }
        try FilterValidation.validate(
            includes: includedNamespaces, excludes: excludedNamespaces,
            includesField: "\(field).includedNamespaces", excludesField: "\(field).excludedNamespaces", namespaces: true)
        try FilterValidation.validate(
            includes: includedResources, excludes: excludedResources,
            includesField: "\(field).includedResources", excludesField: "\(field).excludedResources", namespaces: false)
        try labelSelector?.validate(field: "\(field).labelSelector")
        for (index, hook) in (pre ?? []).enumerated() { try hook.exec.validate(field: "\(field).pre[\(index)].exec") }
        for (index, hook) in (post ?? []).enumerated() { try hook.exec.validate(field: "\(field).post[\(index)].exec") }
    }
}

/// A backup hook; Velero only has exec hooks here.
public struct BackupResourceHook: Sendable, Hashable, Codable {
    public var exec: ExecHook
    public init(exec: ExecHook) { self.exec = exec }
}

/// A command run in a container over the Kubernetes exec API (no shell).
public struct ExecHook: Sendable, Hashable, Codable {
    /// Empty means the pod's first container.
    public var container: String?
    public var command: [String]
    public var onError: HookErrorMode?
    /// Go duration, default 30s.
    public var timeout: String?

    public init(container: String? = nil, command: [String], onError: HookErrorMode? = nil, timeout: String? = nil) {
        self.container = container
        self.command = command
        self.onError = onError
        self.timeout = timeout
    }

    func validate(field: String) throws(LifeboatError) {
        if command.isEmpty { throw .invalidArgument(field: "\(field).command", reason: "must not be empty") }
        if let container, !container.isEmpty { try DNSLabel.validate(container, field: "\(field).container") }
        try FilterValidation.validateDuration(timeout, field: "\(field).timeout")
    }
}

/// What a failing hook does to the rest of the work.
public enum HookErrorMode: String, Sendable, Hashable, Codable, CaseIterable {
    case `continue` = "Continue"
    case fail = "Fail"
}

/// Velero's backup phases (`backup_types.go`).
public enum BackupPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case new = "New"
    case queued = "Queued"
    case readyToStart = "ReadyToStart"
    case failedValidation = "FailedValidation"
    case inProgress = "InProgress"
    case waitingForPluginOperations = "WaitingForPluginOperations"
    case waitingForPluginOperationsPartiallyFailed = "WaitingForPluginOperationsPartiallyFailed"
    case finalizing = "Finalizing"
    case finalizingPartiallyFailed = "FinalizingPartiallyFailed"
    case completed = "Completed"
    case partiallyFailed = "PartiallyFailed"
    case failed = "Failed"
    case deleting = "Deleting"

    /// Terminal phases: the backup will not change any more except by deletion.
    public var isFinished: Bool {
        switch self {
        case .completed, .partiallyFailed, .failed, .failedValidation: true
        default: false
        }
    }
}

/// Velero's `BackupStatus`, plus Lifeboat's size and checksum of the tarball.
public struct BackupStatus: Sendable, Hashable, Codable {
    public var phase: BackupPhase
    public var version: Int?
    public var formatVersion: String?
    public var expiration: Date?
    public var queuePosition: Int?
    public var validationErrors: [String]?
    public var startTimestamp: Date?
    public var completionTimestamp: Date?
    public var failureReason: String?
    public var warnings: Int?
    public var errors: Int?
    public var progress: BackupProgress?
    public var hookStatus: HookStatus?
    public var volumeSnapshotsAttempted: Int?
    public var volumeSnapshotsCompleted: Int?
    public var backupItemOperationsAttempted: Int?
    public var backupItemOperationsCompleted: Int?
    public var backupItemOperationsFailed: Int?
    /// Lifeboat: bytes of `<name>.tar.gz`.
    public var sizeBytes: Int64?
    /// Lifeboat: `sha256:<hex>` of `<name>.tar.gz`.
    public var checksum: String?

    public init(phase: BackupPhase = .new) { self.phase = phase }
}

/// `status.progress` of a backup.
public struct BackupProgress: Sendable, Hashable, Codable {
    public var totalItems: Int?
    public var itemsBackedUp: Int?
    public init(totalItems: Int? = nil, itemsBackedUp: Int? = nil) {
        self.totalItems = totalItems
        self.itemsBackedUp = itemsBackedUp
    }
}

/// `status.hookStatus` of a backup or restore.
public struct HookStatus: Sendable, Hashable, Codable {
    public var hooksAttempted: Int?
    public var hooksFailed: Int?
    public init(hooksAttempted: Int? = nil, hooksFailed: Int? = nil) {
        self.hooksAttempted = hooksAttempted
        self.hooksFailed = hooksFailed
    }
}
