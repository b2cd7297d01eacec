/// One change notification from a watch (`kubernetes-api.md` §12).
public struct WatchEvent: Sendable {
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
    }

    public var type: EventType
    /// The object after the change (its last state for DELETED; only metadata for BOOKMARK).
    public var object: KubeObject

    public init(type: EventType, object: KubeObject) {
        self.type = type
        self.object = object
    }

    /// Parses one line of a watch stream. An ERROR event becomes the `KubernetesError` it carries (410 Expired
    /// when the requested resourceVersion is too old: the caller lists again).
    static func parse(line: [UInt8]) throws -> WatchEvent {
        var typeName: String?
        var object: [UInt8] = []
        do {
            try line.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
                var cursor = JSONCursor(buffer)
                try cursor.forEachMember { (inner: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                    if inner.rawEquals(key, "type"), inner.current == JSONCursor.quote {
                        typeName = try inner.string()
                    } else if inner.rawEquals(key, "object"), inner.current == UInt8(ascii: "{") {
                        _ = try inner.copyCompactObject(into: &object)
                    } else {
                        return false
                    }
                    return true
                }
            }
        } catch {
            throw KubernetesError.unexpectedResponse("a watch event was not valid JSON (\(error))")
        }
        guard let typeName, !object.isEmpty else { throw KubernetesError.unexpectedResponse("a watch event without type or object") }
        if typeName == "ERROR" {
            let status = (try? JSONParser.parse(object)) ?? .null
            let code = Int(status["code"]?.intValue ?? 500)
            throw KubernetesError.status(code: code, reason: status["reason"]?.stringValue ?? "InternalError",
                                         message: status["message"]?.stringValue ?? "")
        }
        guard let type = EventType(rawValue: typeName) else {
            throw KubernetesError.unexpectedResponse("unknown watch event type \(typeName)")
        }
        return WatchEvent(type: type, object: KubeObject(json: object))
    }
}
