import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatKube

/// Which backed-up items a restore creates, where, and in which order: the restore's filters over the backup's
/// index (`velero-reference.md` §5.2 and §6), namespace mapping, related cluster-scoped items, and Velero's
/// priority tiers. Items a filter leaves out are not part of the plan at all, as in Velero; items a restore rule
/// refuses (never-restorable kinds, finished pods) are planned and reported as skipped by the restorer.
public struct RestorePlan: Sendable {
    /// One backed-up object and the namespace it goes to (nil for cluster-scoped objects).
    public struct Item: Sendable {
        public var key: ArchivedItemKey
        public var json: [UInt8]
        public var targetNamespace: String?
    }

    /// The items of one resource type, with its canonical `resource.group` name.
    public struct ResourceItems: Sendable {
        public var resource: String
        public var items: [Item]
    }

    /// Tiers run one after another; the resources of one tier (Velero's middle, alphabetically) run together.
    public var tiers: [[ResourceItems]]
    /// Target namespaces to create before the first namespaced item, each with its backed-up Namespace object
    /// (labels and annotations) when the backup has one.
    public var namespaces: [(target: String, source: Item?)]
    /// PVs of the backup that are not restored because the cluster re-provisions them (reclaim policy Delete, no
    /// snapshot): claims bound to them lose `spec.volumeName` so they bind to a new volume instead of waiting forever.
    public var reprovisionedVolumes: Set<String>
    public var itemCount: Int { tiers.reduce(0) { $0 + $1.reduce(0) { $0 + $1.items.count } } }

    static let definitionResource = "customresourcedefinitions.apiextensions.k8s.io"
    static let namespaceResource = GroupResource(resource: "namespaces")

    public init(index: BackupArchiveIndex, spec: RestoreSpec, catalog: APIResourceCatalog,
                priorities: RestorePriorities = .velero) throws(LifeboatError) {
        let namespaceFilter = try IncludesExcludes(includes: spec.includedNamespaces, excludes: spec.excludedNamespaces,
                                                   field: "spec.includedNamespaces")
        let resourceFilter = IncludesExcludes(includes: Self.patterns(spec.includedResources, catalog),
                                              excludes: Self.patterns(spec.excludedResources, catalog))
        let mapping = try NamespaceMapping(spec.namespaceMapping ?? [:])
        let selectors: [LabelSelector] = spec.orLabelSelectors ?? spec.labelSelector.map { [$0] } ?? []
        func selected(_ json: [UInt8]) -> Bool {
            guard !selectors.isEmpty else { return true }
            let labels = KubeObject(json: json).labels
            return selectors.contains { $0.matches(labels) }
        }

        // Group once: the index is keyed by item, and a restore may hold hundreds of thousands of them.
        var byResource: [GroupResource: [ArchivedItemKey: ArchivedItem]] = [:]
        for (key, item) in index.items { byResource[key.groupResource, default: [:]][key] = item }

        var planned: [String: [Item]] = [:]
        var claimedVolumes: Set<String> = []
        var restoredTypes: Set<String> = []
        for (groupResource, items) in byResource where groupResource != Self.namespaceResource {
            let resource = groupResource.description
            guard resourceFilter.shouldInclude(resource) else { continue }
            for (key, item) in items {
                guard let namespace = key.namespace else { continue }
                guard namespaceFilter.shouldInclude(namespace), selected(item.json) else { continue }
                planned[resource, default: []].append(Item(key: key, json: item.json, targetNamespace: mapping.target(for: namespace)))
                restoredTypes.insert(resource)
                if resource == "persistentvolumeclaims", let volume = KubeObject(json: item.json).string(at: ["spec", "volumeName"]) {
                    claimedVolumes.insert(volume)
                }
            }
        }

        // Cluster-scoped items: the tri-state, then the related ones a namespace-filtered restore still brings.
        let clusterWanted: Bool? = spec.includeClusterResources ?? (namespaceFilter.includesEverything ? true : nil)
        for (groupResource, items) in byResource where groupResource != Self.namespaceResource {
            let resource = groupResource.description
            guard clusterWanted != false, resourceFilter.shouldInclude(resource) else { continue }
            for (key, item) in items where key.namespace == nil {
                let related: Bool
                switch resource {
                case "persistentvolumes": related = claimedVolumes.contains(key.name)
                case Self.definitionResource: related = restoredTypes.contains(key.name)
                default: related = false
                }
                guard clusterWanted == true || related, related || selected(item.json) else { continue }
                planned[resource, default: []].append(Item(key: key, json: item.json, targetNamespace: nil))
            }
        }

        reprovisionedVolumes = Set((byResource[GroupResource(resource: "persistentvolumes")] ?? [:]).compactMap { key, item in
            KubeObject(json: item.json).string(at: ["spec", "persistentVolumeReclaimPolicy"]) == "Delete" ? key.name : nil
        })

        // Namespaces: every target of a planned item, plus included Namespace objects of the backup.
        var namespaceObjects: [String: Item] = [:]
        for (key, item) in byResource[Self.namespaceResource] ?? [:] {
            namespaceObjects[key.name] = Item(key: key, json: item.json, targetNamespace: nil)
        }
        var targets: [String: String] = [:]  // target → source
        for items in planned.values {
            for item in items {
                if let target = item.targetNamespace, let source = item.key.namespace { targets[target] = targets[target] ?? source }
            }
        }
        if resourceFilter.shouldInclude(Self.namespaceResource.description) {
            for (source, object) in namespaceObjects where namespaceFilter.shouldInclude(source) && selected(object.json) {
                targets[mapping.target(for: source)] = targets[mapping.target(for: source)] ?? source
            }
        }
        namespaces = targets.keys.sorted().map { target in (target, targets[target].flatMap { namespaceObjects[$0] }) }

        let order = priorities.tiers(of: planned.keys)
        tiers = order.map { tier in
            tier.map { resource in
                ResourceItems(resource: resource, items: (planned[resource] ?? []).sorted { Self.precedes($0.key, $1.key) })
            }
        }
    }

    /// Include/exclude patterns for restore: names resolved through the target's discovery like Velero does, globs
    /// kept as globs so they also match custom resources whose CRD the restore has yet to create.
    static func patterns(_ inputs: [String]?, _ catalog: APIResourceCatalog) -> [GlobPattern] {
        (inputs ?? []).compactMap { input -> GlobPattern? in
            let text = input.trimmingCharacters(in: .whitespaces)
            guard let pattern = try? GlobPattern(text.lowercased()) else { return nil }
            if !pattern.isLiteral { return pattern }
            return try? GlobPattern(catalog.resolve(text)?.qualifiedName ?? text)
        }
    }

    static func precedes(_ lhs: ArchivedItemKey, _ rhs: ArchivedItemKey) -> Bool {
        if lhs.namespace != rhs.namespace { return (lhs.namespace ?? "") < (rhs.namespace ?? "") }
        return lhs.name < rhs.name
    }
}
