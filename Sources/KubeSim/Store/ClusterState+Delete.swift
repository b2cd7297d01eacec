import Foundation

/// DELETE parameters, from the body or the query.
struct DeleteOptions: Sendable {
    var dryRun = false
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
}

extension ClusterState {
    /// DELETE …/<name>: preconditions, protected namespaces, finalizers, and the three response shapes.
    mutating func delete(view: ResourceView, key: ObjectKey, options: DeleteOptions) throws(StatusError) -> [UInt8] {
        guard let stored = tables[view.key]?[key] else { throw .notFound(view.key, key.name) }
        if view.key == Self.namespacesKey, Self.immortalNamespaces.contains(key.name) {
            throw StatusError(code: 403, reason: "Forbidden",
                              message: "namespaces \"\(key.name)\" is forbidden: this namespace may not be deleted",
                              name: key.name, kind: "namespaces")
        }
        if let uid = options.preconditionUID, uid != stored.uid {
            throw StatusError(code: 409, reason: "Conflict",
                              message: "Operation cannot be fulfilled on \(view.key.qualified) \"\(key.name)\": Precondition failed: UID in precondition: \(uid), UID in object meta: \(stored.uid)",
                              name: key.name, group: view.key.group, kind: view.key.plural)
        }
        if let rv = options.preconditionResourceVersion, rv != String(stored.resourceVersion) {
            throw StatusError(code: 409, reason: "Conflict",
                              message: "Operation cannot be fulfilled on \(view.key.qualified) \"\(key.name)\": Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(stored.resourceVersion)",
                              name: key.name, group: view.key.group, kind: view.key.plural)
        }
        if options.dryRun { return view.render(stored) }
        if options.propagationPolicy == "Orphan" { dependents[stored.uid] = nil }
        return try deleteStored(view: view, key: key, stored: stored, dryRun: false)
    }

    /// Marks an object as deleting (finalizers, namespaces) or removes it now.
    mutating func deleteStored(view: ResourceView, key: ObjectKey, stored: StoredObject, dryRun: Bool) throws(StatusError) -> [UInt8] {
        if view.key == Self.namespacesKey {
            var object = stored.decoded()
            if !stored.isDeleting {
                object.setValue(.string(Timestamp.now()), at: ["metadata", "deletionTimestamp"])
                object.setValue(.int(0), at: ["metadata", "deletionGracePeriodSeconds"])
                object.setValue("Terminating", at: ["status", "phase"])
                let marked = commit(object, view: view, key: key, kind: .modified)
                let response = view.render(marked)
                finalizeNamespace(key.name)
                return response
            }
            return view.render(stored)
        }
        if stored.hasFinalizers {
            if stored.isDeleting { return view.render(stored) }
            var object = stored.decoded()
            object.setValue(.string(Timestamp.now()), at: ["metadata", "deletionTimestamp"])
            object.setValue(.int(0), at: ["metadata", "deletionGracePeriodSeconds"])
            return view.render(commit(object, view: view, key: key, kind: .modified))
        }
        purge(view.key, key)
        if view.type.deleteReturnsObject {
            var final = stored
            final.body = tablesDeletedBody(stored)
            return view.render(final)
        }
        var details: [String: JSONValue] = ["name": .string(key.name), "kind": .string(view.key.plural), "uid": .string(stored.uid)]
        if !view.key.group.isEmpty { details["group"] = .string(view.key.group) }
        return JSONWriter.encode(.object([
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "details": .object(details),
        ]))
    }

    private func tablesDeletedBody(_ stored: StoredObject) -> [UInt8] { stored.body }

    /// The namespace controller: delete everything in a terminating namespace; once nothing is left
    /// (objects with finalizers keep it alive), the namespace itself goes away.
    mutating func finalizeNamespace(_ namespace: String) {
        guard isTerminating(namespace: namespace), !finalizingNamespaces.contains(namespace) else { return }
        finalizingNamespaces.insert(namespace)
        var remaining = 0
        for resourceKey in tables.keys.sorted(by: { $0.qualified < $1.qualified }) {
            guard let type = resources[resourceKey], type.namespaced else { continue }
            let view = ResourceView(type: type, version: type.storageVersion)
            let keys = (tables[resourceKey]?.objects.keys.filter { $0.namespace == namespace } ?? []).sorted()
            for key in keys {
                guard let stored = tables[resourceKey]?[key] else { continue }
                if stored.hasFinalizers {
                    remaining += 1
                    if !stored.isDeleting { _ = try? deleteStored(view: view, key: key, stored: stored, dryRun: false) }
                } else {
                    purge(resourceKey, key)
                }
            }
        }
        finalizingNamespaces.remove(namespace)
        if remaining == 0, let ns = namespaceObject(namespace), ns.isDeleting {
            purge(Self.namespacesKey, ObjectKey(namespace: "", name: namespace))
        }
    }

    /// DELETE on a collection: deletes every matching object, answers the list of what was deleted.
    mutating func deleteCollection(view: ResourceView, namespace: String?, labels: LabelSelector, fields: FieldSelector,
                                   options: DeleteOptions) throws(StatusError) -> [UInt8] {
        var deleted: [[UInt8]] = []
        let keys = (tables[view.key]?.objects.keys.filter { namespace == nil || $0.namespace == namespace } ?? []).sorted()
        for key in keys {
            guard let stored = tables[view.key]?[key], labels.matches(stored.labels),
                  fields.matches(namespace: key.namespace, name: key.name, body: { stored.decoded() }) else { continue }
            deleted.append(view.type.isCustom ? view.render(stored) : stored.body)
            if !options.dryRun { _ = try deleteStored(view: view, key: key, stored: stored, dryRun: false) }
        }
        return listBody(view: view, items: deleted, resourceVersion: revision, continueToken: nil, remaining: nil)
    }
}
