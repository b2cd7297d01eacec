/// Strategic merge patch for built-in kinds: a merge patch whose lists merge by the `patchMergeKey` of
/// the Go types (kubectl computes apply patches against the same table), plus the `$patch`,
/// `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives.
enum StrategicMergePatch {
    struct Failure: Error { let message: String }

    /// Merge keys of the built-in list fields, by field name. `ports` is resolved by content because
    /// containers merge on `containerPort` and Services on `port`.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "conditions": "type", "ownerReferences": "uid", "hostAliases": "ip", "resourceClaims": "name",
        "topologySpreadConstraints": "topologyKey", "taints": "key", "addresses": "type",
    ]

    /// Primitive lists that merge as sets.
    static let setLists: Set<String> = ["finalizers"]

    static func apply(_ patch: JSONValue, to target: JSONValue) throws -> JSONValue {
        guard case .object(let patchDict) = patch else { throw Failure(message: "strategic merge patch must be a JSON object") }
        return .object(try mergeMap(target.objectValue ?? [:], patchDict) ?? [:])
    }

    /// Returns nil when the patch asks for the whole map to be deleted.
    static func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue]) throws -> [String: JSONValue]? {
        switch patch["$patch"]?.stringValue {
        case "replace": return stripDirectives(.object(patch)).objectValue
        case "delete": return nil
        case nil, "merge": break
        case let other?: throw Failure(message: "unknown patch type \(other)")
        }
        var result = original
        if let retain = patch["$retainKeys"]?.arrayValue {
            let keep = Set(retain.compactMap(\.stringValue))
            result = result.filter { keep.contains($0.key) }
        }
        for (key, value) in patch {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = value.arrayValue ?? []
                if let items = result[field]?.arrayValue {
                    result[field] = .array(items.filter { !remove.contains($0) })
                }
                continue
            }
            switch value {
            case .null:
                result[key] = nil
            case .object(let child):
                if child["$patch"]?.stringValue == "delete" {
                    result[key] = nil
                } else if let merged = try mergeMap(result[key]?.objectValue ?? [:], child) {
                    result[key] = .object(merged)
                } else {
                    result[key] = nil
                }
            case .array(let items):
                result[key] = .array(try mergeList(field: key, original: result[key]?.arrayValue ?? [], patch: items))
            default:
                result[key] = value
            }
        }
        for (key, value) in patch where key.hasPrefix("$setElementOrder/") {
            let field = String(key.dropFirst("$setElementOrder/".count))
            if let items = result[field]?.arrayValue, let order = value.arrayValue {
                result[field] = .array(reorder(items, by: order, mergeKey: mergeKey(for: field, items + order)))
            }
        }
        return result
    }

    static func mergeKey(for field: String, _ items: [JSONValue]) -> String? {
        if field == "ports" {
            return items.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        }
        return mergeKeys[field]
    }

    static func mergeList(field: String, original: [JSONValue], patch: [JSONValue]) throws -> [JSONValue] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return patch.filter { $0["$patch"]?.stringValue != "replace" }.map(stripDirectives)
        }
        if setLists.contains(field) {
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return result
        }
        guard let key = mergeKey(for: field, original + patch), patch.allSatisfy({ $0.objectValue != nil }) else {
            return patch.map(stripDirectives)
        }
        var result = original
        for item in patch {
            guard case .object(let itemDict) = item else { continue }
            let keyValue = itemDict[key]
            let index = result.firstIndex { $0[key] == keyValue && keyValue != nil }
            if itemDict["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
                continue
            }
            if let index {
                if let merged = try mergeMap(result[index].objectValue ?? [:], itemDict) {
                    result[index] = .object(merged)
                } else {
                    result.remove(at: index)
                }
            } else {
                result.append(stripDirectives(item))
            }
        }
        return result
    }

    /// Orders a merged list as `$setElementOrder` says; elements it does not mention keep their place after those it does.
    static func reorder(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ v: JSONValue) -> JSONValue { mergeKey.flatMap { v[$0] } ?? v }
        var remaining = items
        var ordered: [JSONValue] = []
        for wanted in order {
            if let index = remaining.firstIndex(where: { identity($0) == identity(wanted) }) {
                ordered.append(remaining.remove(at: index))
            }
        }
        return ordered + remaining
    }

    static func stripDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let dict):
            var result: [String: JSONValue] = [:]
            for (key, child) in dict where !key.hasPrefix("$") { result[key] = stripDirectives(child) }
            return .object(result)
        case .array(let items): return .array(items.map(stripDirectives))
        default: return value
        }
    }
}
