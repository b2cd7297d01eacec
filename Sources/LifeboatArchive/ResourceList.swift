/// The content of `<B>-resource-list.json.gz` (and `restore-<R>-resource-list.json.gz`).
///
/// A JSON object from `"<apiVersion>/<Kind>"` to the sorted list of `"ns/name"` (namespaced) or
/// `"name"` (cluster-scoped); a restore's list appends `"(<action>)"`. Velero writes it with Go's
/// `json.Encoder`: keys and values sorted bytewise, compact, one trailing newline.
public struct ResourceList: Sendable, Equatable {
    /// Entries per resource key; kept unsorted until encoding.
    public private(set) var entries: [String: [String]] = [:]

    /// Creates an empty list.
    public init() {}

    /// Creates a list from already grouped entries.
    public init(entries: [String: [String]]) {
        self.entries = entries
    }

    /// Records one object.
    /// - Parameters:
    ///   - key: `"<apiVersion>/<Kind>"`.
    ///   - namespace: nil for cluster-scoped objects.
    ///   - name: the object's name.
    ///   - action: for restore lists: `created`, `updated`, `failed`, `skipped`.
    public mutating func add(key: String, namespace: String?, name: String, action: String? = nil) {
        var entry = namespace.map { "\($0)/\(name)" } ?? name
        if let action { entry += "(\(action))" }
        entries[key, default: []].append(entry)
    }

    /// Number of recorded objects.
    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    /// The JSON document, byte-for-byte as Velero's `json.NewEncoder(w).Encode(map)` writes it.
    public func jsonBytes() -> [UInt8] {
        var object: [String: JSONValue] = [:]
        for (key, values) in entries {
            object[key] = .array(values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { .string($0) })
        }
        var output = JSONValue.object(object).goJSONBytes()
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// The gzip-compressed document, the object stored at `BackupKeys.resourceList`.
    public func gzipped() throws -> [UInt8] {
        try GzipCompressor.compress(jsonBytes())
    }

    /// Reads a resource list written by Velero or by us (plain JSON).
    public init(json: [UInt8]) throws {
        guard case .object(let object) = try JSONValue.parse(json) else {
            throw JSONError.syntax(offset: 0, reason: "a resource list is a JSON object")
        }
        for (key, value) in object {
            guard case .array(let values) = value else {
                throw JSONError.syntax(offset: 0, reason: "resource list values are arrays of strings")
            }
            entries[key] = try values.map { element in
                guard let text = element.stringValue else {
                    throw JSONError.syntax(offset: 0, reason: "resource list values are arrays of strings")
                }
                return text
            }
        }
    }
}
