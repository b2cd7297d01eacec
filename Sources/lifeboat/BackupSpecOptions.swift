import ArgumentParser
import LifeboatAPI

/// Velero's `backup create` flags, shared by `backup create` and `schedule create` (whose template is a BackupSpec).
struct BackupSpecOptions: ParsableArguments {
    @Option(help: "Cluster to back up.")
    var cluster: String?

    @Option(help: "Backup storage location; default: the server's default location.")
    var storageLocation: String?

    @Option(help: "Namespaces to include, comma-separated, globs allowed (default: all).")
    var includeNamespaces: [String] = []

    @Option(help: "Namespaces to exclude, comma-separated, globs allowed.")
    var excludeNamespaces: [String] = []

    @Option(help: "Resources to include, comma-separated (default: all).")
    var includeResources: [String] = []

    @Option(help: "Resources to exclude, comma-separated.")
    var excludeResources: [String] = []

    @Option(help: "Include cluster-scoped resources: true or false (default: automatic).")
    var includeClusterResources: Bool?

    @Option(help: "Cluster-scoped resources to include, comma-separated.")
    var includeClusterScopedResources: [String] = []

    @Option(help: "Cluster-scoped resources to exclude, comma-separated.")
    var excludeClusterScopedResources: [String] = []

    @Option(help: "Namespace-scoped resources to include, comma-separated.")
    var includeNamespaceScopedResources: [String] = []

    @Option(help: "Namespace-scoped resources to exclude, comma-separated.")
    var excludeNamespaceScopedResources: [String] = []

    @Option(name: [.customShort("l"), .long], help: "Back up only items matching this label selector.")
    var selector: String?

    @Option(help: "Back up items matching any of these selectors: \"a=b or c=d\".")
    var orSelector: String?

    @Option(help: "How long to keep the backup, e.g. 24h or 720h0m0s (default: the server's).")
    var ttl: String?

    @Option(help: "Labels on the backup, key=value comma-separated.")
    var labels: [String] = []

    @Option(help: "Take snapshots of persistent volumes: true or false.")
    var snapshotVolumes: Bool?

    @Option(help: "Back up all pod volumes with file-system backup by default: true or false.")
    var defaultVolumesToFsBackup: Bool?

    @Option(help: "Back up these objects first, e.g. 'pods=ns1/a,ns1/b;persistentvolumes=pv1'.")
    var orderedResources: String?

    func validate() throws {
        if selector != nil && orSelector != nil {
            throw ValidationError("--selector and --or-selector are mutually exclusive")
        }
    }

    /// The request's spec, in Velero's field names.
    func makeSpec() throws -> Components.Schemas.BackupSpec {
        var spec = Components.Schemas.BackupSpec()
        spec.cluster = cluster
        spec.storageLocation = storageLocation
        spec.includedNamespaces = Self.nonEmpty(FlagParsing.commaList(includeNamespaces))
        spec.excludedNamespaces = Self.nonEmpty(FlagParsing.commaList(excludeNamespaces))
        spec.includedResources = Self.nonEmpty(FlagParsing.commaList(includeResources))
        spec.excludedResources = Self.nonEmpty(FlagParsing.commaList(excludeResources))
        spec.includeClusterResources = includeClusterResources
        spec.includedClusterScopedResources = Self.nonEmpty(FlagParsing.commaList(includeClusterScopedResources))
        spec.excludedClusterScopedResources = Self.nonEmpty(FlagParsing.commaList(excludeClusterScopedResources))
        spec.includedNamespaceScopedResources = Self.nonEmpty(FlagParsing.commaList(includeNamespaceScopedResources))
        spec.excludedNamespaceScopedResources = Self.nonEmpty(FlagParsing.commaList(excludeNamespaceScopedResources))
        if let selector { spec.labelSelector = try LabelSelectorParser.parse(selector).wire }
        if let orSelector { spec.orLabelSelectors = try LabelSelectorParser.parseOr(orSelector).map(\.wire) }
        spec.ttl = ttl
        spec.snapshotVolumes = snapshotVolumes
        spec.defaultVolumesToFsBackup = defaultVolumesToFsBackup
        if let orderedResources {
            var map: [String: String] = [:]
            for entry in orderedResources.split(separator: ";") {
                let parts = entry.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw CLIError("--ordered-resources: expected resource=ns/name,..., got '\(entry)'") }
                map[String(parts[0])] = String(parts[1])
            }
            spec.orderedResources = .init(additionalProperties: map)
        }
        return spec
    }

    /// Object labels from `--labels`.
    func makeLabels() throws -> [String: String] {
        try FlagParsing.keyValueMap(labels, flag: "--labels")
    }

    static func nonEmpty(_ list: [String]) -> [String]? { list.isEmpty ? nil : list }
}

extension Components.Schemas.ObjectMeta {
    /// Metadata for a create request: a name and optional labels; the server fills in the rest.
    static func named(_ name: String, labels: [String: String] = [:]) -> Self {
        var meta = Self(name: name)
        if !labels.isEmpty { meta.labels = .init(additionalProperties: labels) }
        return meta
    }
}
