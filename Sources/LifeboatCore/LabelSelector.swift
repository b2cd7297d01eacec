/// A Kubernetes label selector (`metav1.LabelSelector`): `matchLabels` plus `matchExpressions`, all ANDed.
///
/// Parses the string syntax `kubectl -l` and `velero --selector` accept (`app=web,tier!=db,env in (a,b),
/// release,!canary`) and prints the canonical form Kubernetes prints: requirements sorted by key, set values sorted.
/// An empty selector matches everything.
public struct LabelSelector: Sendable, Hashable, Codable {
    /// Exact key/value pairs, as in `metav1.LabelSelector.matchLabels`.
    public var matchLabels: [String: String]?
    /// Set-based requirements.
    public var matchExpressions: [Requirement]?

    /// One set-based requirement.
    public struct Requirement: Sendable, Hashable, Codable {
        public var key: String
        public var `operator`: Operator
        public var values: [String]?

        public init(key: String, operator: Operator, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    /// The operators of `metav1.LabelSelectorRequirement`.
    public enum Operator: String, Sendable, Hashable, Codable, CaseIterable {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"
    }

    public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether the selector has no requirement at all (and therefore selects everything).
    public var isEmpty: Bool { (matchLabels ?? [:]).isEmpty && (matchExpressions ?? []).isEmpty }

    // MARK: - Matching

    /// Whether an object with `labels` is selected.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for requirement in matchExpressions ?? [] {
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in:
                guard let value = labels[requirement.key], values.contains(value) else { return false }
            case .notIn:
                if let value = labels[requirement.key], values.contains(value) { return false }
            case .exists:
                if labels[requirement.key] == nil { return false }
            case .doesNotExist:
                if labels[requirement.key] != nil { return false }
            }
        }
        return true
    }

    // MARK: - Validation

    /// Checks keys, values and operator arity as the Kubernetes API server does; errors name `field`'s members.
    public func validate(field: String) throws(LifeboatError) {
        for (key, value) in (matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
            try LabelSyntax.validateKey(key, field: "\(field).matchLabels")
            try LabelSyntax.validateValue(value, field: "\(field).matchLabels[\(key)]")
        }
        for (index, requirement) in (matchExpressions ?? []).enumerated() {
            let path = "\(field).matchExpressions[\(index)]"
            try LabelSyntax.validateKey(requirement.key, field: "\(path).key")
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in, .notIn:
                if values.isEmpty {
                    throw .invalidArgument(field: "\(path).values", reason: "must be non-empty for operator \(requirement.operator.rawValue)")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    throw .invalidArgument(field: "\(path).values", reason: "must be empty for operator \(requirement.operator.rawValue)")
                }
            }
            for (valueIndex, value) in values.enumerated() {
                try LabelSyntax.validateValue(value, field: "\(path).values[\(valueIndex)]")
            }
        }
    }

    // MARK: - String form

    /// The canonical string form, e.g. `app=web,env in (a,b),!canary`; equal selectors print equally.
    public var canonicalString: String {
        var parts: [(key: String, text: String)] = []
        for (key, value) in matchLabels ?? [:] { parts.append((key, "\(key)=\(value)")) }
        for requirement in matchExpressions ?? [] {
            let values = (requirement.values ?? []).sorted().joined(separator: ",")
            let text = switch requirement.operator {
            case .in: "\(requirement.key) in (\(values))"
            case .notIn: "\(requirement.key) notin (\(values))"
            case .exists: requirement.key
            case .doesNotExist: "!\(requirement.key)"
            }
            parts.append((requirement.key, text))
        }
        return parts.sorted { ($0.key, $0.text) < ($1.key, $1.text) }.map(\.text).joined(separator: ",")
    }

    /// Parses the string syntax; `a=b`/`a==b` go to `matchLabels`, `a!=b` becomes `NotIn`, as
    /// `metav1.ParseToLabelSelector` does. Errors name `field`.
    public init(parsing text: String, field: String = "labelSelector") throws(LifeboatError) {
        var parser = SelectorParser(text: text, field: field)
        self = try parser.parse()
        try validate(field: field)
    }
}

/// Kubernetes' syntax rules for label keys (qualified names) and values.
enum LabelSyntax {
    static func validateKey(_ key: String, field: String) throws(LifeboatError) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            guard !prefix.isEmpty, prefix.count <= 253,
                  prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ DNSLabel.isValid(String($0)) })
            else { throw .invalidArgument(field: field, reason: "key '\(key)' has a prefix that is not a DNS-1123 subdomain") }
            name = parts[1]
        default:
            throw .invalidArgument(field: field, reason: "key '\(key)' has more than one '/'")
        }
        guard !name.isEmpty, isQualifiedNamePart(name) else {
            throw .invalidArgument(field: field, reason: "key '\(key)' must be 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric")
        }
    }

    static func validateValue(_ value: String, field: String) throws(LifeboatError) {
        guard value.isEmpty || isQualifiedNamePart(Substring(value)) else {
            throw .invalidArgument(field: field, reason: "value '\(value.prefix(80))' must be empty or 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric")
        }
    }

    static func isQualifiedNamePart(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            DNSLabel.isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        guard alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

/// A small recursive-descent parser for the selector string syntax.
private struct SelectorParser {
    let text: [Character]
    let field: String
    var position = 0

    init(text: String, field: String) {
        self.text = Array(text)
        self.field = field
    }

    mutating func parse() throws(LifeboatError) -> LabelSelector {
        var matchLabels: [String: String] = [:]
        var expressions: [LabelSelector.Requirement] = []
        skipSpaces()
        if position == text.count { return LabelSelector() }
        while true {
            skipSpaces()
            if peek() == "!" {
                position += 1
                skipSpaces()
                expressions.append(.init(key: try identifier(), operator: .doesNotExist))
            } else {
                let key = try identifier()
                skipSpaces()
                if consume("==") || consume("=") {
                    skipSpaces()
                    let value = word()
                    if let existing = matchLabels[key], existing != value {
                        throw fail("key '\(key)' is required to equal two different values")
                    }
                    matchLabels[key] = value
                } else if consume("!=") {
                    skipSpaces()
                    expressions.append(.init(key: key, operator: .notIn, values: [word()]))
                } else if consumeKeyword("notin") {
                    expressions.append(.init(key: key, operator: .notIn, values: try valueSet()))
                } else if consumeKeyword("in") {
                    expressions.append(.init(key: key, operator: .in, values: try valueSet()))
                } else {
                    expressions.append(.init(key: key, operator: .exists))
                }
            }
            skipSpaces()
            if position == text.count { break }
            guard consume(",") else { throw fail("expected ',' at position \(position)") }
        }
        return LabelSelector(matchLabels: matchLabels.isEmpty ? nil : matchLabels,
                             matchExpressions: expressions.isEmpty ? nil : expressions)
    }

    private func fail(_ reason: String) -> LifeboatError { .invalidArgument(field: field, reason: reason) }

    private func peek() -> Character? { position < text.count ? text[position] : nil }

    private mutating func skipSpaces() {
        while let character = peek(), character.isWhitespace { position += 1 }
    }

    private mutating func consume(_ token: String) -> Bool {
        let characters = Array(token)
        guard position + characters.count <= text.count, Array(text[position..<position + characters.count]) == characters else {
            return false
        }
        position += characters.count
        return true
    }

    /// A keyword must be followed by a space or `(` so that a key named `inventory` is not read as `in`.
    private mutating func consumeKeyword(_ keyword: String) -> Bool {
        let start = position
        guard consume(keyword) else { return false }
        if let next = peek(), !(next.isWhitespace || next == "(") {
            position = start
            return false
        }
        return true
    }

    private mutating func word() -> String {
        var result = ""
        while let character = peek(), !(character.isWhitespace || ",()=!".contains(character)) {
            result.append(character)
            position += 1
        }
        return result
    }

    private mutating func identifier() throws(LifeboatError) -> String {
        let key = word()
        if key.isEmpty { throw fail("expected a label key at position \(position)") }
        return key
    }

    private mutating func valueSet() throws(LifeboatError) -> [String] {
        skipSpaces()
        guard consume("(") else { throw fail("expected '(' at position \(position)") }
        var values: [String] = []
        while true {
            skipSpaces()
            values.append(word())
            skipSpaces()
            if consume(")") { break }
            guard consume(",") else { throw fail("expected ',' or ')' at position \(position)") }
        }
        return values
    }
}
