/// Identifies a resource independently of the version it is served at: the unit of storage.
struct ResourceKey: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var plural: String

    /// `plural` or `plural.group`, the way apimachinery names resources in error messages.
    var qualified: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var description: String { qualified }
}

/// One entry of discovery: everything KubeSim knows about a kind of object.
struct ResourceType: Sendable {
    struct Subresource: Sendable {
        var name: String
        var kind: String
        var group: String?
        var version: String?
        var verbs: [String]
    }

    var group: String
    /// Served versions, most preferred first.
    var versions: [String]
    var storageVersion: String
    var plural: String
    var singular: String
    var kind: String
    var listKind: String
    var namespaced: Bool
    var verbs: [String]
    var shortNames: [String] = []
    var categories: [String] = []
    var subresources: [Subresource] = []
    var tracksGeneration = false
    /// Pods, PVs, PVCs, ServiceAccounts answer DELETE with the deleted object instead of a `Status`.
    var deleteReturnsObject = false
    var isCustom = false

    var key: ResourceKey { ResourceKey(group: group, plural: plural) }
    var hasStatus: Bool { subresources.contains { $0.name == "status" } }
    var hasScale: Bool { subresources.contains { $0.name == "scale" } }

    func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    func allows(_ verb: String) -> Bool { verbs.contains(verb) }

    static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}
