/// Why bytes are not a JSON document the archive accepts.
public enum JSONError: Error, Sendable, Equatable {
    /// The input breaks the JSON grammar at byte `offset`.
    case syntax(offset: Int, reason: String)
    /// Arrays and objects nest deeper than the parser allows (a guard against stack exhaustion).
    case nestingTooDeep(limit: Int)
}
