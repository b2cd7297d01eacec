import Crypto
import Foundation
import LifeboatCore

/// Encrypts credentials (S3 keys, kubeconfigs, cluster tokens) at rest with AES-GCM-256 under the server key.
///
/// The key lives in `<data-dir>/server.key` (32 random bytes, mode 0600), created on first start; a key file that
/// group or others can read is refused. Each credential's id is the authenticated data, so a sealed box copied
/// onto another credential's row fails to open. The sealer never logs and its description hides the key.
///
/// ```swift
/// let sealer = try CredentialSealer.loadOrCreateKey(in: dataDirectory)
/// let sealed = try sealer.seal(Data(kubeconfig.utf8))      // store `sealed`, reference `sealed.id`
/// let plaintext = try sealer.open(sealed)
/// ```
public struct CredentialSealer: Sendable, CustomStringConvertible {
    private let key: SymmetricKey

    /// The key file's name inside the data directory.
    public static let keyFileName = "server.key"

    /// Uses `key` directly (tests).
    public init(key: SymmetricKey) {
        self.key = key
    }

    /// Loads `<directory>/server.key`, creating it with a fresh random key (mode 0600) when absent.
    /// Throws when the file is readable by group or others, or is not exactly 32 bytes.
    public static func loadOrCreateKey(in directory: URL) throws -> CredentialSealer {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(keyFileName)
        if !SecretFile.exists(url) {
            let fresh = SymmetricKey(size: .bits256)
            do {
                try SecretFile.create(url, data: fresh.withUnsafeBytes { Data($0) })
            } catch SecretFile.Failure.io(_, _, let code) where code == EEXIST {
                // Another process created it first; use theirs.
            }
        }
        let bytes = try SecretFile.read(url)
        guard bytes.count == 32 else {
            throw SecretFile.Failure.malformed(path: url.path, reason: "expected 32 bytes, found \(bytes.count)")
        }
        return CredentialSealer(key: SymmetricKey(data: bytes))
    }

    /// Seals `plaintext` as the credential `id`.
    public func seal(_ plaintext: Data, id: CredentialID = CredentialID()) throws -> SealedCredential {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(id.description.utf8))
        guard let combined = box.combined else { throw OpenFailure(id: id) }  // only nil for non-standard nonce sizes
        return SealedCredential(id: id, sealedBox: combined)
    }

    /// Opens a sealed credential; throws `OpenFailure` when the bytes were altered, belong to another id or were
    /// sealed under another key.
    public func open(_ sealed: SealedCredential) throws -> Data {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.sealedBox)
            return try AES.GCM.open(box, using: key, authenticating: Data(sealed.id.description.utf8))
        } catch {
            throw OpenFailure(id: sealed.id)
        }
    }

    /// A credential that cannot be opened; names only the id.
    public struct OpenFailure: Error, Sendable, Hashable, CustomStringConvertible {
        public let id: CredentialID
        public var description: String { "credential \(id) cannot be opened with the server key" }
    }

    public var description: String { "CredentialSealer(AES-GCM-256, key: <redacted>)" }
}
