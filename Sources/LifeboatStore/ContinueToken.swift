import Foundation
import LifeboatCore

/// The opaque `continue` token: the last name of the previous page, versioned and base64url-encoded.
/// Keyset paging on the name (the primary key) keeps every page an index range scan, stays correct when rows
/// are added or removed between pages, and works unchanged when filters drop rows.
enum ContinueToken {
    private static let version = "v1:"

    static func encode(afterName name: String) -> String {
        Data((version + name).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String) throws(LifeboatError) -> String {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), text.hasPrefix(version),
              DNSLabel.isValid(String(text.dropFirst(version.count)))
        else { throw .invalidArgument(field: "continue", reason: "is not a token returned by a previous list call") }
        return String(text.dropFirst(version.count))
    }
}
