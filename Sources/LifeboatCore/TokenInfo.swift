import Foundation

/// An API token as the catalog describes it; the secret itself is never stored, only its SHA-256.
public struct TokenInfo: Sendable, Hashable, Codable {
    public var name: TokenName
    public var role: Role
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(name: TokenName, role: Role, createdAt: Date, lastUsedAt: Date? = nil,
                revokedAt: Date? = nil) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// A revoked token authenticates nothing.
    public var isRevoked: Bool { revokedAt != nil }
}
