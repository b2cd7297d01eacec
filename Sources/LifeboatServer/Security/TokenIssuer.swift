import Foundation
import LifeboatCore
import LifeboatStore
import Logging

/// Issues, authenticates and bootstraps API tokens. The secret exists only in the `IssuedToken` returned once
/// (and, for the first admin token, in the 0600 `admin-token` file); the catalog keeps its SHA-256.
public struct TokenIssuer: Sendable, CustomStringConvertible {
    let database: AppDatabase

    /// The first admin token's file name inside the data directory.
    public static let adminTokenFileName = "admin-token"
    /// The name the bootstrap token is stored under.
    public static let adminTokenName = TokenName(uncheckedRawValue: "admin")

    public init(database: AppDatabase) {
        self.database = database
    }

    public var description: String { "TokenIssuer" }

    /// Creates a token; the secret is in the result and nowhere else.
    public func issue(name: TokenName, role: Role, now: Date = Date()) async throws -> IssuedToken {
        let secret = APIToken.generate()
        let info = try await database.createToken(name: name, role: role, hash: APIToken.hash(secret), now: now)
        return IssuedToken(info: info, secret: secret)
    }

    /// The live token a bearer value belongs to, or `nil` (malformed, unknown or revoked).
    public func authenticate(bearer: String, now: Date = Date()) async throws -> TokenInfo? {
        guard APIToken.isWellFormed(bearer) else { return nil }
        return try await database.authenticateToken(hash: APIToken.hash(bearer), now: now)
    }

    /// On first start (no token in the catalog) creates the admin token and writes it to
    /// `<directory>/admin-token` with mode 0600; later starts do nothing. Returns whether a token was created.
    ///
    /// The file is written before the hash is stored: a crash in between leaves no token in the catalog, so the
    /// next start simply creates a new one and overwrites the file, and the server is never left without an admin.
    @discardableResult
    public func bootstrapAdminToken(in directory: URL, logger: Logger, now: Date = Date()) async throws -> Bool {
        guard try await !database.hasAnyToken() else { return false }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let secret = APIToken.generate()
        let url = directory.appendingPathComponent(Self.adminTokenFileName)
        try SecretFile.write(Data((secret + "\n").utf8), to: url)
        _ = try await database.createToken(name: Self.adminTokenName, role: .admin, hash: APIToken.hash(secret), now: now)
        logger.notice("Created the first admin token", metadata: ["token.file": "\(url.path)"])
        return true
    }
}

/// A freshly issued token: the only time the secret is available.
public struct IssuedToken: Sendable, CustomStringConvertible {
    public let info: TokenInfo
    /// `lb_…`; show it once, never log it.
    public let secret: String

    /// Redacts the secret, so logging an `IssuedToken` by accident leaks nothing.
    public var description: String { "IssuedToken(name: \(info.name), role: \(info.role.rawValue), secret: <redacted>)" }
}
