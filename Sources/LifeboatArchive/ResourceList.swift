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
        var output: [UInt8] = []
        write { output.append(contentsOf: $0) }
        return output
    }

    /// The gzip-compressed document, the object stored at `BackupKeys.resourceList`; compressed as it is encoded,
    /// so a list of every item of a large backup is never held as one plain JSON document.
    public func gzipped() throws -> [UInt8] {
        let gzip = try GzipCompressor()
        var compressed: [UInt8] = []
        var failure: (any Error)?
        write { bytes in
            guard failure == nil else { return }
            do { try gzip.compress(bytes) { compressed.append(contentsOf: $0) } } catch { failure = error }
        }
        if let failure { throw failure }
        try gzip.finish { compressed.append(contentsOf: $0) }
        return compressed
    }

    /// Encodes key by key (sorted bytewise, as Go sorts map keys), each key's entries sorted, into `sink` in pieces
    /// of about 64 KiB, without building a JSON tree.
    private func write(_ sink: ([UInt8]) -> Void) {
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(64 * 1024 + 1024)
        let bytewise: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in entries.keys.sorted(by: bytewise).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.appendGoString(key, to: &output)
            output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: "[")])
            for (position, entry) in (entries[key] ?? []).sorted(by: bytewise).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.appendGoString(entry, to: &output)
                if output.count >= 64 * 1024 {
                    sink(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        sink(output)
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
