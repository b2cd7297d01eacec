import Foundation
import LifeboatCore

/// Seals the typed secrets of clusters and locations with the server's `CredentialSealer`, and opens them
/// for the jobs that need them. The catalog only ever sees the sealed bytes.
struct CredentialVault: Sendable {
    let sealer: CredentialSealer

    func seal<Secret: Encodable>(_ secret: Secret) throws -> SealedCredential {
        try sealer.seal(JSONEncoder().encode(secret))
    }

    /// Opens a sealed credential. A failure says which credential, never what it holds.
    func open<Secret: Decodable>(_ sealed: SealedCredential, as _: Secret.Type) throws -> Secret {
        let plaintext = try sealer.open(sealed)
        do {
            return try JSONDecoder().decode(Secret.self, from: plaintext)
        } catch {
            throw LifeboatError.unavailable(dependency: "credential \(sealed.id) (unreadable)")
        }
    }
}
