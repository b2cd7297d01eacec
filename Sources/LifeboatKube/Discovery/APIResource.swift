/// One resource type the cluster serves, as discovery describes it (`APIResourceList.resources[]`).
public struct APIResource: Sendable, Hashable {
    /// `""` for the core group.
    public var group: String
    public var version: String
    /// The plural, lower-case name used in URLs (`deployments`); subresources are `plural/sub`.
    public var name: String
    public var singularName: String
    public var kind: String
    public var namespaced: Bool
    public var verbs: [String]
    public var shortNames: [String]
    public var categories: [String]

    public init(group: String, version: String, name: String, singularName: String = "", kind: String, namespaced: Bool,
                verbs: [String] = [], shortNames: [String] = [], categories: [String] = []) {
        self.group = group
        self.version = version
        self.name = name
        self.singularName = singularName
        self.kind = kind
        self.namespaced = namespaced
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
    }

    /// `group/version`, or just `version` for the core group: the objects' `apiVersion`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The canonical `resource.group` name Velero filters on (`deployments.apps`; `pods` for core).
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

    /// True for `pods/exec`, `deployments/scale` and the like.
    public var isSubresource: Bool { name.contains("/") }

    public func supports(_ verb: String) -> Bool { verbs.contains(verb) }

    /// `/api/v1` or `/apis/<group>/<version>`.
    public var prefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection URL path; namespaced resources without a namespace list across all namespaces.
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace { return "\(prefix)/namespaces/\(Self.escape(namespace))/\(name)" }
        return "\(prefix)/\(name)"
    }

    /// The URL path of one object, optionally of its subresource (`status`).
    public func objectPath(name object: String, namespace: String?, subresource: String? = nil) -> String {
        var path = collectionPath(namespace: namespaced ? namespace : nil) + "/" + Self.escape(object)
        if let subresource { path += "/" + subresource }
        return path
    }

    /// Object names are DNS subdomains, but a hostile or broken input must not escape its path segment.
    static func escape(_ segment: String) -> String {
        HTTPKubernetesClient.percentEncodePathSegment(segment)
    }
}

/// One API group and its versions, from `/api` and `/apis`.
public struct APIGroupInfo: Sendable, Hashable {
    /// `""` for the core group.
    public var name: String
    public var versions: [String]
    public var preferredVersion: String
}
