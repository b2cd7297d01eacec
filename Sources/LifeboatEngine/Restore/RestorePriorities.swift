/// The order in which a restore creates resource types (`velero-reference.md` §4): a high-priority list restored
/// first, one type at a time, then every other type together, then a low-priority list.
///
/// Entries are canonical qualified names (`pods`, `deployments.apps`) compared exactly. Velero resolves its list
/// through discovery instead, so a bare `customresourcedefinitions` or the singular `volumesnapshotclass` still finds
/// its group; `velero` spells out what that resolution yields on a real cluster, which keeps this type pure.
///
/// ```swift
/// RestorePriorities.velero.tiers(of: ["deployments.apps", "pods", "namespaces", "configmaps"])
/// // [["namespaces"], ["configmaps"], ["pods"], ["deployments.apps"]]
/// ```
public struct RestorePriorities: Sendable, Hashable {
    /// Restored first, each type its own tier, in this order.
    public let high: [String]
    /// Restored last, each type its own tier, in this order.
    public let low: [String]

    /// Wraps two lists of canonical qualified resource names.
    /// - Parameters:
    ///   - high: Types restored before all others, in order.
    ///   - low: Types restored after all others, in order. A type also in `high` stays high.
    public init(high: [String], low: [String]) {
        self.high = high
        self.low = low
    }

    /// Velero's `defaultRestorePriorities` (`pkg/cmd/server/config/config.go`), with each entry qualified the way
    /// discovery resolves it. Velero's `volumesnapshotclass` is a singular that discovery maps to the plural.
    public static let velero = RestorePriorities(
        high: [
            "customresourcedefinitions.apiextensions.k8s.io",
            "namespaces",
            "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io",
            "datauploads.velero.io",
            "persistentvolumes",
            "persistentvolumeclaims",
            // RBAC before workloads (v1.18); ServiceAccounts before Secrets so token secrets get populated.
            "clusterroles.rbac.authorization.k8s.io",
            "roles.rbac.authorization.k8s.io",
            "serviceaccounts",
            "clusterrolebindings.rbac.authorization.k8s.io",
            "rolebindings.rbac.authorization.k8s.io",
            "secrets",
            "configmaps",
            "limitranges",
            "priorityclasses.scheduling.k8s.io",
            "pods",
            "replicasets.apps",
            "clusterclasses.cluster.x-k8s.io",
            "endpoints",
            "services",
        ],
        low: [
            "clusterbootstraps.run.tanzu.vmware.com",
            "clusters.cluster.x-k8s.io",
            "clusterresourcesets.addons.cluster.x-k8s.io",
            "apps.kappctrl.k14s.io",
            "packageinstalls.packaging.carvel.dev",
        ])

    /// Groups `resources` into restore tiers: each present high-priority type alone in list order, then one tier
    /// of every other type sorted by name (no order among them, so they may be restored in parallel), then each
    /// present low-priority type alone. Duplicates collapse and empty tiers are left out.
    public func tiers(of resources: some Sequence<String>) -> [[String]] {
        let present = Set(resources)
        var placed = Set<String>()
        var tiers: [[String]] = []
        for resource in high where present.contains(resource) && placed.insert(resource).inserted {
            tiers.append([resource])
        }
        let lowPresent = low.filter { present.contains($0) && !placed.contains($0) }
        placed.formUnion(lowPresent)
        let middle = present.subtracting(placed).sorted()
        if !middle.isEmpty { tiers.append(middle) }
        var lowPlaced = Set<String>()
        for resource in lowPresent where lowPlaced.insert(resource).inserted {
            tiers.append([resource])
        }
        return tiers
    }
}
