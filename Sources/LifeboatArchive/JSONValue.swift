/// A parsed JSON document, as Kubernetes' unstructured objects are: the item format of a backup.
///
/// Numbers keep their original text (`.number("1.50")`), so an object read from the API server is
/// written back without any float round-trip changing it. Objects are dictionaries: like Go's maps,
/// a duplicated key keeps its last value, and the serializer sorts keys (see `JSONValue+GoEncoding`).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number's literal text, validated against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
