/// A JSON document as KubeSim manipulates it.
///
/// Numbers keep their literal text so that an object comes back byte-for-byte equivalent to what the
/// client sent (no float rounding, no int/float confusion). Objects are unordered dictionaries and are
/// written with sorted keys, the way Go's encoder writes the maps that back unstructured objects.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        get {
            if case .object(let dict) = self { return dict[key] }
            return nil
        }
        set {
            guard case .object(var dict) = self else { return }
            self = .null
            dict[key] = newValue
            self = .object(dict)
        }
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var intValue: Int? {
        if case .number(let n) = self { return Int(n) ?? Double(n).map { Int($0) } }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// Reads a nested value by a path of object keys.
    func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// Writes a nested value, creating intermediate objects.
    mutating func setValue(_ newValue: JSONValue?, at path: [String]) {
        guard let first = path.first else {
            if let newValue { self = newValue }
            return
        }
        guard case .object(var dict) = self else { return }
        self = .null
        if path.count == 1 {
            dict[first] = newValue
        } else {
            var child = dict[first] ?? .object([:])
            if case .object = child {} else { child = .object([:]) }
            child.setValue(newValue, at: Array(path.dropFirst()))
            dict[first] = child
        }
        self = .object(dict)
    }
}

/// The Go-style `"string map"` of labels or annotations as Swift values.
extension JSONValue {
    var stringMap: [String: String] {
        guard case .object(let dict) = self else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in dict {
            if case .string(let s) = value { result[key] = s }
        }
        return result
    }
}
