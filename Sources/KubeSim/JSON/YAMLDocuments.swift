import Foundation
import Yams

/// Turns YAML (manifests in `--seed`, `application/yaml` request bodies) into `JSONValue`s with the
/// scalar typing of Go's YAML 1.1 decoder that kubectl uses.
enum YAMLDocuments {
    struct ConversionError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every non-empty document of a multi-document YAML stream.
    ///
    /// Go's YAML decoder (and so kubectl) lets a repeated mapping key win over the earlier one; Yams
    /// rejects the document. When that happens the earlier one-line occurrences are dropped and the
    /// stream is parsed again, so such manifests load the way kubectl reads them.
    static func parseAll(_ text: String) throws -> [JSONValue] {
        do {
            return try parseStrict(text)
        } catch YamlError.duplicatedKeysInMapping {
            return try parseStrict(dropShadowedKeys(text))
        }
    }

    private static func parseStrict(_ text: String) throws -> [JSONValue] {
        var result: [JSONValue] = []
        var documents = try Yams.compose_all(yaml: text)
        while let node = documents.next() {
            let value = try convert(node)
            if !value.isNull { result.append(value) }
        }
        if let error = documents.error { throw error }
        return result
    }

    /// Removes `key: value` lines that a later line of the same block mapping repeats.
    static func dropShadowedKeys(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var drop = Set<Int>()
        // Open blocks by indentation: key -> line index.
        var blocks: [(indent: Int, keys: [String: Int])] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.hasPrefix("---") { blocks.removeAll(); continue }
            var indent = line.count - trimmed.count
            var content = Substring(trimmed)
            if content.hasPrefix("- ") {  // a sequence item starts a new mapping one level deeper
                blocks.removeAll { $0.indent >= indent }
                content = content.dropFirst(2)
                indent += 2
                blocks.append((indent, [:]))
            }
            blocks.removeAll { $0.indent > indent }
            if blocks.last?.indent != indent { blocks.append((indent, [:])) }
            guard let colon = content.firstIndex(of: ":"), !content.hasPrefix("\""), !content.hasPrefix("'") else { continue }
            let key = String(content[..<colon])
            if let earlier = blocks[blocks.count - 1].keys[key] {
                let earlierValue = lines[earlier].split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? ""
                if !earlierValue.isEmpty { drop.insert(earlier) }
            }
            blocks[blocks.count - 1].keys[key] = index
        }
        return lines.enumerated().filter { !drop.contains($0.offset) }.map(\.element).joined(separator: "\n")
    }

    static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return convertScalar(scalar.string, tag: node.tag.description)
        case .sequence(let sequence):
            return .array(try sequence.map(convert))
        case .mapping(let mapping):
            var dict: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let keyString = key.string else { throw ConversionError(description: "non-scalar mapping key") }
                dict[keyString] = try convert(value)
            }
            return .object(dict)
        case .alias:
            throw ConversionError(description: "YAML aliases are not supported")
        }
    }

    static func convertScalar(_ text: String, tag: String) -> JSONValue {
        switch tag {
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool":
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            default: return .bool(false)
            }
        case "tag:yaml.org,2002:int":
            if let value = parseInt(text) { return .int(value) }
            return .string(text)
        case "tag:yaml.org,2002:float":
            let cleaned = String(text.filter { $0 != "_" })
            if (try? JSONParser.parse(Array(cleaned.utf8))) != nil { return .number(cleaned) }
            if let double = Double(cleaned), double.isFinite { return .number(String(double)) }
            return .string(text)
        default:
            return .string(text)
        }
    }

    private static func parseInt(_ text: String) -> Int? {
        var s = String(text.filter { $0 != "_" })
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        let value: Int?
        if s.hasPrefix("0x") { value = Int(s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0o") { value = Int(s.dropFirst(2), radix: 8) }
        else if s.hasPrefix("0b") { value = Int(s.dropFirst(2), radix: 2) }
        else if s.count > 1, s.hasPrefix("0") { value = Int(s.dropFirst(), radix: 8) }
        else { value = Int(s) }
        return value.map { negative ? -$0 : $0 }
    }
}
