/// One Kubernetes object on its way into a backup tarball.
public struct ArchiveItem: Sendable, Equatable {
    /// Where the object's files go: `resources/<groupResource>/...`.
    public var groupResource: GroupResource
    /// The object's `apiVersion` (`apps/v1`, `v1`): its version names the preferred-version copy and,
    /// with `kind`, the resource-list key.
    public var apiVersion: String
    public var kind: String
    /// Nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String
    /// The document to store: compact Go-style JSON, as `JSONValue.goJSONBytes()` produces.
    public var json: [UInt8]

    /// Creates an item.
    /// - Parameters:
    ///   - groupResource: the resource type (`deployments.apps`).
    ///   - apiVersion: the version the object was read at (the preferred one, for Velero format 1.1).
    ///   - kind: the object's kind (`Deployment`).
    ///   - namespace: nil for cluster-scoped objects.
    ///   - name: `metadata.name`.
    ///   - json: the compact JSON body.
    public init(groupResource: GroupResource, apiVersion: String, kind: String, namespace: String?, name: String, json: [UInt8]) {
        self.groupResource = groupResource
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.json = json
    }

    /// The bare version (`v1` of `apps/v1`), used for the `<ver>-preferredversion` directory.
    public var version: String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return apiVersion }
        return String(apiVersion[apiVersion.index(after: slash)...])
    }

    /// Velero's resource-list key, `"<apiVersion>/<Kind>"` (`"apps/v1/Deployment"`).
    public var resourceListKey: String { "\(apiVersion)/\(kind)" }
}
