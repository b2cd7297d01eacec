/// Everything a cluster serves, from one discovery pass, with the name resolution Velero users expect.
public struct APIResourceCatalog: Sendable {
    /// Groups in discovery order; the core group first.
    public var groups: [APIGroupInfo]
    /// Every resource of every served group-version, subresources included.
    public var resources: [APIResource]
    /// Group-versions whose resource list could not be fetched; their resources are missing above.
    public var failedGroupVersions: [String]

    public init(groups: [APIGroupInfo], resources: [APIResource], failedGroupVersions: [String] = []) {
        self.groups = groups
        self.resources = resources
        self.failedGroupVersions = failedGroupVersions
    }

    /// One entry per group and resource, in the group's preferred version, without subresources
    /// (client-go `ServerPreferredResources`, which Velero and `kubectl api-resources` use).
    ///
    /// A resource served only in a version other than the preferred one (a CRD group whose newest version holds
    /// one kind, the rest still in `v1beta1`) is listed in the first version of the group that serves it, as
    /// client-go does; taking the preferred version alone would leave such resources out of every backup.
    public var preferredResources: [APIResource] {
        var result: [APIResource] = []
        for group in groups {
            var seen: Set<String> = []
            for version in [group.preferredVersion] + group.versions.filter({ $0 != group.preferredVersion }) {
                for resource in resources where resource.group == group.name && resource.version == version && !resource.isSubresource {
                    if seen.insert(resource.name).inserted { result.append(resource) }
                }
            }
        }
        return result
    }

    /// The preferred-version resource whose `kind` and group match, e.g. to find where a manifest goes.
    public func resource(forKind kind: String, group: String) -> APIResource? {
        preferredResources.first { $0.kind == kind && $0.group == group }
    }

    /// The resource serving `kind` in exactly `apiVersion` (`apps/v1`), for objects read from a backup.
    public func resource(forKind kind: String, apiVersion: String) -> APIResource? {
        resources.first { $0.kind == kind && $0.groupVersion == apiVersion && !$0.isSubresource }
    }

    /// Resolves what a user typed to one resource: a plural (`deployments`), singular or kind (`Deployment`,
    /// any case), a short name (`deploy`), each optionally qualified by its group (`deployments.apps`).
    ///
    /// Like client-go's RESTMapper with the short-name expander: the text before the first dot is the
    /// resource, the rest the group; without a group, the core group wins, then groups in discovery order.
    public func resolve(_ input: String) -> APIResource? {
        let trimmed = input.trimmingWhitespace().lowercased()
        guard !trimmed.isEmpty else { return nil }
        let candidates = preferredResources
        // The whole input may be a plural or short name without a group (`pods`), or `resource.group`.
        var splits: [(resource: String, group: String?)] = [(trimmed, nil)]
        if let dot = trimmed.firstIndex(of: ".") {
            splits.append((String(trimmed[..<dot]), String(trimmed[trimmed.index(after: dot)...])))
        }
        for (resource, group) in splits {
            let inGroup = candidates.filter { group == nil || $0.group == group }
            if let byName = inGroup.first(where: { $0.name == resource }) { return byName }
            if let byShortName = inGroup.first(where: { $0.shortNames.contains(resource) }) { return byShortName }
            if let bySingular = inGroup.first(where: { $0.singularName == resource || $0.kind.lowercased() == resource }) {
                return bySingular
            }
        }
        return nil
    }

    /// Turns an include or exclude list into concrete `resource.group` names, Velero's way (`velero-reference.md` §5.1).
    ///
    /// A name that resolves becomes its canonical form; a glob (`*`, `?`, `[…]`) expands to every preferred
    /// resource whose canonical name it matches (`*` to all, a glob matching nothing to nothing); a name that
    /// resolves to nothing is kept as written, so an unresolvable include never widens to "everything".
    public func resolveFilter(_ inputs: [String]) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        func add(_ name: String) {
            if seen.insert(name).inserted { result.append(name) }
        }
        for input in inputs {
            let pattern = String(input.trimmingWhitespace())
            if Glob.isPattern(pattern) {
                let glob = Glob(pattern.lowercased())
                for resource in preferredResources where glob.matches(resource.qualifiedName) { add(resource.qualifiedName) }
            } else if let resource = resolve(pattern) {
                add(resource.qualifiedName)
            } else {
                add(pattern)
            }
        }
        return result
    }
}
