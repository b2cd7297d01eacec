import LifeboatCore
import LifeboatKube

/// Which resource types and namespaces a backup lists, decided once from discovery and the live namespaces
/// with Velero's rules (`velero-reference.md` §5): resource names resolved to `resource.group`, globs expanded,
/// excludes winning, the `includeClusterResources` tri-state or the scoped filters, and cohabiting resources
/// taken from one group only.
public struct BackupScope: Sendable {
    /// The namespace rule, applied to every namespaced item (lists across all namespaces are filtered with it).
    public let namespaces: IncludesExcludes
    /// Live namespaces that pass the rule, sorted.
    public let selectedNamespaces: [String]
    /// Whether every namespace is in (the rule includes everything): lists then go across all namespaces at once.
    public let coversAllNamespaces: Bool
    /// Namespaced resource types to list, in discovery order.
    public let namespacedResources: [APIResource]
    /// Cluster-scoped resource types to list directly (never `namespaces`, which is handled on its own).
    public let clusterResources: [APIResource]
    /// Whether the `namespaces` objects themselves go into the backup.
    public let includesNamespaceObjects: Bool
    /// Cluster-scoped types that related items (a PVC's PV, a custom resource's CRD) may pull in.
    private let relatedClusterRule: @Sendable (String) -> Bool

    /// Whether a related cluster-scoped item of `resource` (`persistentvolumes`, `customresourcedefinitions.apiextensions.k8s.io`)
    /// may be added although its type is not listed: Velero adds them unless the resource filter or an explicit
    /// `includeClusterResources: false` excludes them.
    public func allowsRelated(clusterResource resource: String) -> Bool { relatedClusterRule(resource) }

    /// Whether `resource` (qualified name) is among the listed types.
    public func lists(_ resource: String) -> Bool {
        namespacedResources.contains { $0.qualifiedName == resource } || clusterResources.contains { $0.qualifiedName == resource }
    }

    /// The resources Kubernetes serves under two groups; only one copy is backed up (`cohabitatingResources()`).
    static let cohabitants: [(keep: String, drop: String)] = [
        ("events", "events.events.k8s.io"),
        ("deployments.apps", "deployments.extensions"),
        ("daemonsets.apps", "daemonsets.extensions"),
        ("replicasets.apps", "replicasets.extensions"),
        ("networkpolicies.networking.k8s.io", "networkpolicies.extensions"),
    ]

    public init(spec: BackupSpec, catalog: APIResourceCatalog, liveNamespaces: [String]) throws(LifeboatError) {
        let namespaces = try IncludesExcludes(includes: spec.includedNamespaces, excludes: spec.excludedNamespaces,
                                              field: "spec.includedNamespaces")
        self.namespaces = namespaces
        self.coversAllNamespaces = namespaces.includesEverything
        self.selectedNamespaces = liveNamespaces.filter(namespaces.shouldInclude).sorted()

        let listable = catalog.preferredResources.filter { !$0.isSubresource && $0.supports("list") && $0.supports("get") }
        let names = Set(listable.map(\.qualifiedName))
        let dropped = Set(Self.cohabitants.filter { names.contains($0.keep) }.map(\.drop))
        let candidates = listable.filter { !dropped.contains($0.qualifiedName) }

        // Names resolved to `resource.group` and globs expanded through discovery; `*` stays `*`, which is what
        // makes a list "include everything" (and a backup full) in Velero's rules.
        let literal = { (inputs: [String]?) -> [GlobPattern] in
            guard !(inputs ?? []).contains("*") else { return [try! GlobPattern("*")] }
            return catalog.resolveFilter(inputs ?? []).compactMap { try? GlobPattern($0) }
        }
        let namespaceObjectsResource = "namespaces"
        if spec.usesScopedResourceFilters {
            let namespaced = IncludesExcludes(includes: literal(spec.includedNamespaceScopedResources),
                                              excludes: literal(spec.excludedNamespaceScopedResources))
            let cluster = IncludesExcludes(includes: literal(spec.includedClusterScopedResources),
                                           excludes: literal(spec.excludedClusterScopedResources))
            let clusterListsEmpty = (spec.includedClusterScopedResources ?? []).isEmpty && (spec.excludedClusterScopedResources ?? []).isEmpty
            let fullBackup = namespaces.includesEverything && namespaced.includesEverything
            let clusterIncluded: @Sendable (String) -> Bool = { resource in
                if clusterListsEmpty { return fullBackup }
                // Listed cluster types only: an empty include list means none here, unlike the legacy rule.
                if cluster.excludes.contains(where: { $0.matches(resource) }) { return false }
                return cluster.includes.contains { $0.rawValue == "*" || $0.matches(resource) }
            }
            namespacedResources = candidates.filter { $0.namespaced && namespaced.shouldInclude($0.qualifiedName) }
            clusterResources = candidates.filter {
                !$0.namespaced && $0.qualifiedName != namespaceObjectsResource && clusterIncluded($0.qualifiedName)
            }
            includesNamespaceObjects = !cluster.excludes.contains { $0.matches(namespaceObjectsResource) }
            relatedClusterRule = { resource in !cluster.excludes.contains { $0.matches(resource) } }
        } else {
            let resources = IncludesExcludes(includes: literal(spec.includedResources), excludes: literal(spec.excludedResources))
            let clusterWanted: Bool
            switch spec.includeClusterResources {
            case true?: clusterWanted = true
            case false?: clusterWanted = false
            case nil: clusterWanted = namespaces.includesEverything
            }
            namespacedResources = candidates.filter { $0.namespaced && resources.shouldInclude($0.qualifiedName) }
            clusterResources = clusterWanted
                ? candidates.filter { !$0.namespaced && $0.qualifiedName != namespaceObjectsResource && resources.shouldInclude($0.qualifiedName) }
                : []
            includesNamespaceObjects = !resources.excludes.contains { $0.matches(namespaceObjectsResource) }
            let explicitlyOff = spec.includeClusterResources == false
            // Velero re-checks the resource filter for items an action adds, and drops cluster-scoped ones only when
            // includeClusterResources is explicitly false (the PV of a PVC comes along in a namespace backup).
            relatedClusterRule = { resource in !explicitlyOff && resources.shouldInclude(resource) }
        }
    }
}
