import LifeboatKube

/// RFC 7386 JSON merge patches computed from two documents, for `existingResourcePolicy: update`: the patch turns
/// the live object's comparable form into the backed-up one, so fields the server set (and the comparison
/// removed) are left alone while everything the backup holds is put back.
enum MergePatch {
    /// The patch from `source` to `target`, or nil when they are equal. Arrays are replaced whole (merge patches
    /// cannot address array elements); members missing from `target` are removed with `null`.
    static func diff(from source: LifeboatKube.JSONValue, to target: LifeboatKube.JSONValue) -> LifeboatKube.JSONValue? {
        guard case .object(let old) = source, case .object(let new) = target else {
            // Not `source == target ? nil : target`: JSONValue is ExpressibleByNilLiteral, so that `nil` would be `.null`.
            if source == target { return Optional<LifeboatKube.JSONValue>.none }
            return target
        }
        var patch: [String: LifeboatKube.JSONValue] = [:]
        for (key, value) in new {
            if let previous = old[key] {
                if let change = diff(from: previous, to: value) { patch[key] = change }
            } else {
                patch[key] = value
            }
        }
        for key in old.keys where !new.keys.contains(key) { patch[key] = LifeboatKube.JSONValue.null }
        return patch.isEmpty ? nil : .object(patch)
    }

    /// The dotted paths a patch changes (`data.mode`, `spec.replicas`), for telling a user what differs.
    static func paths(of patch: LifeboatKube.JSONValue, prefix: String = "") -> [String] {
        guard case .object(let members) = patch, !members.isEmpty else { return [prefix] }
        return members.keys.sorted().flatMap { key in paths(of: members[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)") }
    }
}
