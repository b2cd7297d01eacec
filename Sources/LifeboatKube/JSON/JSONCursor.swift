/// A forward-only scanner over JSON bytes that finds members and copies values without building a tree.
///
/// List pages are split into per-item byte arrays with it, so the backup path never decodes and re-encodes
/// an object just to move it from the API server into an archive entry. It trusts the structure of what it
/// skips (the server produced it); anything that must be interpreted goes through `JSONParser`.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// The raw bytes between the quotes of the string at the cursor (escapes left as written).
    mutating func rawString() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        guard current == Self.quote else { throw error("expected a string") }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.backslash {
                index += 2
                continue
            }
            if byte == Self.quote {
                index += 1
                return start..<(index - 1)
            }
            index += 1
        }
        throw error("unterminated string")
    }

    /// Decodes the string at the cursor.
    mutating func string() throws(JSONParseError) -> String {
        let range = try rawString()
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        if !slice.contains(Self.backslash) { return String(decoding: slice, as: UTF8.self) }
        var state = JSONParser.State(bytes: Array(bytes[(range.lowerBound - 1)...range.upperBound]))
        return try state.parseString()
    }

    func rawEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let start = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != start[offset] { return false }
        return true
    }

    func rawEquals(_ range: Range<Int>, _ text: String) -> Bool {
        var offset = range.lowerBound
        for byte in text.utf8 {
            guard offset < range.upperBound, bytes[offset] == byte else { return false }
            offset += 1
        }
        return offset == range.upperBound
    }

    /// Moves past the value at the cursor, returning where it starts and ends.
    @discardableResult
    mutating func skipValue() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        guard let first = current else { throw error("unexpected end of input") }
        let start = index
        switch first {
        case Self.quote:
            _ = try rawString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case Self.quote:
                    _ = try rawString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return start..<index
                    }
                default: break
                }
                index += 1
            }
            throw error("unterminated value")
        default:
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    return start..<index
                default: index += 1
                }
            }
        }
        return start..<index
    }

    /// Walks the members of the object at the cursor, calling `body` with each raw key and the cursor at its
    /// value; `body` must consume the value (or return false to have it skipped).
    mutating func forEachMember(_ body: (inout JSONCursor, Range<Int>) throws(JSONParseError) -> Bool) throws(JSONParseError) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try rawString()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            if try !body(&self, key) { try skipValue() }
            skipWhitespace()
            guard let next = current else { throw error("unexpected end of input") }
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
            skipWhitespace()
        }
    }

    /// Copies the object at the cursor into `out` without insignificant whitespace, reporting whether it has
    /// top-level `kind` and `apiVersion` members. One pass, no tree.
    mutating func copyCompactObject(into out: inout [UInt8]) throws(JSONParseError) -> (hasKind: Bool, hasAPIVersion: Bool) {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { throw error("expected an object") }
        var depth = 0
        var expectingKey = false
        var hasKind = false
        var hasAPIVersion = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.quote:
                let start = index
                let raw = try rawString()
                if expectingKey && depth == 1 {
                    if rawEquals(raw, "kind") { hasKind = true } else if rawEquals(raw, "apiVersion") { hasAPIVersion = true }
                }
                expectingKey = false
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                continue
            case 0x20, 0x0A, 0x0D, 0x09:
                index += 1
                continue
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = true
            case UInt8(ascii: "["):
                depth += 1
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    out.append(byte)
                    index += 1
                    return (hasKind, hasAPIVersion)
                }
            default: break
            }
            out.append(byte)
            index += 1
        }
        throw error("unterminated object")
    }
}

extension JSONCursor {
    /// The string at `path` (member names from the root object), or nil when absent or not a string.
    static func string(at path: [String], in bytes: [UInt8]) -> String? {
        guard let range = valueRange(at: path, in: bytes), bytes[range.lowerBound] == quote else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, index: range.lowerBound)
            return try? cursor.string()
        }
    }

    /// The byte range of the value at `path` (member names from the root object), or nil when a member is
    /// absent or an intermediate value is not an object. Scans without building a tree.
    static func valueRange(at path: [String], in bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            var found: Range<Int>?
            func descend(_ cursor: inout JSONCursor, depth: Int) throws(JSONParseError) {
                try cursor.forEachMember { (inner: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                    guard found == nil, inner.rawEquals(key, path[depth]) else { return false }
                    if depth == path.count - 1 {
                        found = try inner.skipValue()
                    } else if inner.current == UInt8(ascii: "{") {
                        try descend(&inner, depth: depth + 1)
                    } else {
                        return false
                    }
                    return true
                }
            }
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: "{"), !path.isEmpty else { return nil }
            do { try descend(&cursor, depth: 0) } catch { return nil }
            return found
        }
    }
}

extension JSONCursor {
    /// `metadata.namespace` and `metadata.name` in one scan: the identity of a list item.
    static func namespaceAndName(in bytes: [UInt8]) -> (namespace: String?, name: String?) {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            var namespace: String?
            var name: String?
            do {
                try cursor.forEachMember { (inner: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                    guard inner.rawEquals(key, "metadata"), inner.current == UInt8(ascii: "{") else { return false }
                    try inner.forEachMember { (field: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                        guard field.current == JSONCursor.quote else { return false }
                        if field.rawEquals(key, "name") {
                            name = try field.string()
                        } else if field.rawEquals(key, "namespace") {
                            namespace = try field.string()
                        } else {
                            return false
                        }
                        return true
                    }
                    return true
                }
            } catch {
                return (nil, nil)
            }
            return (namespace, name)
        }
    }
}

extension JSONCursor {
    /// Name, namespace, whether `deletionTimestamp` is set, and one label's value, in one scan of `metadata`.
    static func metadataSummary(in bytes: [UInt8], label: String?) -> MetadataSummary {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            var summary = MetadataSummary()
            do {
                try cursor.forEachMember { (inner: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                    guard inner.rawEquals(key, "metadata"), inner.current == UInt8(ascii: "{") else { return false }
                    try inner.forEachMember { (field: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                        if field.rawEquals(key, "name"), field.current == JSONCursor.quote {
                            summary.name = try field.string()
                        } else if field.rawEquals(key, "namespace"), field.current == JSONCursor.quote {
                            summary.namespace = try field.string()
                        } else if field.rawEquals(key, "deletionTimestamp") {
                            summary.isBeingDeleted = field.current != UInt8(ascii: "n")  // anything but null
                            return false
                        } else if let label, field.rawEquals(key, "labels"), field.current == UInt8(ascii: "{") {
                            try field.forEachMember { (entry: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                                guard entry.rawEquals(key, label), entry.current == JSONCursor.quote else { return false }
                                summary.labelValue = try entry.string()
                                return true
                            }
                        } else {
                            return false
                        }
                        return true
                    }
                    return true
                }
            } catch {
                return summary
            }
            return summary
        }
    }
}
