/// One page of a list answer: its items and what is needed to ask for the next page.
public struct ListPage: Sendable {
    /// `<Kind>List`, as the server named it.
    public var kind: String
    public var apiVersion: String
    /// The snapshot revision every page of one list shares.
    public var resourceVersion: String?
    /// Empty or nil on the last page.
    public var continueToken: String?
    public var remainingItemCount: Int64?
    public var items: [KubeObject]

    /// Splits a list document into items without decoding them.
    ///
    /// Built-in lists omit `kind`/`apiVersion` inside items; they are filled from the list's own kind
    /// (minus `List`) and apiVersion, as client-go's unstructured lists do, so every item stands alone.
    public init(json body: [UInt8]) throws(JSONParseError) {
        var kind = ""
        var apiVersion = ""
        var metadata: JSONValue = .null
        var raw: [(bytes: [UInt8], hasKind: Bool, hasAPIVersion: Bool)] = []
        try body.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            var cursor = JSONCursor(buffer)
            try cursor.forEachMember { (inner: inout JSONCursor, key: Range<Int>) throws(JSONParseError) -> Bool in
                if inner.rawEquals(key, "kind"), inner.current == JSONCursor.quote {
                    kind = try inner.string()
                } else if inner.rawEquals(key, "apiVersion"), inner.current == JSONCursor.quote {
                    apiVersion = try inner.string()
                } else if inner.rawEquals(key, "metadata") {
                    let range = try inner.skipValue()
                    metadata = try JSONParser.parse(Array(buffer[range]))
                } else if inner.rawEquals(key, "items"), inner.current == UInt8(ascii: "[") {
                    inner.index += 1
                    inner.skipWhitespace()
                    if inner.current == UInt8(ascii: "]") {
                        inner.index += 1
                        return true
                    }
                    while true {
                        var bytes: [UInt8] = []
                        let flags = try inner.copyCompactObject(into: &bytes)
                        raw.append((bytes, flags.hasKind, flags.hasAPIVersion))
                        inner.skipWhitespace()
                        guard let next = inner.current else { throw inner.error("unexpected end of input") }
                        inner.index += 1
                        if next == UInt8(ascii: "]") { break }
                        guard next == UInt8(ascii: ",") else { throw inner.error("expected ',' or ']'") }
                    }
                } else {
                    return false
                }
                return true
            }
        }
        self.kind = kind
        self.apiVersion = apiVersion
        self.resourceVersion = metadata["resourceVersion"]?.stringValue
        self.continueToken = metadata["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.remainingItemCount = metadata["remainingItemCount"]?.intValue
        let itemKind = kind.hasSuffix("List") ? String(kind.dropLast(4)) : kind
        self.items = raw.map { item in
            if item.hasKind && item.hasAPIVersion { return KubeObject(json: item.bytes) }
            return KubeObject(json: Self.filling(item.bytes, kind: item.hasKind ? nil : itemKind,
                                                 apiVersion: item.hasAPIVersion ? nil : apiVersion))
        }
    }

    /// Inserts the missing `kind`/`apiVersion` members at the front of a compact object.
    static func filling(_ object: [UInt8], kind: String?, apiVersion: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(object.count + 64)
        out.append(UInt8(ascii: "{"))
        var members = 0
        if let kind {
            out.append(contentsOf: #""kind":"#.utf8)
            JSONWriter.writeString(kind, into: &out)
            members += 1
        }
        if let apiVersion {
            if members > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #""apiVersion":"#.utf8)
            JSONWriter.writeString(apiVersion, into: &out)
            members += 1
        }
        let rest = object.dropFirst()
        if members > 0 && rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: rest)
        return out
    }
}
