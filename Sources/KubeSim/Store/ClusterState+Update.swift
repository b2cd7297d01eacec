extension ClusterState {
    enum PatchType: Sendable {
        case json, merge, strategic, apply
    }

    func get(view: ResourceView, key: ObjectKey) throws(StatusError) -> [UInt8] {
        guard let stored = tables[view.key]?[key] else { throw .notFound(view.key, key.name) }
        return view.render(stored)
    }

    /// PUT …/<name>[/status]: optimistic concurrency, immutable metadata, status-subresource rules,
    /// generation bumps, and the "last finalizer removed" deletion.
    mutating func update(view: ResourceView, key: ObjectKey, object input: JSONValue, subresource: String?,
                         options: WriteOptions) throws(StatusError) -> [UInt8] {
        guard case .object = input else { throw .badRequest("the body of the request must be a JSON object") }
        guard let stored = tables[view.key]?[key] else { throw .notFound(view.key, key.name) }
        try checkTypeMeta(input, view: view)
        if let bodyName = input.value(at: ["metadata", "name"])?.stringValue, bodyName != key.name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(key.name))")
        }
        let requestedRV = input.value(at: ["metadata", "resourceVersion"])?.stringValue ?? ""
        if requestedRV.isEmpty {
            if view.type.isCustom {
                throw .invalid(kind: view.type.kind, group: view.type.group, name: key.name, field: "metadata.resourceVersion",
                               detail: "Invalid value: 0x0: must be specified for an update")
            }
        } else if requestedRV != String(stored.resourceVersion) {
            throw .conflict(view.key, key.name)
        }
        let old = stored.decoded()
        var object = input
        var metadata = object["metadata"]?.objectValue ?? [:]
        let oldMetadata = old["metadata"]?.objectValue ?? [:]
        for field in ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            metadata[field] = oldMetadata[field]
        }
        object["metadata"] = .object(metadata)
        object["apiVersion"] = .string(view.type.apiVersion(view.type.storageVersion))
        object["kind"] = .string(view.type.kind)

        if subresource == "status" {
            var replaced = old
            replaced["status"] = object["status"]
            object = replaced
            object["apiVersion"] = .string(view.type.apiVersion(view.type.storageVersion))
            object["kind"] = .string(view.type.kind)
        } else if view.type.hasStatus {
            object["status"] = old["status"]
        }
        if subresource == "finalize", view.key == Self.namespacesKey {
            var replaced = old
            replaced.setValue(object.value(at: ["spec", "finalizers"]) ?? .array([]), at: ["spec", "finalizers"])
            object = replaced
        }
        try checkAnnotations(object["metadata"]?.objectValue ?? [:], view: view, name: key.name)
        if view.key.group.isEmpty && view.key.plural == "services" && subresource == nil {
            object = try services.allocate(object, name: key.name, previous: old, dryRun: options.dryRun)
        }
        if view.key == Self.crdKey {
            object = try prepareCRD(object, name: key.name)
        }
        if view.key == ResourceKey(group: "", plural: "secrets") { object = Self.foldStringData(object) }
        if view.type.tracksGeneration, specChanged(old, object) {
            let generation = (old.value(at: ["metadata", "generation"])?.intValue ?? 1) + 1
            object.setValue(.int(generation), at: ["metadata", "generation"])
        }
        var comparable = object
        comparable.setValue(.string(String(stored.resourceVersion)), at: ["metadata", "resourceVersion"])
        comparable["apiVersion"] = nil
        comparable["kind"] = nil
        if comparable == old {
            return view.render(stored)
        }
        if options.dryRun { return JSONWriter.encode(renderTree(object, view: view)) }
        let updated = commit(object, view: view, key: key, kind: .modified)
        if view.key == Self.crdKey { serveCustomResource(crd: object) }
        if updated.isDeleting && !updated.hasFinalizers && view.key != Self.namespacesKey {
            purge(view.key, key)
        }
        if view.key == Self.namespacesKey && updated.isDeleting {
            finalizeNamespace(key.name)
        }
        return view.render(updated)
    }

    /// Whether anything outside `metadata` and `status` changed.
    func specChanged(_ old: JSONValue, _ new: JSONValue) -> Bool {
        var a = old.objectValue ?? [:]
        var b = new.objectValue ?? [:]
        for field in ["metadata", "status", "apiVersion", "kind"] {
            a[field] = nil
            b[field] = nil
        }
        return a != b
    }

    /// PATCH: applies the patch to the stored object and runs the result through `update`, so a
    /// `metadata.resourceVersion` in the patch works as a precondition.
    mutating func patch(view: ResourceView, key: ObjectKey, type: PatchType, patch: JSONValue, subresource: String?,
                        options: WriteOptions) throws(StatusError) -> (code: Int, body: [UInt8]) {
        guard let stored = tables[view.key]?[key] else {
            if type == .apply {
                var object = patch
                if object.value(at: ["metadata", "name"]) == nil { object.setValue(.string(key.name), at: ["metadata", "name"]) }
                return try create(view: view, namespace: key.namespace.isEmpty ? nil : key.namespace, object: object, options: options)
            }
            throw .notFound(view.key, key.name)
        }
        var current = stored.decoded()
        current["apiVersion"] = .string(view.apiVersion)
        current["kind"] = .string(view.type.kind)
        let patched: JSONValue
        do {
            switch type {
            case .json: patched = try JSONPatch.apply(patch, to: current)
            case .merge, .apply:
                guard case .object = patch else { throw StatusError.badRequest("merge patch must be a JSON object") }
                patched = MergePatch.apply(patch, to: current)
            case .strategic:
                if view.type.isCustom {
                    throw StatusError(code: 415, reason: "UnsupportedMediaType",
                                      message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
                }
                patched = try StrategicMergePatch.apply(patch, to: current)
            }
        } catch let error as StatusError {
            throw error
        } catch let error as JSONPatch.Failure {
            throw StatusError(code: 422, reason: "Invalid", message: error.message)
        } catch let error as StrategicMergePatch.Failure {
            throw StatusError.badRequest(error.message)
        } catch {
            throw StatusError.badRequest("\(error)")
        }
        var object = patched
        if object.value(at: ["metadata", "resourceVersion"]) == nil {
            object.setValue(.string(String(stored.resourceVersion)), at: ["metadata", "resourceVersion"])
        }
        return (200, try update(view: view, key: key, object: object, subresource: subresource, options: options))
    }
}
