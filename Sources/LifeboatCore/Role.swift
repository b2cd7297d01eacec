/// What a bearer token may do.
///
/// | Resource | viewer | operator | admin |
/// |---|---|---|---|
/// | backups, restores, schedules | read | read, write | read, write |
/// | clusters, backup locations | read | read | read, write |
/// | tokens | – | – | read, write |
/// | server status | read | read | read |
///
/// "write" covers create, update, delete and the action sub-resources (`cancel`, `pause`, `unpause`,
/// `trigger`). Reading logs and downloading backups is "read" on the backup or restore. Tokens are admin-only
/// even to list, because a token list reveals who has access.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    /// The kind of access a request needs.
    public enum Access: String, Sendable, Hashable, CaseIterable {
        case read
        case write
    }

    /// The resource a request touches.
    public enum Resource: String, Sendable, Hashable, CaseIterable {
        case clusters
        case backupStorageLocations
        case backups
        case restores
        case schedules
        case tokens
        case serverStatus
    }

    /// Whether this role may perform `access` on `resource`.
    public func allows(_ access: Access, on resource: Resource) -> Bool {
        switch (self, resource, access) {
        case (.admin, _, _): true
        case (_, .tokens, _): false
        case (_, _, .read): true
        case (.operator, .backups, .write), (.operator, .restores, .write), (.operator, .schedules, .write): true
        default: false
        }
    }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    /// Roles are ordered by privilege: viewer < operator < admin.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
