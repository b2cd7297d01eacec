/// A Kubernetes resource type as Velero names its directory: `pods`, `deployments.apps`.
///
/// This is Go's `schema.GroupResource.String()`: the lower-case plural resource, plus `.<group>`
/// when the group is not the core (empty) group. Resource names never contain a dot, so the first
/// dot separates the two again.
public struct GroupResource: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Lower-case plural resource name (`deployments`).
    public var resource: String
    /// API group, empty for the core group (`apps`, `""`).
    public var group: String

    /// Creates a group-resource.
    /// - Parameters:
    ///   - resource: the plural resource name, e.g. `deployments`.
    ///   - group: the API group, empty for core.
    public init(resource: String, group: String = "") {
        self.resource = resource
        self.group = group
    }

    /// Parses a directory name such as `deployments.apps` or `pods`.
    public init?(directoryName: String) {
        guard !directoryName.isEmpty, !directoryName.hasPrefix("."), !directoryName.contains("/") else { return nil }
        if let dot = directoryName.firstIndex(of: ".") {
            resource = String(directoryName[..<dot])
            group = String(directoryName[directoryName.index(after: dot)...])
            if group.isEmpty { return nil }
        } else {
            resource = directoryName
            group = ""
        }
    }

    /// The directory name under `resources/`.
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public static func < (lhs: GroupResource, rhs: GroupResource) -> Bool {
        lhs.description.utf8.lexicographicallyPrecedes(rhs.description.utf8)
    }
}
