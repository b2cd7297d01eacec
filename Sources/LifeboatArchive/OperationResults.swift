/// The content of `<B>-results.gz` and `restore-<R>-results.gz`: `{"errors": R, "warnings": R}`.
///
/// `R` is Velero's `results.Result`: messages about Velero itself, about cluster-scoped items, and
/// per namespace. Every field is `omitempty` in Go, so an empty `R` encodes as `{}`.
public struct OperationResults: Sendable, Equatable {
    /// One `results.Result`.
    public struct Messages: Sendable, Equatable {
        public var velero: [String] = []
        public var cluster: [String] = []
        public var namespaces: [String: [String]] = [:]

        /// Creates an empty set of messages.
        public init() {}

        /// Adds a message about an item: cluster-scoped when `namespace` is nil or empty, as Velero's `Add`.
        public mutating func add(namespace: String?, _ message: String) {
            if let namespace, !namespace.isEmpty {
                namespaces[namespace, default: []].append(message)
            } else {
                cluster.append(message)
            }
        }

        /// Total number of messages.
        public var count: Int { velero.count + cluster.count + namespaces.values.reduce(0) { $0 + $1.count } }

        var jsonValue: JSONValue {
            var object: [String: JSONValue] = [:]
            if !velero.isEmpty { object["velero"] = .array(velero.map { .string($0) }) }
            if !cluster.isEmpty { object["cluster"] = .array(cluster.map { .string($0) }) }
            if !namespaces.isEmpty {
                object["namespaces"] = .object(namespaces.mapValues { .array($0.map { .string($0) }) })
            }
            return .object(object)
        }

        init(jsonValue: JSONValue?) throws {
            guard let jsonValue, jsonValue != .null else { return }
            guard case .object = jsonValue else { throw JSONError.syntax(offset: 0, reason: "a result is a JSON object") }
            velero = try Self.strings(jsonValue["velero"])
            cluster = try Self.strings(jsonValue["cluster"])
            if case .object(let perNamespace) = jsonValue["namespaces"] {
                for (namespace, messages) in perNamespace { namespaces[namespace] = try Self.strings(messages) }
            }
        }

        private static func strings(_ value: JSONValue?) throws -> [String] {
            guard let value, value != .null else { return [] }
            guard case .array(let elements) = value else { throw JSONError.syntax(offset: 0, reason: "expected an array of strings") }
            return try elements.map { element in
                guard let text = element.stringValue else { throw JSONError.syntax(offset: 0, reason: "expected a string") }
                return text
            }
        }
    }

    public var errors = Messages()
    public var warnings = Messages()

    /// Creates empty results.
    public init() {}

    /// The JSON document as Velero's `json.NewEncoder(w).Encode(...)` writes it (trailing newline).
    public func jsonBytes() -> [UInt8] {
        var output = JSONValue.object(["errors": errors.jsonValue, "warnings": warnings.jsonValue]).goJSONBytes()
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// The gzip-compressed document, the object stored at `BackupKeys.results`.
    public func gzipped() throws -> [UInt8] {
        try GzipCompressor.compress(jsonBytes())
    }

    /// Reads results written by Velero or by us (plain JSON).
    public init(json: [UInt8]) throws {
        let document = try JSONValue.parse(json)
        guard case .object = document else { throw JSONError.syntax(offset: 0, reason: "results are a JSON object") }
        errors = try Messages(jsonValue: document["errors"])
        warnings = try Messages(jsonValue: document["warnings"])
    }
}
