import Crypto
import Foundation
import LifeboatCore

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
        var utf8 = token
        return utf8.withUTF8 { SHA256.hash(data: $0) }.lowercaseHex
    }

    /// Whether `text` has a token's shape (cheap check before hashing and looking it up).
    public static func isWellFormed(_ text: String) -> Bool {
        // On the UTF-8 bytes: `Character.isLetter` consults the Unicode tables, and this runs on every request.
        let bytes = text.utf8
        guard bytes.count == prefix.utf8.count + 43, bytes.starts(with: prefix.utf8) else { return false }
        return bytes.dropFirst(prefix.utf8.count).allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}
