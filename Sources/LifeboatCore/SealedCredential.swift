import Foundation

/// A credential as the catalog stores it: AES-GCM sealed bytes (nonce, ciphertext and tag) that only the
/// server's key opens, bound to `id` as authenticated data so a sealed box cannot be moved to another credential.
/// Neither the store nor this type ever sees the plaintext.
public struct SealedCredential: Sendable, Hashable {
    public var id: CredentialID
    /// The combined AES-GCM representation.
    public var sealedBox: Data

    public init(id: CredentialID, sealedBox: Data) {
        self.id = id
        self.sealedBox = sealedBox
    }
}

extension SealedCredential: CustomStringConvertible {
    /// Only the id: even sealed bytes stay out of logs.
    public var description: String { "SealedCredential(\(id))" }
}
