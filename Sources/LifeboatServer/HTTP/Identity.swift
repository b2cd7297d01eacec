import HTTPTypes

/// Who made a request: the token's name and its role. Handlers read it from ``RequestIdentity/current``.
public struct Identity: Sendable, Hashable {
    public var name: String
    public var role: AccessRole

    public init(name: String, role: AccessRole) {
        self.name = name
        self.role = role
    }
}

/// The three roles of the API.
///
/// - `viewer` reads everything except tokens;
/// - `operator` also creates, changes and deletes clusters, locations, backups, restores and schedules;
/// - `admin` also manages tokens.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Comparable {
    case viewer, `operator`, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }

    /// The least role a request needs, decided by method and path alone so the rule is one readable table.
    public static func required(method: HTTPRequest.Method, path: String) -> AccessRole {
        if path == "/v1/tokens" || path.hasPrefix("/v1/tokens/") { return .admin }
        switch method {
        case .get, .head, .options: return .viewer
        default: return .operator
        }
    }
}
