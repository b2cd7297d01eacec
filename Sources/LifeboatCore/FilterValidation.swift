/// The checks Velero applies to include/exclude lists (`pkg/util/collections/includes_excludes.go`
/// `ValidateIncludesExcludes` / `ValidateNamespaceIncludesExcludes`), with JSON field paths in the errors.
enum FilterValidation {
    /// Validates one include/exclude pair: every entry a glob, `*` alone in includes, never `*` in excludes,
    /// no entry in both lists. Namespace entries that are literal must also be DNS-1123 labels.
    static func validate(
        includes: [String]?, excludes: [String]?, includesField: String, excludesField: String, namespaces: Bool
    ) throws(LifeboatError) {
        let includes = includes ?? [], excludes = excludes ?? []
        for (index, entry) in includes.enumerated() {
            try validateEntry(entry, field: "\(includesField)[\(index)]", namespaces: namespaces)
        }
        for (index, entry) in excludes.enumerated() {
            try validateEntry(entry, field: "\(excludesField)[\(index)]", namespaces: namespaces)
            if entry == "*" {
                throw .invalidArgument(field: "\(excludesField)[\(index)]", reason: "excludes list cannot contain '*'")
            }
            if includes.contains(entry) {
                throw .invalidArgument(field: "\(excludesField)[\(index)]",
                                       reason: "excludes list cannot contain an item in the includes list: \(entry)")
            }
        }
        if includes.contains("*"), includes.count > 1 {
            throw .invalidArgument(field: includesField, reason: "includes list must either contain '*' only, or a non-empty list of items")
        }
    }

    private static func validateEntry(_ entry: String, field: String, namespaces: Bool) throws(LifeboatError) {
        let pattern = try GlobPattern(entry, field: field)
        if namespaces, pattern.isLiteral { try DNSLabel.validate(entry, field: field) }
    }

    /// `labelSelector` and `orLabelSelectors` are mutually exclusive, and each must be well formed.
    static func validateSelectors(_ selector: LabelSelector?, _ orSelectors: [LabelSelector]?, prefix: String) throws(LifeboatError) {
        if let selector { try selector.validate(field: "\(prefix)labelSelector") }
        for (index, orSelector) in (orSelectors ?? []).enumerated() {
            try orSelector.validate(field: "\(prefix)orLabelSelectors[\(index)]")
        }
        if let selector, !selector.isEmpty, !(orSelectors ?? []).isEmpty {
            throw .invalidArgument(field: "\(prefix)orLabelSelectors", reason: "labelSelector and orLabelSelectors cannot co-exist")
        }
    }

    /// An optional Go duration field that must not be negative.
    static func validateDuration(_ text: String?, field: String) throws(LifeboatError) {
        guard let text else { return }
        let duration = try GoDuration(parsing: text, field: field)
        if duration.nanoseconds < 0 { throw .invalidArgument(field: field, reason: "must not be negative") }
    }
}
