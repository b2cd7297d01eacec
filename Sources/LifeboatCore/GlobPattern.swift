/// A glob as Velero matches namespace and resource names (`gobwas/glob` without separators): `*` any run of
/// characters, `?` one character, `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` one character of (or not of) a class,
/// and `\` to escape a metacharacter. Braces are rejected: Velero documents only the three forms above.
///
/// ```swift
/// let pattern = try GlobPattern("team-*")
/// pattern.matches("team-a")    // true
/// ```
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let rawValue: String
    private let tokens: [Token]

    enum Token: Sendable, Hashable {
        case literal(Character)
        case anyOne
        case anyRun
        case characterClass(negated: Bool, ranges: [ClosedRange<Character>])
    }

    /// Parses `rawValue`; the error names `field`.
    public init(_ rawValue: String, field: String = "pattern") throws(LifeboatError) {
        guard !rawValue.isEmpty else { throw .invalidArgument(field: field, reason: "must not be empty") }
        var tokens: [Token] = []
        var characters = Array(rawValue)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyOne)
            case "\\":
                guard let escaped = characters.popFirst() else {
                    throw .invalidArgument(field: field, reason: "'\(rawValue)' ends with an unfinished escape")
                }
                tokens.append(.literal(escaped))
            case "[":
                tokens.append(try Self.parseClass(&characters, pattern: rawValue, field: field))
            case "]", "{", "}":
                throw .invalidArgument(field: field, reason: "'\(rawValue)' has an unsupported or unbalanced '\(character)'")
            default:
                if character.isWhitespace || character == "," {
                    throw .invalidArgument(field: field, reason: "'\(rawValue)' must not contain whitespace or commas")
                }
                tokens.append(.literal(character))
            }
        }
        self.rawValue = rawValue
        self.tokens = tokens
    }

    private static func parseClass(
        _ characters: inout ArraySlice<Character>, pattern: String, field: String
    ) throws(LifeboatError) -> Token {
        var negated = false
        if let first = characters.first, first == "!" || first == "^" {
            negated = true
            characters.removeFirst()
        }
        var ranges: [ClosedRange<Character>] = []
        while true {
            guard let character = characters.popFirst() else {
                throw .invalidArgument(field: field, reason: "'\(pattern)' has an unclosed '['")
            }
            if character == "]" { break }
            var low = character
            if low == "\\" {
                guard let escaped = characters.popFirst() else {
                    throw .invalidArgument(field: field, reason: "'\(pattern)' has an unclosed '['")
                }
                low = escaped
            }
            if characters.count >= 2, characters.first == "-", characters[characters.startIndex + 1] != "]" {
                characters.removeFirst()
                let high = characters.removeFirst()
                guard low <= high else {
                    throw .invalidArgument(field: field, reason: "'\(pattern)' has an empty range \(low)-\(high)")
                }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        guard !ranges.isEmpty else { throw .invalidArgument(field: field, reason: "'\(pattern)' has an empty '[]'") }
        return .characterClass(negated: negated, ranges: ranges)
    }

    /// True when the pattern has no metacharacter, so it names exactly one thing.
    public var isLiteral: Bool {
        tokens.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Whether the whole of `value` matches the pattern.
    public func matches(_ value: String) -> Bool {
        let text = Array(value)
        // Iterative wildcard matching with one backtrack point: linear in practice, no recursion.
        var textIndex = 0
        var tokenIndex = 0
        var starTokenIndex: Int? = nil
        var starTextIndex = 0
        while textIndex < text.count {
            if tokenIndex < tokens.count, Self.matchesOne(tokens[tokenIndex], text[textIndex]) {
                textIndex += 1
                tokenIndex += 1
            } else if tokenIndex < tokens.count, tokens[tokenIndex] == .anyRun {
                starTokenIndex = tokenIndex
                starTextIndex = textIndex
                tokenIndex += 1
            } else if let star = starTokenIndex {
                tokenIndex = star + 1
                starTextIndex += 1
                textIndex = starTextIndex
            } else {
                return false
            }
        }
        while tokenIndex < tokens.count, tokens[tokenIndex] == .anyRun { tokenIndex += 1 }
        return tokenIndex == tokens.count
    }

    private static func matchesOne(_ token: Token, _ character: Character) -> Bool {
        switch token {
        case .literal(let literal): literal == character
        case .anyOne: true
        case .anyRun: false
        case .characterClass(let negated, let ranges): ranges.contains { $0.contains(character) } != negated
        }
    }

    public var description: String { rawValue }
}

/// Velero's include/exclude rule over glob lists: excludes win; an empty include list or `*` includes everything.
public struct IncludesExcludes: Sendable, Hashable {
    public let includes: [GlobPattern]
    public let excludes: [GlobPattern]

    /// Pairs already-parsed include and exclude patterns.
    public init(includes: [GlobPattern], excludes: [GlobPattern]) {
        self.includes = includes
        self.excludes = excludes
    }

    /// Parses optional include and exclude lists as they come in a spec (nil means empty).
    public init(includes: [String]?, excludes: [String]?, field: String = "pattern") throws(LifeboatError) {
        var parsedIncludes: [GlobPattern] = []
        for pattern in includes ?? [] { parsedIncludes.append(try GlobPattern(pattern, field: field)) }
        var parsedExcludes: [GlobPattern] = []
        for pattern in excludes ?? [] { parsedExcludes.append(try GlobPattern(pattern, field: field)) }
        self.init(includes: parsedIncludes, excludes: parsedExcludes)
    }

    /// True when nothing is excluded and the include list is empty or `*`: Velero's `IncludeEverything`, which
    /// decides for example whether a backup counts as covering all namespaces.
    public var includesEverything: Bool {
        excludes.isEmpty && (includes.isEmpty || includes.contains { $0.rawValue == "*" })
    }

    /// `ShouldInclude` from `pkg/util/collections/includes_excludes.go`.
    public func shouldInclude(_ value: String) -> Bool {
        if excludes.contains(where: { $0.matches(value) }) { return false }
        if includes.isEmpty || includes.contains(where: { $0.rawValue == "*" }) { return true }
        return includes.contains { $0.matches(value) }
    }
}
