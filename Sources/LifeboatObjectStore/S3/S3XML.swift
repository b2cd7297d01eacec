/// A minimal XML reader for S3's small response documents (listings, errors, upload ids).
///
/// Enough XML for what S3 sends: elements, attributes skipped, text with the five predefined entities
/// and numeric character references, declarations and comments skipped. Foundation's `XMLParser` would
/// pull libxml2 into every binary for this.
struct S3XMLElement: Sendable {
    var name: String
    var children: [S3XMLElement] = []
    var text: String = ""

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child called `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws -> S3XMLElement {
        var parser = Parser(bytes: bytes)
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() throws -> S3XMLElement {
            var stack: [S3XMLElement] = []
            var root: S3XMLElement?
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<") {
                    if starts(with: "<?") {
                        try skip(past: "?>")
                    } else if starts(with: "<!--") {
                        try skip(past: "-->")
                    } else if starts(with: "<![CDATA[") {
                        index += 9
                        let start = index
                        try skip(past: "]]>")
                        if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self) }
                    } else if starts(with: "<!") {
                        try skip(past: ">")
                    } else if starts(with: "</") {
                        index += 2
                        let name = readName()
                        try skip(past: ">")
                        guard var element = stack.popLast(), element.name == name else { throw malformed("unexpected </\(name)>") }
                        element.text = element.text.trimmingWhitespace(ifHasChildren: !element.children.isEmpty)
                        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                    } else {
                        index += 1
                        let element = S3XMLElement(name: readName())
                        let selfClosing = try skipAttributes()
                        if selfClosing {
                            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                        } else {
                            stack.append(element)
                        }
                    }
                } else {
                    let start = index
                    while index < bytes.count && bytes[index] != UInt8(ascii: "<") { index += 1 }
                    if !stack.isEmpty { stack[stack.count - 1].text += try decodeEntities(bytes[start..<index]) }
                }
            }
            guard stack.isEmpty, let root else { throw malformed("unterminated document") }
            return root
        }

        private func starts(with literal: String) -> Bool {
            bytes[index...].starts(with: literal.utf8)
        }

        private mutating func skip(past literal: String) throws {
            let needle = Array(literal.utf8)
            while index + needle.count <= bytes.count {
                if bytes[index..<(index + needle.count)].elementsEqual(needle) {
                    index += needle.count
                    return
                }
                index += 1
            }
            throw malformed("missing \(literal)")
        }

        private mutating func readName() -> String {
            let start = index
            while index < bytes.count, !" \t\r\n/>".utf8.contains(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            // Drop a namespace prefix: S3 documents use the default namespace, some proxies add one.
            return name.split(separator: ":").last.map(String.init) ?? name
        }

        /// Skips attributes up to `>`; returns whether the tag closed itself with `/>`.
        private mutating func skipAttributes() throws -> Bool {
            var quote: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    return index >= 2 && bytes[index - 2] == UInt8(ascii: "/")
                }
            }
            throw malformed("unterminated tag")
        }

        private func decodeEntities(_ slice: ArraySlice<UInt8>) throws -> String {
            guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
            var output: [UInt8] = []
            var position = slice.startIndex
            while position < slice.endIndex {
                let byte = slice[position]
                guard byte == UInt8(ascii: "&") else {
                    output.append(byte)
                    position += 1
                    continue
                }
                guard let semicolon = slice[position...].firstIndex(of: UInt8(ascii: ";")) else { throw malformed("unterminated entity") }
                let entity = String(decoding: slice[(position + 1)..<semicolon], as: UTF8.self)
                switch entity {
                case "amp": output.append(UInt8(ascii: "&"))
                case "lt": output.append(UInt8(ascii: "<"))
                case "gt": output.append(UInt8(ascii: ">"))
                case "quot": output.append(UInt8(ascii: "\""))
                case "apos": output.append(UInt8(ascii: "'"))
                default:
                    let scalarValue: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                    } else if entity.hasPrefix("#") {
                        scalarValue = UInt32(entity.dropFirst())
                    } else {
                        scalarValue = nil
                    }
                    guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else { throw malformed("unknown entity &\(entity);") }
                    output += Array(String(Character(scalar)).utf8)
                }
                position = semicolon + 1
            }
            return String(decoding: output, as: UTF8.self)
        }

        private func malformed(_ reason: String) -> ObjectStoreError {
            .server(status: 200, code: "MalformedXML", message: "the response is not valid XML: \(reason)", requestID: nil)
        }
    }
}

extension String {
    /// Text between child elements is indentation; text of a leaf is data and kept exactly.
    fileprivate func trimmingWhitespace(ifHasChildren: Bool) -> String {
        guard ifHasChildren else { return self }
        return String(unicodeScalars.filter { !" \t\r\n".unicodeScalars.contains($0) })
    }
}

/// Escapes text for an XML element body.
func xmlEscaped(_ text: String) -> String {
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}
