extension ClusterState {
    /// The `autoscaling/v1` `Scale` view of a workload (`…/<name>/scale`).
    func scale(view: ResourceView, key: ObjectKey) throws(StatusError) -> JSONValue {
        guard let stored = tables[view.key]?[key] else { throw .notFound(view.key, key.name) }
        let object = stored.decoded()
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object.value(at: ["metadata", field]) { metadata[field] = value }
        }
        var status: [String: JSONValue] = ["replicas": .int(object.value(at: ["status", "replicas"])?.intValue ?? 0)]
        if let labels = object.value(at: ["spec", "selector", "matchLabels"])?.stringMap, !labels.isEmpty {
            status["selector"] = .string(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        } else if let labels = object.value(at: ["spec", "selector"])?.stringMap, !labels.isEmpty {
            status["selector"] = .string(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
        return .object([
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": .object(["replicas": .int(object.value(at: ["spec", "replicas"])?.intValue ?? 1)]),
            "status": .object(status),
        ])
    }

    /// Writes `spec.replicas` from a Scale (PUT) or from a patch applied to the current Scale (PATCH).
    mutating func updateScale(view: ResourceView, key: ObjectKey, scale newScale: JSONValue, options: WriteOptions) throws(StatusError) -> JSONValue {
        guard let stored = tables[view.key]?[key] else { throw .notFound(view.key, key.name) }
        if let rv = newScale.value(at: ["metadata", "resourceVersion"])?.stringValue, !rv.isEmpty, rv != String(stored.resourceVersion) {
            throw .conflict(view.key, key.name)
        }
        guard let replicas = newScale.value(at: ["spec", "replicas"])?.intValue, replicas >= 0 else {
            throw .invalid(kind: "Scale", group: "autoscaling", name: key.name, field: "spec.replicas",
                           detail: "Invalid value: must be greater than or equal to 0")
        }
        var object = stored.decoded()
        object.setValue(.int(replicas), at: ["spec", "replicas"])
        object["apiVersion"] = .string(view.apiVersion)
        object["kind"] = .string(view.type.kind)
        _ = try update(view: view, key: key, object: object, subresource: nil, options: options)
        return try scale(view: view, key: key)
    }

    mutating func patchScale(view: ResourceView, key: ObjectKey, type: PatchType, patch: JSONValue, options: WriteOptions) throws(StatusError) -> JSONValue {
        let current = try scale(view: view, key: key)
        let patched: JSONValue
        switch type {
        case .json:
            do { patched = try JSONPatch.apply(patch, to: current) } catch { throw .badRequest("\(error)") }
        case .strategic:
            do { patched = try StrategicMergePatch.apply(patch, to: current) } catch { throw .badRequest("\(error)") }
        case .merge, .apply:
            patched = MergePatch.apply(patch, to: current)
        }
        return try updateScale(view: view, key: key, scale: patched, options: options)
    }
}
