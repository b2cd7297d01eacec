import Crypto
import Foundation

/// The bootstrap admin token: created on first start as `<data dir>/admin-token` (mode 0600), then only its
/// SHA-256 digest is kept in memory.
///
/// It answers the chicken-and-egg of a fresh server (someone must be admin to create tokens) and is a
/// ``TokenAuthenticator`` on its own; the catalog's token table authenticates every other token.
package struct AdminTokenFile: TokenAuthenticator {
    /// The identity the bootstrap token stands for.
    package static let identity = Identity(name: "admin", role: .admin)
    package static let fileName = "admin-token"

    private let digest: SHA256.Digest

    /// Reads the token file in `directory`, creating it with a fresh random token when it does not exist.
    package init(directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !manager.fileExists(atPath: path) {
            let token = Self.generateToken()
            // Created 0600 before any byte is written, so the secret is never readable by others.
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError("cannot create \(path)")
            }
            try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        let attributes = try manager.attributesOfItem(atPath: path)
        if let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 != 0 {
            throw ConfigurationError("\(path) must not be readable by group or others (chmod 600)")
        }
        let token = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ConfigurationError("\(path) is empty") }
        digest = SHA256.hash(data: Data(token.utf8))
    }

    package func authenticate(token: String) async throws -> Identity? {
        // Comparing digests keeps the comparison's timing independent of the secret.
        SHA256.hash(data: Data(token.utf8)) == digest ? Self.identity : nil
    }

    /// 32 random bytes as URL-safe base64 with the `lbt_` prefix, so leaked tokens are easy to grep for.
    package static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "lbt_" + base64
    }
}
