extension ClusterState {
    /// Validates a CRD and fills in the status the apiextensions controllers would set.
    func prepareCRD(_ input: JSONValue, name: String) throws(StatusError) -> JSONValue {
        var object = input
        let spec = object["spec"] ?? .object([:])
        let group = spec["group"]?.stringValue ?? ""
        let names = spec["names"] ?? .object([:])
        let plural = names["plural"]?.stringValue ?? ""
        guard !group.isEmpty, !plural.isEmpty, let kind = names["kind"]?.stringValue, !kind.isEmpty else {
            throw .invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: name, field: "spec.names",
                           detail: "Required value", causeReason: "FieldValueRequired")
        }
        guard name == "\(plural).\(group)" else {
            throw .invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: name, field: "metadata.name",
                           detail: "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
        }
        let versions = spec["versions"]?.arrayValue ?? []
        let storage = versions.filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"]?.stringValue }
        guard storage.count == 1 else {
            throw .invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: name, field: "spec.versions",
                           detail: "Invalid value: must have exactly one version marked as storage version")
        }
        var accepted = names.objectValue ?? [:]
        if accepted["singular"] == nil { accepted["singular"] = .string(kind.lowercased()) }
        if accepted["listKind"] == nil { accepted["listKind"] = .string(kind + "List") }
        let conflict = resources.values.contains { other in
            other.group == group && (other.plural == plural || other.kind == kind)
                && !(other.isCustom && other.plural == plural)
        }
        let now = Timestamp.now()
        let oldStatus = object["status"]?.objectValue ?? [:]
        var stored = (oldStatus["storedVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !stored.contains(storage[0]) { stored.append(storage[0]) }
        let conditions: [JSONValue] = conflict
            ? [.object(["type": "NamesAccepted", "status": "False", "lastTransitionTime": .string(now), "reason": "NameConflict",
                        "message": .string("\"\(plural)\" is already in use")]),
               .object(["type": "Established", "status": "False", "lastTransitionTime": .string(now), "reason": "NotAccepted",
                        "message": "not all names are accepted"])]
            : [.object(["type": "NamesAccepted", "status": "True", "lastTransitionTime": .string(now), "reason": "NoConflicts",
                        "message": "no conflicts found"]),
               .object(["type": "Established", "status": "True", "lastTransitionTime": .string(now), "reason": "InitialNamesAccepted",
                        "message": "the initial names have been accepted"])]
        object["status"] = .object([
            "acceptedNames": .object(conflict ? [:] : accepted),
            "conditions": .array(conditions),
            "storedVersions": .array(stored.map { .string($0) }),
        ])
        return object
    }

    /// Starts (or updates) serving the resource a CRD defines.
    mutating func serveCustomResource(crd: JSONValue) {
        guard let accepted = crd.value(at: ["status", "acceptedNames"]), let plural = accepted["plural"]?.stringValue,
              let kind = accepted["kind"]?.stringValue, let spec = crd["spec"], let group = spec["group"]?.stringValue
        else { return }
        let versions = (spec["versions"]?.arrayValue ?? []).filter { $0["served"]?.boolValue ?? true }
        let names = versions.compactMap { $0["name"]?.stringValue }.sorted(by: Self.versionPriority)
        guard !names.isEmpty else { return }
        let storage = (spec["versions"]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }?["name"]?.stringValue ?? names[0]
        var subresources: [ResourceType.Subresource] = []
        if versions.contains(where: { $0.value(at: ["subresources", "status"]) != nil }) {
            subresources.append(.init(name: "status", kind: kind, verbs: ["get", "patch", "update"]))
        }
        if versions.contains(where: { $0.value(at: ["subresources", "scale"]) != nil }) {
            subresources.append(.init(name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"]))
        }
        let type = ResourceType(
            group: group, versions: names, storageVersion: storage, plural: plural,
            singular: accepted["singular"]?.stringValue ?? kind.lowercased(), kind: kind,
            listKind: accepted["listKind"]?.stringValue ?? kind + "List",
            namespaced: (spec["scope"]?.stringValue ?? "Namespaced") == "Namespaced",
            verbs: ResourceType.standardVerbs,
            shortNames: (accepted["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
            categories: (accepted["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
            subresources: subresources, tracksGeneration: true, deleteReturnsObject: false, isCustom: true)
        resources[type.key] = type
    }

    /// The CRD controller's cleanup: the CRD is gone, so are its objects and its endpoints.
    mutating func removeCustomResource(crdName: String) {
        guard let dot = crdName.firstIndex(of: ".") else { return }
        let key = ResourceKey(group: String(crdName[crdName.index(after: dot)...]), plural: String(crdName[..<dot]))
        guard resources[key]?.isCustom == true else { return }
        for objectKey in (tables[key]?.objects.keys).map(Array.init) ?? [] { purge(key, objectKey) }
        tables[key] = nil
        resources[key] = nil
    }

    /// Kubernetes version priority: GA > beta > alpha, higher numbers first, then non-conforming names alphabetically.
    static func versionPriority(_ a: String, _ b: String) -> Bool {
        func parse(_ v: String) -> (Int, Int, Int)? {
            guard v.hasPrefix("v") else { return nil }
            let rest = v.dropFirst()
            let major = rest.prefix { $0.isNumber }
            guard let m = Int(major) else { return nil }
            let tail = rest.dropFirst(major.count)
            if tail.isEmpty { return (3, m, 0) }
            for (label, rank) in [("beta", 2), ("alpha", 1)] where tail.hasPrefix(label) {
                guard let minor = Int(tail.dropFirst(label.count)) else { return nil }
                return (rank, m, minor)
            }
            return nil
        }
        switch (parse(a), parse(b)) {
        case let (x?, y?): return x.0 != y.0 ? x.0 > y.0 : (x.1 != y.1 ? x.1 > y.1 : x.2 > y.2)
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }
}
