/// One Kubernetes object as the API server sent it: compact JSON bytes, decoded only on demand.
///
/// The backup engine writes `json` straight into an archive entry; restore logic that needs to edit an
/// object calls `value()` and builds a new one with `init(_:)`. Metadata accessors scan the bytes without
/// building a tree, so listing and filtering stay cheap.
public struct KubeObject: Sendable, Hashable {
    /// Compact JSON of the whole object (list items have `kind` and `apiVersion` filled in).
    public let json: [UInt8]

    /// Wraps JSON bytes as received; they are not validated until `value()`.
    public init(json: [UInt8]) { self.json = json }

    /// Serializes a JSON value (compact, sorted keys).
    public init(_ value: JSONValue) { self.json = value.serialized }

    /// The decoded document.
    public func value() throws(JSONParseError) -> JSONValue { try JSONParser.parse(json) }

    public var kind: String? { JSONCursor.string(at: ["kind"], in: json) }
    public var apiVersion: String? { JSONCursor.string(at: ["apiVersion"], in: json) }
    public var name: String? { JSONCursor.string(at: ["metadata", "name"], in: json) }
    /// Nil for cluster-scoped objects.
    public var namespace: String? { JSONCursor.string(at: ["metadata", "namespace"], in: json) }
    public var resourceVersion: String? { JSONCursor.string(at: ["metadata", "resourceVersion"], in: json) }
    public var uid: String? { JSONCursor.string(at: ["metadata", "uid"], in: json) }

    /// The JSON as text, for logs of non-secret kinds and for tests.
    public var jsonString: String { String(decoding: json, as: UTF8.self) }
}
