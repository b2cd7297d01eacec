import Foundation

extension ClusterState {
    static let generateNameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    static let maxAnnotationBytes = 262_144

    /// POST to a collection: validation, server-set metadata, per-kind defaulting, then storage.
    mutating func create(view: ResourceView, namespace: String?, object input: JSONValue, options: WriteOptions)
        throws(StatusError) -> (code: Int, body: [UInt8]) {
        guard case .object = input else { throw .badRequest("the body of the request must be a JSON object") }
        var object = input
        try checkTypeMeta(object, view: view)
        var metadata = object["metadata"]?.objectValue ?? [:]
        if metadata["resourceVersion"] != nil {
            throw .internalError("resourceVersion should not be set on objects to be created")
        }
        if let bodyNamespace = metadata["namespace"]?.stringValue, !bodyNamespace.isEmpty, view.type.namespaced,
           let namespace, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var name = metadata["name"]?.stringValue ?? ""
        if name.isEmpty {
            guard let prefix = metadata["generateName"]?.stringValue, !prefix.isEmpty else {
                throw .invalid(kind: view.type.kind, group: view.type.group, name: "", field: "metadata.name",
                               detail: "Required value: name or generateName is required", causeReason: "FieldValueRequired")
            }
            var generator = SystemRandomNumberGenerator()
            name = String(prefix.prefix(58)) + String((0..<5).map { _ in Self.generateNameAlphabet.randomElement(using: &generator)! })
        }
        try validateName(name, view: view)
        let objectNamespace = view.type.namespaced ? (namespace ?? "default") : ""
        let key = ObjectKey(namespace: objectNamespace, name: name)
        if view.type.namespaced {
            guard let ns = namespaceObject(objectNamespace) else {
                throw .notFound(Self.namespacesKey, objectNamespace)
            }
            if ns.isDeleting { throw .namespaceTerminating(view.key, name: name, namespace: objectNamespace) }
        }
        if tables[view.key]?[key] != nil { throw .alreadyExists(view.key, name) }
        try checkAnnotations(metadata, view: view, name: name)

        metadata["name"] = .string(name)
        if view.type.namespaced { metadata["namespace"] = .string(objectNamespace) } else { metadata["namespace"] = nil }
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Timestamp.now())
        metadata["deletionTimestamp"] = nil
        metadata["deletionGracePeriodSeconds"] = nil
        metadata["selfLink"] = nil
        if view.type.tracksGeneration { metadata["generation"] = .int(1) } else { metadata["generation"] = nil }
        object["metadata"] = .object(metadata)
        if view.type.hasStatus && view.type.group != "apiextensions.k8s.io" { object["status"] = nil }
        object["apiVersion"] = .string(view.type.apiVersion(view.type.storageVersion))
        object["kind"] = .string(view.type.kind)

        object = try defaultForCreate(object, view: view, key: key, dryRun: options.dryRun)
        if options.dryRun {
            return (201, JSONWriter.encode(renderTree(object, view: view)))
        }
        let stored = commit(object, view: view, key: key, kind: .added)
        afterCreate(view: view, key: key, object: object)
        return (201, view.render(stored))
    }

    /// Per-kind defaulting that a real API server (or its controllers) does on create.
    mutating func defaultForCreate(_ input: JSONValue, view: ResourceView, key: ObjectKey, dryRun: Bool) throws(StatusError) -> JSONValue {
        var object = input
        switch (view.type.group, view.type.plural) {
        case ("", "namespaces"):
            object.setValue(.string(key.name), at: ["metadata", "labels", "kubernetes.io/metadata.name"])
            object.setValue(.array(["kubernetes"]), at: ["spec", "finalizers"])
            object["status"] = .object(["phase": "Active"])
        case ("", "services"):
            object = try services.allocate(object, name: key.name, previous: nil, dryRun: dryRun)
        case ("", "pods"):
            object["status"] = .object(["phase": "Pending", "qosClass": "BestEffort"])
            if object.value(at: ["spec", "restartPolicy"]) == nil { object.setValue("Always", at: ["spec", "restartPolicy"]) }
            if object.value(at: ["spec", "serviceAccountName"]) == nil { object.setValue("default", at: ["spec", "serviceAccountName"]) }
        case ("", "secrets"):
            object = Self.foldStringData(object)
        case ("", "persistentvolumeclaims"):
            object["status"] = .object(["phase": "Pending"])
        case ("", "persistentvolumes"):
            object["status"] = .object(["phase": "Available"])
        case ("apiextensions.k8s.io", "customresourcedefinitions"):
            object = try prepareCRD(object, name: key.name)
        default:
            break
        }
        return object
    }

    /// Controllers that react to a new object: namespace defaults and CRD serving.
    mutating func afterCreate(view: ResourceView, key: ObjectKey, object: JSONValue) {
        switch (view.type.group, view.type.plural) {
        case ("", "namespaces"):
            populateNamespace(key.name)
        case ("apiextensions.k8s.io", "customresourcedefinitions"):
            serveCustomResource(crd: object)
        default:
            break
        }
    }

    /// Every namespace gets ServiceAccount `default` and ConfigMap `kube-root-ca.crt`, as the
    /// service-account and root-CA publisher controllers do.
    mutating func populateNamespace(_ namespace: String) {
        let now = Timestamp.now()
        let sa: JSONValue = .object([
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": .object(["name": "default", "namespace": .string(namespace), "uid": .string(UUID().uuidString.lowercased()),
                                 "creationTimestamp": .string(now)]),
        ])
        let cm: JSONValue = .object([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": .object(["name": "kube-root-ca.crt", "namespace": .string(namespace), "uid": .string(UUID().uuidString.lowercased()),
                                 "creationTimestamp": .string(now),
                                 "annotations": .object(["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."])]),
            "data": .object(["ca.crt": .string(caPEM)]),
        ])
        if let saView = view(group: "", version: "v1", plural: "serviceaccounts") {
            commit(sa, view: saView, key: ObjectKey(namespace: namespace, name: "default"), kind: .added)
        }
        if let cmView = view(group: "", version: "v1", plural: "configmaps") {
            commit(cm, view: cmView, key: ObjectKey(namespace: namespace, name: "kube-root-ca.crt"), kind: .added)
        }
    }

    /// Secrets: `stringData` is write-only and merged into base64 `data`, as the API server does.
    static func foldStringData(_ input: JSONValue) -> JSONValue {
        guard let stringData = input["stringData"]?.objectValue else { return input }
        var object = input
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in stringData {
            data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
        return object
    }

    func checkTypeMeta(_ object: JSONValue, view: ResourceView) throws(StatusError) {
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != view.type.kind {
            throw .badRequest("the API version in the data (\(object["apiVersion"]?.stringValue ?? "")) does not match the expected API version (\(view.apiVersion)) or kind \(kind) does not match \(view.type.kind)")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty {
            let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
            let group = parts.count == 2 ? parts[0] : ""
            let version = parts.last ?? ""
            guard group == view.type.group, view.type.versions.contains(version) else {
                throw .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(view.apiVersion))")
            }
        }
    }

    func validateName(_ name: String, view: ResourceView) throws(StatusError) {
        let valid = name.count <= 253 && name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
                || (view.type.group == "rbac.authorization.k8s.io" && (byte == 0x3A || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x40))
        }
        guard valid, !name.hasPrefix("-"), !name.hasSuffix("-"), name != ".", name != ".." else {
            throw .invalid(kind: view.type.kind, group: view.type.group, name: name, field: "metadata.name",
                           detail: "Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")
        }
    }

    func checkAnnotations(_ metadata: [String: JSONValue], view: ResourceView, name: String) throws(StatusError) {
        guard let annotations = metadata["annotations"]?.objectValue else { return }
        var total = 0
        for (key, value) in annotations { total += key.utf8.count + (value.stringValue?.utf8.count ?? 0) }
        if total > Self.maxAnnotationBytes {
            throw .invalid(kind: view.type.kind, group: view.type.group, name: name, field: "metadata.annotations",
                           detail: "Too long: may not be more than 262144 bytes", causeReason: "FieldValueTooLong")
        }
    }

    /// A tree as a client receives it (for dry runs, which are never stored).
    func renderTree(_ object: JSONValue, view: ResourceView) -> JSONValue {
        var tree = object
        tree["apiVersion"] = .string(view.apiVersion)
        tree["kind"] = .string(view.type.kind)
        return tree
    }
}
