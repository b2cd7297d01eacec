import LifeboatCore

/// How to page and filter a list: the API's `limit`, `continue`, `cluster`, `phase` and `labelSelector`.
public struct ListOptions: Sendable, Hashable {
    /// The page size; `nil` returns everything after `continueToken`.
    public var limit: Int?
    /// The token a previous page returned; opaque to callers.
    public var continueToken: String?
    /// Only objects of this cluster (backups, restores and schedules; ignored by kinds without a cluster).
    public var cluster: ClusterName?
    /// Only objects in this phase (the raw phase name, e.g. `Completed`).
    public var phase: String?
    /// Only objects whose labels match.
    public var labelSelector: LabelSelector?

    public init(limit: Int? = nil, continueToken: String? = nil, cluster: ClusterName? = nil, phase: String? = nil,
                labelSelector: LabelSelector? = nil) {
        self.limit = limit
        self.continueToken = continueToken
        self.cluster = cluster
        self.phase = phase
        self.labelSelector = labelSelector
    }

    /// The largest page a caller may ask for.
    public static let maximumLimit = 1000
    /// The page an API caller gets without asking for a size (the contract's `limit` default): a bare list of a
    /// catalog with 10,000 backups would otherwise be one 7 MB response.
    public static let defaultLimit = 100
}

/// One page of a list, Kubernetes style: the items and, when more exist, the token for the next page.
public struct ListPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass back as `ListOptions.continueToken` to get the next page; `nil` on the last page.
    public var continueToken: String?

    public init(items: [Item], continueToken: String?) {
        self.items = items
        self.continueToken = continueToken
    }
}

extension ListPage: Equatable where Item: Equatable {}
