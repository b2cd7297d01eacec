import Foundation

/// Parses Kubernetes label-selector syntax (`-l`, `--selector`, `--or-selector`) the way `kubectl` and Velero do.
///
/// Supported requirements, comma-separated: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
/// Equality goes to `matchLabels`; the rest becomes `matchExpressions` (`k!=v` is `NotIn [v]`, as in apimachinery).
enum LabelSelectorParser {
    /// One parsed requirement.
    struct Requirement: Equatable {
        enum Operator: String, Equatable { case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist" }
        var key: String
        var `operator`: Operator
        var values: [String]
    }

    /// A parsed selector: equality labels plus set-based requirements.
    struct Selector: Equatable {
        var matchLabels: [String: String] = [:]
        var matchExpressions: [Requirement] = []
    }

    static func parse(_ text: String) throws -> Selector {
        var selector = Selector()
        for clause in try splitClauses(text) {
            let clause = clause.trimmingWhitespace()
            if clause.isEmpty { continue }
            if clause.hasPrefix("!") {
                let key = try validKey(String(clause.dropFirst()), in: text)
                selector.matchExpressions.append(.init(key: key, operator: .doesNotExist, values: []))
            } else if let range = clause.range(of: "!=") {
                let key = try validKey(String(clause[..<range.lowerBound]), in: text)
                let value = clause[range.upperBound...].trimmingWhitespace()
                selector.matchExpressions.append(.init(key: key, operator: .notIn, values: [value]))
            } else if let range = clause.range(of: "==") ?? clause.range(of: "=") {
                let key = try validKey(String(clause[..<range.lowerBound]), in: text)
                selector.matchLabels[key] = clause[range.upperBound...].trimmingWhitespace()
            } else if let (key, op, values) = try setRequirement(clause, in: text) {
                selector.matchExpressions.append(.init(key: key, operator: op, values: values))
            } else {
                selector.matchExpressions.append(.init(key: try validKey(clause, in: text), operator: .exists, values: []))
            }
        }
        return selector
    }

    /// `"a=b or c=d"` → two selectors, as Velero's `--or-selector` takes them.
    static func parseOr(_ text: String) throws -> [Selector] {
        let parts = text.components(separatedBy: " or ").map { $0.trimmingWhitespace() }
        guard !parts.contains(where: \.isEmpty) else { throw CLIError("invalid --or-selector '\(text)'") }
        return try parts.map(parse)
    }

    /// Splits on commas outside parentheses.
    private static func splitClauses(_ text: String) throws -> [String] {
        var clauses: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1; current.append(character)
            case ")":
                depth -= 1
                guard depth >= 0 else { throw CLIError("invalid label selector '\(text)': unbalanced ')'") }
                current.append(character)
            case "," where depth == 0: clauses.append(current); current = ""
            default: current.append(character)
            }
        }
        guard depth == 0 else { throw CLIError("invalid label selector '\(text)': unbalanced '('") }
        clauses.append(current)
        return clauses
    }

    private static func setRequirement(_ clause: String, in text: String) throws -> (String, Requirement.Operator, [String])? {
        for (word, op) in [(" notin ", Requirement.Operator.notIn), (" in ", .in)] {
            guard let range = clause.range(of: word) else { continue }
            let key = try validKey(String(clause[..<range.lowerBound]), in: text)
            let rest = clause[range.upperBound...].trimmingWhitespace()
            guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                throw CLIError("invalid label selector '\(text)': expected '(' after '\(word.trimmingWhitespace())'")
            }
            let values = FlagParsing.commaList([String(rest.dropFirst().dropLast())])
            guard !values.isEmpty else { throw CLIError("invalid label selector '\(text)': empty value set") }
            return (key, op, values)
        }
        return nil
    }

    private static func validKey(_ raw: String, in text: String) throws -> String {
        let key = raw.trimmingWhitespace()
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
        guard !key.isEmpty, allowed else { throw CLIError("invalid label selector '\(text)': bad key '\(key)'") }
        return key
    }
}
