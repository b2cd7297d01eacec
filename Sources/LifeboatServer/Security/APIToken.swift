import Crypto
import Foundation

/// The shape of an API bearer token: `lb_` followed by 32 random bytes in unpadded base64url (43 characters).
/// Only the hex SHA-256 of a token is stored; a fast hash is enough because the token has 256 bits of entropy.
public enum APIToken {
    /// Every token starts with this, so secret scanners and humans recognise one.
    public static let prefix = "lb_"

    /// A new random token.
    public static func generate() -> String {
        let key = SymmetricKey(size: .bits256)
        let base64 = key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The value stored in the catalog: lower-case hex SHA-256 of the whole token.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` has a token's shape (cheap check before hashing and looking it up).
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let body = text.dropFirst(prefix.count)
        return body.count == 43 && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
