/// Velero's flag value syntaxes, turned into plain values before they go into an API request.
enum FlagParsing {
    /// `--include-namespaces a,b --include-namespaces c` → `["a", "b", "c"]`; blanks dropped.
    static func commaList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// `a=b,c=d` (also repeated flags) → `["a": "b", "c": "d"]`, as `--labels` and `--config` take them.
    static func keyValueMap(_ values: [String], flag: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for pair in commaList(values) {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CLIError("\(flag): expected key=value, got '\(pair)'")
            }
            map[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return map
    }

    /// `--namespace-mappings src1:dst1,src2:dst2` → `["src1": "dst1", "src2": "dst2"]`.
    static func namespaceMappings(_ values: [String]) throws -> [String: String] {
        var map: [String: String] = [:]
        for pair in commaList(values) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIError("--namespace-mappings: expected src:dst, got '\(pair)'")
            }
            map[String(parts[0])] = String(parts[1])
        }
        return map
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
