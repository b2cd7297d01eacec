/// Turns a bearer token into an identity: the seam between the HTTP layer and wherever tokens are stored.
///
/// The catalog implements it over hashed tokens in SQLite (`CatalogTokenAuthenticator`), including the bootstrap
/// admin token. Implementations compare secrets in constant time and never log them.
public protocol TokenAuthenticator: Sendable {
    /// The identity `token` belongs to, or nil when it is unknown, revoked or expired.
    func authenticate(token: String) async throws -> Identity?
}

/// Tries several authenticators in order; the first that knows the token wins.
public struct ChainedTokenAuthenticator: TokenAuthenticator {
    let authenticators: [any TokenAuthenticator]

    public init(_ authenticators: [any TokenAuthenticator]) {
        self.authenticators = authenticators
    }

    public func authenticate(token: String) async throws -> Identity? {
        for authenticator in authenticators {
            if let identity = try await authenticator.authenticate(token: token) { return identity }
        }
        return nil
    }
}
