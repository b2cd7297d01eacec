/// Serialization byte-for-byte like Go's `json.Marshal` of an unstructured object, which is what
/// Velero writes for every item: compact, object keys sorted by their UTF-8 bytes, `<`, `>` and `&`
/// escaped as `\u003c`, `\u003e`, `\u0026`, U+2028/U+2029 escaped, `\b \f \n \r \t` short escapes
/// and other control characters as `\u00XX` (Go 1.22+). Foundation's `JSONSerialization` neither
/// sorts reliably nor escapes like this (and escapes `/`), hence this encoder.
extension JSONValue {
    /// The compact Go-compatible encoding, without a trailing newline (`json.Marshal`).
    public func goJSONBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        appendGoJSON(to: &output)
        return output
    }

    /// Appends the compact Go-compatible encoding to `output`.
    public func appendGoJSON(to output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .number(let text):
            output.append(contentsOf: text.utf8)
        case .string(let text):
            Self.appendGoString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.appendGoJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Sorting the pairs, not the keys, saves a hash lookup per member.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.appendGoString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.appendGoJSON(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a Go-escaped JSON string.
    public static func appendGoString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            func flush(upTo end: Int) {
                if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end])) }
            }
            while index < utf8.count {
                let byte = utf8[index]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "<")
                    && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "&") && byte != 0xE2
                {
                    index += 1
                    continue
                }
                if byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                    flush(upTo: index)
                    output.append(contentsOf: "\\u202".utf8)
                    output.append(utf8[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    index += 3
                    runStart = index
                    continue
                }
                if byte == 0xE2 {
                    index += 1
                    continue
                }
                flush(upTo: index)
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
                index += 1
                runStart = index
            }
            flush(upTo: index)
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Re-encodes arbitrary JSON bytes the way Velero stores an item: parse, then `goJSONBytes()`.
    public static func goCompact(_ bytes: [UInt8]) throws(JSONError) -> [UInt8] {
        try parse(bytes).goJSONBytes()
    }
}
