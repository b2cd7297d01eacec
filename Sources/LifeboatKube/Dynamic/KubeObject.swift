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

    /// `metadata.deletionTimestamp`: set while finalizers hold an object that is being deleted.
    public var deletionTimestamp: String? { JSONCursor.string(at: ["metadata", "deletionTimestamp"], in: json) }

    /// The string at `path` (member names from the root), or nil when absent or not a string; scans the bytes.
    public func string(at path: [String]) -> String? { JSONCursor.string(at: path, in: json) }

    /// The value at `path`, decoding only that part of the document; nil when absent or not valid JSON.
    public func value(at path: [String]) -> JSONValue? {
        guard let range = JSONCursor.valueRange(at: path, in: json) else { return nil }
        return try? JSONParser.parse(Array(json[range]))
    }

    /// `metadata.labels` (empty when there are none); decodes only the labels.
    public var labels: [String: String] {
        guard let members = value(at: ["metadata", "labels"])?.objectValue else { return [:] }
        return members.compactMapValues(\.stringValue)
    }

    /// Name, namespace, deletion state and the value of `label` from one scan of the bytes: what a backup checks
    /// for every item, without the five scans (and the labels dictionary) the separate accessors would cost.
    public func metadataSummary(label: String? = nil) -> MetadataSummary {
        JSONCursor.metadataSummary(in: json, label: label)
    }

    /// The JSON as text, for logs of non-secret kinds and for tests.
    public var jsonString: String { String(decoding: json, as: UTF8.self) }
}

/// What `KubeObject.metadataSummary(label:)` reads in one pass.
public struct MetadataSummary: Sendable, Hashable {
    public var name: String?
    public var namespace: String?
    /// `metadata.deletionTimestamp` is set (finalizers hold the object while it is deleted).
    public var isBeingDeleted = false
    /// The asked-for label's value, nil when the object does not carry it.
    public var labelValue: String?

    public init(name: String? = nil, namespace: String? = nil, isBeingDeleted: Bool = false, labelValue: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.isBeingDeleted = isBeingDeleted
        self.labelValue = labelValue
    }
}
