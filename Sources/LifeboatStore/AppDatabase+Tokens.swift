import Foundation
import GRDB
import LifeboatCore

/// API tokens, stored as the hex SHA-256 of the secret; the secret exists only in the response that created it.
extension AppDatabase {
    /// Stores a new token's hash; `.alreadyExists` when the name is taken.
    public func createToken(name: TokenName, role: Role, hash: String, now: Date = Date()) async throws -> TokenInfo {
        try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM token WHERE name = ?)", arguments: [name.rawValue]) == true {
                throw LifeboatError.alreadyExists(kind: "token", name: name.rawValue)
            }
            try db.execute(sql: "INSERT INTO token (name, hash, role, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [name.rawValue, hash, role.rawValue, now])
            return TokenInfo(name: name, role: role, createdAt: now)
        }
    }

    /// Every token, revoked ones included, ordered by name.
    public func tokens() async throws -> [TokenInfo] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM token ORDER BY name").map(Self.tokenInfo) }
    }

    /// One page of tokens ordered by name, keyset-paged like every other list (`limit` and `continueToken` of
    /// `options`; the filters do not apply to tokens).
    public func tokens(_ options: ListOptions) async throws -> ListPage<TokenInfo> {
        try await writer.read { db in
            try KeysetPage.fetch(db, select: "SELECT * FROM token", options: options, decode: Self.tokenInfo, name: { $0.name.rawValue })
        }
    }

    /// One token; `.notFound` when absent.
    public func token(named name: TokenName) async throws -> TokenInfo {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM token WHERE name = ?", arguments: [name.rawValue]) else {
                throw LifeboatError.notFound(kind: "token", name: name.rawValue)
            }
            return try Self.tokenInfo(row)
        }
    }

    /// Whether any token exists; `false` means this is the first start and the admin token must be created.
    public func hasAnyToken() async throws -> Bool {
        try await writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM token)") ?? false }
    }

    /// The live token with this hash, or `nil` when unknown or revoked. Refreshes `lastUsedAt` at most once a
    /// minute, and answers from `tokenCache` in between, so authenticating a request touches SQLite about once a
    /// minute per token instead of on every request. Any write to the token table (a revocation) moves its
    /// generation before it returns, so no cached answer outlives it.
    public func authenticateToken(hash: String, now: Date = Date()) async throws -> TokenInfo? {
        let needsTouch = { (token: TokenInfo) in token.lastUsedAt.map { now.timeIntervalSince($0) >= 60 } ?? true }
        // Taken before the read: a revocation committing meanwhile leaves what is filed under it unreachable.
        let generation = generations.generation(of: Self.tokenTable)
        if let cached = tokenCache.value(for: hash, at: generation), !needsTouch(cached) { return cached }
        let found = try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM token WHERE hash = ?", arguments: [hash]).map(Self.tokenInfo)
        }
        guard var token = found, !token.isRevoked else { return nil }
        if needsTouch(token) {
            try await writer.write { db in
                try db.execute(sql: "UPDATE token SET lastUsedAt = ? WHERE hash = ?", arguments: [now, hash])
            }
            token.lastUsedAt = now
        }
        tokenCache.file(token, for: hash, at: generation)
        return token
    }

    /// Revokes a token (kept for the audit trail); revoking twice keeps the first time.
    @discardableResult
    public func revokeToken(named name: TokenName, now: Date = Date()) async throws -> TokenInfo {
        try await writer.write { db in
            try db.execute(sql: "UPDATE token SET revokedAt = COALESCE(revokedAt, ?) WHERE name = ?", arguments: [now, name.rawValue])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM token WHERE name = ?", arguments: [name.rawValue]) else {
                throw LifeboatError.notFound(kind: "token", name: name.rawValue)
            }
            return try Self.tokenInfo(row)
        }
    }

    private static func tokenInfo(_ row: Row) throws -> TokenInfo {
        guard let role = Role(rawValue: row["role"]) else { throw LifeboatError.conflict(reason: "token row has an unknown role") }
        return TokenInfo(name: TokenName(uncheckedRawValue: row["name"]), role: role, createdAt: row["createdAt"],
                         lastUsedAt: row["lastUsedAt"], revokedAt: row["revokedAt"])
    }
}
