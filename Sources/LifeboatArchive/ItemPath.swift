/// Where one Kubernetes object lives inside a Velero backup tarball, and how to read such a path back.
///
/// ```
/// resources/<gr>/cluster/<name>.json                         unversioned (every format)
/// resources/<gr>/namespaces/<ns>/<name>.json
/// resources/<gr>/<ver>-preferredversion/cluster/<name>.json  format 1.1: the preferred version's copy
/// resources/<gr>/<ver>/namespaces/<ns>/<name>.json           EnableAPIGroupVersions: other versions
/// ```
public struct ItemPath: Sendable, Hashable {
    /// Which copy of the item a path names.
    public enum Copy: Sendable, Hashable {
        /// `resources/<gr>/{cluster|namespaces/<ns>}/...`: what Velero's restore reads.
        case unversioned
        /// `resources/<gr>/<ver>-preferredversion/...`.
        case preferredVersion(String)
        /// `resources/<gr>/<ver>/...`, written only with Velero's `EnableAPIGroupVersions`.
        case otherVersion(String)

        /// The API version of a versioned copy, nil for the unversioned one.
        public var version: String? {
            switch self {
            case .unversioned: nil
            case .preferredVersion(let version), .otherVersion(let version): version
            }
        }
    }

    public var groupResource: GroupResource
    public var copy: Copy
    /// Nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    /// Creates a path.
    /// - Parameters:
    ///   - groupResource: the object's resource type.
    ///   - copy: which copy (unversioned, preferred version, other version).
    ///   - namespace: nil for cluster-scoped objects.
    ///   - name: the object's `metadata.name`.
    public init(groupResource: GroupResource, copy: Copy = .unversioned, namespace: String?, name: String) {
        self.groupResource = groupResource
        self.copy = copy
        self.namespace = namespace
        self.name = name
    }

    /// The tar entry name.
    public var entryName: String {
        var path = "resources/\(groupResource)/"
        switch copy {
        case .unversioned: break
        case .preferredVersion(let version): path += "\(version)-preferredversion/"
        case .otherVersion(let version): path += "\(version)/"
        }
        if let namespace {
            path += "namespaces/\(namespace)/\(name).json"
        } else {
            path += "cluster/\(name).json"
        }
        return path
    }

    /// Parses an entry name back into its parts; nil for anything that is not an item
    /// (`metadata/version`, directories, files of unknown shape).
    public init?(entryName: String) {
        let parts = entryName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0] == "resources",
            let groupResource = GroupResource(directoryName: String(parts[1]))
        else { return nil }
        var rest = parts[2...]
        var copy = Copy.unversioned
        // A version directory sits between the group-resource and the scope; "cluster" and
        // "namespaces" can never be versions (versions look like v1, v1beta1).
        if let first = rest.first, first != "cluster", first != "namespaces" {
            guard !first.isEmpty else { return nil }
            if first.hasSuffix("-preferredversion") {
                let version = first.dropLast("-preferredversion".count)
                guard !version.isEmpty else { return nil }
                copy = .preferredVersion(String(version))
            } else {
                copy = .otherVersion(String(first))
            }
            rest = rest.dropFirst()
        }
        let scope = Array(rest)
        let fileName: Substring
        let namespace: String?
        if scope.count == 2, scope[0] == "cluster" {
            namespace = nil
            fileName = scope[1]
        } else if scope.count == 3, scope[0] == "namespaces", !scope[1].isEmpty {
            namespace = String(scope[1])
            fileName = scope[2]
        } else {
            return nil
        }
        guard fileName.hasSuffix(".json"), fileName.count > ".json".count else { return nil }
        self.init(groupResource: groupResource, copy: copy, namespace: namespace, name: String(fileName.dropLast(5)))
    }
}
