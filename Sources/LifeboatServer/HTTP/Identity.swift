import HTTPTypes
import LifeboatCore

/// Who made a request: the token's name and its role. Handlers read it from ``RequestIdentity/current``.
public struct Identity: Sendable, Hashable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

extension Role {
    /// What a request touches and how, decided by method and path alone so the rule is one readable table
    /// (`Role.allows(_:on:)` holds the matrix). Unknown `/v1/…` paths count as server status reads, so they
    /// reach the router and answer 404 rather than 403.
    static func requirement(method: HTTPRequest.Method, path: String) -> (access: Access, resource: Resource) {
        let segments = path.split(separator: "/")
        let collection = segments.count >= 2 && segments[0] == "v1" ? String(segments[1]) : ""
        let resource: Resource =
            switch collection {
            case "clusters": .clusters
            case "backup-locations": .backupStorageLocations
            case "backups": .backups
            case "restores": .restores
            case "schedules": .schedules
            case "tokens": .tokens
            default: .serverStatus
            }
        let access: Access =
            switch method {
            case .get, .head, .options: .read
            default: .write
            }
        return (access, resource)
    }
}
