/// What a list or watch asks the server to filter, pushed down as query parameters.
public struct ListOptions: Sendable, Equatable {
    /// Label selector syntax (`app=web,tier!=db`, `env in (a,b)`), evaluated by the server.
    public var labelSelector: String?
    /// Field selector syntax (`metadata.name=x`, `status.phase!=Running`), evaluated by the server.
    public var fieldSelector: String?
    /// Page size; nil or zero asks for everything at once. kubectl, Velero and client-go page at 500.
    public var limit: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = 500) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
    }

    var selectorQuery: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        return query
    }
}

/// The body formats of `PATCH` (`kubernetes-api.md` §6).
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 7386: objects merge, `null` deletes, lists are replaced.
    case merge = "application/merge-patch+json"
    /// RFC 6902: a list of operations.
    case json = "application/json-patch+json"
    /// Merge patch with per-field list strategies; built-in kinds only (a custom resource answers 415).
    case strategicMerge = "application/strategic-merge-patch+json"

    /// Applying a merge or strategic merge patch twice gives the same object; an operation list
    /// (`add` to a list) may not, so JSON patches are not retried after ambiguous failures.
    var isIdempotent: Bool { self != .json }
}

/// How dependents of a deleted object are handled.
public enum PropagationPolicy: String, Sendable {
    case background = "Background"
    case foreground = "Foreground"
    case orphan = "Orphan"
}
