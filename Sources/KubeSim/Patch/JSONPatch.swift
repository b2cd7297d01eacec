/// RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
enum JSONPatch {
    struct Failure: Error { let message: String }

    static func apply(_ patch: JSONValue, to target: JSONValue) throws -> JSONValue {
        guard case .array(let operations) = patch else { throw Failure(message: "json patch must be an array of operations") }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw Failure(message: "json patch operation needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw Failure(message: "add operation does not have a value") }
                document = try add(value, at: pointer, in: document)
            case "remove":
                document = try remove(at: pointer, in: document).document
            case "replace":
                guard let value = operation["value"] else { throw Failure(message: "replace operation does not have a value") }
                document = try remove(at: pointer, in: document).document
                document = try add(value, at: pointer, in: document)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else { throw Failure(message: "\(op) operation does not have a from") }
                let fromPointer = try parsePointer(from)
                let value: JSONValue
                if op == "move" {
                    let removed = try remove(at: fromPointer, in: document)
                    document = removed.document
                    value = removed.value
                } else {
                    guard let found = get(fromPointer, in: document) else { throw Failure(message: "copy from missing path \(from)") }
                    value = found
                }
                document = try add(value, at: pointer, in: document)
            case "test":
                guard get(pointer, in: document) == (operation["value"] ?? .null) else {
                    throw Failure(message: "testing value \(path) failed")
                }
            default:
                throw Failure(message: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    static func parsePointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(message: "invalid JSON pointer \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacingAll("~1", with: "/").replacingAll("~0", with: "~")
        }
    }

    static func get(_ pointer: [String], in document: JSONValue) -> JSONValue? {
        var current = document
        for token in pointer {
            switch current {
            case .object(let dict):
                guard let next = dict[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    static func add(_ value: JSONValue, at pointer: [String], in document: JSONValue) throws -> JSONValue {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var dict):
            if rest.isEmpty {
                dict[token] = value
            } else {
                guard let child = dict[token] else { throw Failure(message: "add operation does not apply: doc is missing path: \(pointer)") }
                dict[token] = try add(value, at: rest, in: child)
            }
            return .object(dict)
        case .array(var items):
            if rest.isEmpty {
                if token == "-" {
                    items.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= items.count else { throw Failure(message: "add operation index out of bounds: \(token)") }
                    items.insert(value, at: index)
                }
            } else {
                guard let index = Int(token), items.indices.contains(index) else { throw Failure(message: "index out of bounds: \(token)") }
                items[index] = try add(value, at: rest, in: items[index])
            }
            return .array(items)
        default:
            throw Failure(message: "add operation does not apply: doc is missing path")
        }
    }

    static func remove(at pointer: [String], in document: JSONValue) throws -> (document: JSONValue, value: JSONValue) {
        guard let token = pointer.first else { throw Failure(message: "cannot remove the document root") }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var dict):
            guard let child = dict[token] else { throw Failure(message: "remove operation does not apply: doc is missing path") }
            if rest.isEmpty {
                dict[token] = nil
                return (.object(dict), child)
            }
            let result = try remove(at: rest, in: child)
            dict[token] = result.document
            return (.object(dict), result.value)
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw Failure(message: "remove operation index out of bounds") }
            if rest.isEmpty {
                let removed = items.remove(at: index)
                return (.array(items), removed)
            }
            let result = try remove(at: rest, in: items[index])
            items[index] = result.document
            return (.array(items), result.value)
        default:
            throw Failure(message: "remove operation does not apply: doc is missing path")
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
