import Foundation

/// Query parameters decoded the way Go's `url.ParseQuery` does (`+` is a space), with Go-style booleans.
struct QueryParameters: Sendable {
    var values: [String: [String]] = [:]

    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(String(parts[0]))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            values[key, default: []].append(value)
        }
    }

    static func decode(_ text: String) -> String {
        let spaced = text.replacingAll("+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// `strconv.ParseBool`: 1, t, T, TRUE, true, True (anything else is false).
    func bool(_ key: String) -> Bool {
        guard let value = self[key] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }
}
