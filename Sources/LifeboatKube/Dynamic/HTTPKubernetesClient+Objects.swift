import NIOHTTP1

/// Create, read, update, patch and delete on untyped objects of any resource.
///
/// `namespace` nil means the connection's default namespace for namespaced resources; it is ignored for
/// cluster-scoped ones. Every call answers the object the server returned.
extension HTTPKubernetesClient {
    /// `GET …/<name>`.
    public func get(_ resource: APIResource, name: String, namespace: String? = nil) async throws -> KubeObject {
        let response = try await send(KubeRequest(method: .GET, path: resource.objectPath(name: name, namespace: scope(resource, namespace))))
        return KubeObject(json: response.body)
    }

    /// `POST` to the collection. Retried after 429 always, and after 5xx or a broken connection only when the
    /// object has a fixed `metadata.name`: a repeat then cannot create a second object, at worst it answers
    /// AlreadyExists.
    public func create(_ resource: APIResource, _ object: KubeObject, namespace: String? = nil, dryRun: Bool = false) async throws
        -> KubeObject
    {
        let namespace = scope(resource, namespace ?? object.namespace)
        let hasFixedName = object.name.map { !$0.isEmpty } ?? false
        var query: [(String, String)] = []
        if dryRun { query.append(("dryRun", "All")) }
        let response = try await send(
            KubeRequest(method: .POST, path: resource.collectionPath(namespace: namespace), query: query, body: object.json,
                        idempotent: hasFixedName))
        return KubeObject(json: response.body)
    }

    /// `PUT …/<name>`: the body's `metadata.resourceVersion` makes it a compare-and-swap (409 Conflict).
    public func update(_ resource: APIResource, _ object: KubeObject, namespace: String? = nil) async throws -> KubeObject {
        try await put(resource, object, namespace: namespace, subresource: nil)
    }

    /// `PUT …/<name>/status`: only `status` is taken from the body.
    public func updateStatus(_ resource: APIResource, _ object: KubeObject, namespace: String? = nil) async throws -> KubeObject {
        try await put(resource, object, namespace: namespace, subresource: "status")
    }

    private func put(_ resource: APIResource, _ object: KubeObject, namespace: String?, subresource: String?) async throws -> KubeObject {
        guard let name = object.name, !name.isEmpty else { throw KubernetesError.unexpectedResponse("an update needs metadata.name") }
        let path = resource.objectPath(name: name, namespace: scope(resource, namespace ?? object.namespace), subresource: subresource)
        let response = try await send(KubeRequest(method: .PUT, path: path, body: object.json))
        return KubeObject(json: response.body)
    }

    /// `PATCH …/<name>[/status]` with the given patch format.
    public func patch(
        _ resource: APIResource, name: String, namespace: String? = nil, type: PatchType, patch: JSONValue, subresource: String? = nil
    ) async throws -> KubeObject {
        let path = resource.objectPath(name: name, namespace: scope(resource, namespace), subresource: subresource)
        let response = try await send(
            KubeRequest(method: .PATCH, path: path, body: patch.serialized, contentType: type.rawValue, idempotent: type.isIdempotent))
        return KubeObject(json: response.body)
    }

    /// `DELETE …/<name>`: answers the deleted object, the object now carrying `deletionTimestamp`, or a
    /// `Status` of kind Success, depending on the resource (`kubernetes-api.md` §7).
    @discardableResult
    public func delete(
        _ resource: APIResource, name: String, namespace: String? = nil, propagationPolicy: PropagationPolicy = .background,
        gracePeriodSeconds: Int? = nil
    ) async throws -> KubeObject {
        let path = resource.objectPath(name: name, namespace: scope(resource, namespace))
        let response = try await send(KubeRequest(method: .DELETE, path: path, body: deleteOptions(propagationPolicy, gracePeriodSeconds)))
        return KubeObject(json: response.body)
    }

    /// `DELETE` on the collection: every object matching the selectors (all when none) goes.
    /// `namespace` nil uses the default namespace; the server answers the deleted items as a list.
    @discardableResult
    public func deleteCollection(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions(limit: nil),
        propagationPolicy: PropagationPolicy = .background
    ) async throws -> KubeObject {
        let path = resource.collectionPath(namespace: scope(resource, namespace))
        let response = try await send(
            KubeRequest(method: .DELETE, path: path, query: options.selectorQuery, body: deleteOptions(propagationPolicy, nil)))
        return KubeObject(json: response.body)
    }

    private func deleteOptions(_ policy: PropagationPolicy, _ grace: Int?) -> [UInt8] {
        var options: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": .string(policy.rawValue)]
        if let grace { options["gracePeriodSeconds"] = .int(Int64(grace)) }
        return options.serialized
    }

    /// The namespace a call on `resource` goes to: none for cluster-scoped, else the given or default one.
    func scope(_ resource: APIResource, _ namespace: String?) -> String? {
        guard resource.namespaced else { return nil }
        if let namespace, !namespace.isEmpty { return namespace }
        return connection.namespace
    }
}
