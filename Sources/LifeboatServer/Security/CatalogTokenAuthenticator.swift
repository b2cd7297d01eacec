import Foundation
import LifeboatCore

/// Authenticates bearer tokens against the hashed tokens in the catalog.
struct CatalogTokenAuthenticator: TokenAuthenticator {
    let issuer: TokenIssuer
    let now: @Sendable () -> Date

    func authenticate(token: String) async throws -> Identity? {
        guard let info = try await issuer.authenticate(bearer: token, now: now()) else { return nil }
        return Identity(name: info.name.rawValue, role: info.role)
    }
}
