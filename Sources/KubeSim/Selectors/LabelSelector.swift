import Foundation

/// A parsed `labelSelector` query: the full grammar of apimachinery's `labels.Parse` (equality,
/// set-based, existence and integer comparisons; comma means AND).
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        case greaterThan(String, Int)
        case lessThan(String, Int)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .isIn(let k, let values): return labels[k].map(values.contains) ?? false
            case .notIn(let k, let values): return !(labels[k].map(values.contains) ?? false)
            case .exists(let k): return labels[k] != nil
            case .doesNotExist(let k): return labels[k] == nil
            case .greaterThan(let k, let n): return labels[k].flatMap { Int($0) }.map { $0 > n } ?? false
            case .lessThan(let k, let n): return labels[k].flatMap { Int($0) }.map { $0 < n } ?? false
            }
        }
    }

    var requirements: [Requirement]

    var isEmpty: Bool { requirements.isEmpty }

    func matches(_ labels: [String: String]) -> Bool { requirements.allSatisfy { $0.matches(labels) } }

    init(parsing text: String) throws(StatusError) {
        requirements = []
        for clause in Self.splitClauses(text) {
            let trimmed = clause.trimmingSpaces
            if trimmed.isEmpty { continue }
            requirements.append(try Self.parseClause(trimmed))
        }
    }

    /// Splits on commas that are not inside `( … )`.
    private static func splitClauses(_ text: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 {
                clauses.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        clauses.append(current)
        return clauses
    }

    private static func parseClause(_ clause: String) throws(StatusError) -> Requirement {
        func invalid() -> StatusError { .badRequest("unable to parse requirement: invalid label selector \"\(clause)\"") }
        if clause.hasPrefix("!") {
            let key = String(clause.dropFirst()).trimmingSpaces
            guard isValidKey(key) else { throw invalid() }
            return .doesNotExist(key)
        }
        for (op, build) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = clause.range(of: op) {
                let key = String(clause[..<range.lowerBound]).trimmingSpaces
                let value = String(clause[range.upperBound...]).trimmingSpaces
                guard isValidKey(key) else { throw invalid() }
                return build(key, value)
            }
        }
        for (op, isGreater) in [(">", true), ("<", false)] {
            if let range = clause.range(of: op) {
                let key = String(clause[..<range.lowerBound]).trimmingSpaces
                guard isValidKey(key), let n = Int(String(clause[range.upperBound...]).trimmingSpaces) else { throw invalid() }
                return isGreater ? .greaterThan(key, n) : .lessThan(key, n)
            }
        }
        let words = clause.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let key = words[0]
            let rest = words[1].trimmingSpaces
            let notIn = rest.hasPrefix("notin")
            let isIn = rest.hasPrefix("in")
            guard notIn || isIn else { throw invalid() }
            let setText = String(rest.dropFirst(notIn ? 5 : 2)).trimmingSpaces
            guard setText.hasPrefix("("), setText.hasSuffix(")") else { throw invalid() }
            let values = Set(setText.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces })
            return notIn ? .notIn(key, values) : .isIn(key, values)
        }
        guard isValidKey(clause) else { throw invalid() }
        return .exists(clause)
    }

    private static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
