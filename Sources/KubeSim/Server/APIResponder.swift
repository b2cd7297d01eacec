import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Turns HTTP requests into cluster operations. One catch-all responder with its own path dispatch,
/// because Kubernetes' URL space (`/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>/<sub>`) does
/// not fit a route table well.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    static let maxBodySize = 3 * 1024 * 1024

    let cluster: KubeCluster
    let configuration: KubeSimConfiguration
    let guards: RequestGuards
    let podsRoot: String
    let serverAddress: @Sendable () -> String

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await handle(request)
        } catch let error as StatusError {
            return Self.statusResponse(error)
        }
    }

    static func json(_ bytes: [UInt8], status: Int = 200, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func statusResponse(_ error: StatusError) -> Response {
        var extra: HTTPFields = [:]
        if let retry = error.retryAfterSeconds { extra[.retryAfter] = String(retry) }
        return json(JSONWriter.encode(error.json), status: error.code, headers: extra)
    }

    private func handle(_ incoming: Request) async throws -> Response {
        var request = incoming
        let path = request.uri.path
        if path == "/healthz" || path == "/livez" || path == "/readyz" {
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        let user = try authenticate(request.headers)
        if guards.overRateLimit() {
            var error = StatusError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.")
            error.retryAfterSeconds = 1
            throw error
        }
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }

        // Segments are percent-decoded as kube-apiserver decodes them (`system%3Aauth-delegator` names `system:auth-delegator`).
        let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        switch segments.first {
        case "version" where segments.count == 1:
            return Self.json(JSONWriter.encode(Discovery.version()))
        case "openapi":
            if segments.count == 2 && segments[1] == "v2" {
                return Response(status: .ok, headers: [.contentType: "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"])
            }
            if segments.count >= 2 && segments[1] == "v3" {
                return Self.json(Array("{\"paths\":{}}".utf8))
            }
            throw StatusError.resourceNotFound
        case "api":
            if segments.count == 1 { return Self.json(JSONWriter.encode(Discovery.coreVersions(serverAddress: serverAddress()))) }
            guard segments[1] == "v1" else { throw StatusError.resourceNotFound }
            if segments.count == 2 {
                return Self.json(JSONWriter.encode(try discovery { Discovery.resourceList(group: "", version: "v1", $0) }))
            }
            return try await resourceRequest(&request, group: "", version: "v1", rest: Array(segments.dropFirst(2)), user: user)
        case "apis":
            if segments.count == 1 {
                let resources = cluster.withState { $0.resources }
                return Self.json(JSONWriter.encode(Discovery.groupList(resources)))
            }
            if segments.count == 2 { return Self.json(JSONWriter.encode(try discovery { Discovery.group(segments[1], $0) })) }
            if segments.count == 3 {
                return Self.json(JSONWriter.encode(try discovery { Discovery.resourceList(group: segments[1], version: segments[2], $0) }))
            }
            return try await resourceRequest(&request, group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)), user: user)
        default:
            throw StatusError.resourceNotFound
        }
    }

    private func discovery(_ build: ([ResourceKey: ResourceType]) -> JSONValue?) throws -> JSONValue {
        let resources = cluster.withState { $0.resources }
        guard let document = build(resources) else { throw StatusError.resourceNotFound }
        return document
    }

    /// The identity behind a request: nil when authentication is off.
    struct User: Sendable {
        var name: String
        var readOnly: Bool
    }

    /// Bearer-token authentication. With client-certificate authentication the TLS handshake already
    /// required a certificate signed by our CA, so a request without a token is that certificate's user.
    func authenticate(_ headers: HTTPFields) throws -> User? {
        if configuration.tokens.isEmpty && configuration.readOnlyTokens.isEmpty && !configuration.clientCertificateAuthentication {
            return nil
        }
        guard let header = headers[.authorization], header.hasPrefix("Bearer ") else {
            if configuration.tls && configuration.clientCertificateAuthentication { return User(name: "kubesim-admin", readOnly: false) }
            throw StatusError.unauthorized
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingSpaces
        if configuration.tokens.contains(token) { return User(name: "kubesim-admin", readOnly: false) }
        if configuration.readOnlyTokens.contains(token) { return User(name: "kubesim-viewer", readOnly: true) }
        throw StatusError.unauthorized
    }

    // MARK: Resources

    private struct Target {
        var view: ResourceView
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    private func resolve(group: String, version: String, rest: [String]) throws -> Target {
        var segments = rest
        var namespace: String?
        // namespaces/<ns>/<plural>... addresses objects inside a namespace; namespaces/<name>[/status|finalize] the namespace itself.
        if segments.count >= 3, segments[0] == "namespaces", !(group.isEmpty && ["status", "finalize"].contains(segments[2]) && segments.count == 3) {
            namespace = segments[1]
            segments.removeFirst(2)
        }
        guard !segments.isEmpty, segments.count <= 3 else { throw StatusError.resourceNotFound }
        guard let view = cluster.withState({ $0.view(group: group, version: version, plural: segments[0]) }) else {
            throw StatusError.resourceNotFound
        }
        if namespace != nil && !view.type.namespaced { throw StatusError.resourceNotFound }
        let subresource = segments.count == 3 ? segments[2] : nil
        if let subresource, !view.type.subresources.contains(where: { $0.name == subresource }) {
            throw StatusError.resourceNotFound
        }
        return Target(view: view, namespace: namespace, name: segments.count >= 2 ? segments[1] : nil, subresource: subresource)
    }

    private func resourceRequest(_ request: inout Request, group: String, version: String, rest: [String], user: User?) async throws -> Response {
        let target = try resolve(group: group, version: version, rest: rest)
        let query = QueryParameters(request.uri.query)
        let verb = target.subresource == "exec" ? "create" : verb(for: request.method, target: target, query: query)
        if let user, user.readOnly, !["get", "list", "watch"].contains(verb) {
            throw StatusError.forbidden(user: user.name, verb: verb, resource: target.view.key, subresource: target.subresource,
                                        name: target.name, namespace: target.namespace)
        }
        if let fault = guards.injectedFault() { throw fault }
        let baseVerb = target.subresource == nil ? verb : (request.method == .get ? "get" : verb)
        if target.subresource == nil, !target.view.type.allows(baseVerb) {
            throw StatusError.methodNotAllowed(verb, target.view.key)
        }
        if let dryRun = query["dryRun"], dryRun != "All" {
            throw StatusError.badRequest("Invalid dryRun value: \(dryRun); must be \"All\"")
        }
        let options = WriteOptions(dryRun: query["dryRun"] == "All", fieldManager: query["fieldManager"])
        let view = target.view
        let key = ObjectKey(namespace: view.type.namespaced ? (target.namespace ?? "") : "", name: target.name ?? "")

        switch verb {
        case "get":
            if target.subresource == "log" {
                _ = try cluster.withState { try $0.get(view: view, key: key) }
                return Response(status: .ok, headers: [.contentType: "text/plain"])
            }
            if target.subresource == "exec" { return try execWithoutUpgrade(target: target, query: query) }
            if target.subresource == "scale" {
                return Self.json(JSONWriter.encode(try cluster.withState { try $0.scale(view: view, key: key) }))
            }
            return Self.json(try cluster.withState { try $0.get(view: view, key: key) })
        case "list":
            let options = try listOptions(query, view: view)
            return Self.json(try cluster.withState { try $0.list(view: view, namespace: target.namespace, options: options) })
        case "watch":
            return try watch(view: view, namespace: target.namespace, query: query)
        case "create":
            if target.subresource == "exec" { return try execWithoutUpgrade(target: target, query: query) }
            if target.name != nil && target.subresource == nil { throw StatusError.methodNotAllowed("create", view.key) }
            let object = try await decodeBody(&request)
            let result = try cluster.withState { try $0.create(view: view, namespace: target.namespace, object: object, options: options) }
            return Self.json(result.body, status: result.code)
        case "update":
            let object = try await decodeBody(&request)
            if target.subresource == "scale" {
                return Self.json(JSONWriter.encode(try cluster.withState {
                    try $0.updateScale(view: view, key: key, scale: object, options: options)
                }))
            }
            return Self.json(try cluster.withState {
                try $0.update(view: view, key: key, object: object, subresource: target.subresource, options: options)
            })
        case "patch":
            let contentType = request.headers[.contentType]?.split(separator: ";").first.map { String($0).trimmingSpaces } ?? ""
            let type: ClusterState.PatchType
            switch contentType {
            case "application/json-patch+json": type = .json
            case "application/merge-patch+json": type = .merge
            case "application/strategic-merge-patch+json": type = .strategic
            case "application/apply-patch+yaml", "application/apply-patch+cbor":
                guard query["fieldManager"] != nil else {
                    throw StatusError.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
                }
                type = .apply
            default: throw StatusError.unsupportedMediaType(contentType)
            }
            let bytes = try await collect(&request)
            let patch: JSONValue
            if type == .apply {
                patch = try decodeYAMLOrJSON(bytes)
            } else {
                do { patch = try JSONParser.parse(bytes) } catch { throw StatusError.badRequest("error decoding patch: \(error)") }
            }
            if target.subresource == "scale" {
                return Self.json(JSONWriter.encode(try cluster.withState {
                    try $0.patchScale(view: view, key: key, type: type, patch: patch, options: options)
                }))
            }
            let result = try cluster.withState {
                try $0.patch(view: view, key: key, type: type, patch: patch, subresource: target.subresource, options: options)
            }
            return Self.json(result.body, status: result.code)
        case "delete":
            let options = try await deleteOptions(&request, query: query)
            return Self.json(try cluster.withState { try $0.delete(view: view, key: key, options: options) })
        case "deletecollection":
            let options = try await deleteOptions(&request, query: query)
            let list = try listOptions(query, view: view)
            return Self.json(try cluster.withState {
                try $0.deleteCollection(view: view, namespace: target.namespace, labels: list.labels, fields: list.fields, options: options)
            })
        default:
            throw StatusError.methodNotAllowed(verb, view.key)
        }
    }

    /// An exec request that did not upgrade: the pod/container errors first, else the protocol error
    /// (SPDY and unknown subprotocols are not supported).
    private func execWithoutUpgrade(target: Target, query: QueryParameters) throws -> Response {
        _ = try ExecPlan.make(cluster: cluster, namespace: target.namespace ?? "default", pod: target.name ?? "", query: query,
                              podsRoot: podsRoot)
        throw StatusError.badRequest("Upgrade request required: exec needs a WebSocket upgrade with subprotocol v5.channel.k8s.io or v4.channel.k8s.io")
    }

    private func verb(for method: HTTPRequest.Method, target: Target, query: QueryParameters) -> String {
        switch method {
        case .get: return target.name == nil ? (query.bool("watch") ? "watch" : "list") : "get"
        case .post: return "create"
        case .put: return target.name == nil ? "put" : "update"
        case .patch: return target.name == nil ? "patch-collection" : "patch"
        case .delete: return target.name == nil ? "deletecollection" : "delete"
        default: return method.rawValue.lowercased()
        }
    }

    private func listOptions(_ query: QueryParameters, view: ResourceView) throws -> ListOptions {
        let labels = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let fields = try FieldSelector(parsing: query["fieldSelector"] ?? "", kind: view.type.kind)
        if let rv = query["resourceVersion"], !rv.isEmpty, let token = query["continue"], !token.isEmpty {
            throw StatusError.badRequest("specifying resource version is not allowed when using continue")
        }
        return ListOptions(labels: labels, fields: fields, limit: query["limit"].flatMap { Int($0) }, continueToken: query["continue"])
    }

    private func collect(_ request: inout Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBodySize)
        } catch {
            throw StatusError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 3145728")
        }
        return Array(buffer.readableBytesView)
    }

    private func decodeYAMLOrJSON(_ bytes: [UInt8]) throws -> JSONValue {
        if let json = try? JSONParser.parse(bytes) { return json }
        do {
            let documents = try YAMLDocuments.parseAll(String(decoding: bytes, as: UTF8.self))
            guard documents.count == 1 else { throw StatusError.badRequest("expected exactly one YAML document") }
            return documents[0]
        } catch let error as StatusError {
            throw error
        } catch {
            throw StatusError.badRequest("error converting YAML to JSON: \(error)")
        }
    }

    /// Reads a JSON (or YAML) request body; protobuf bodies are refused with 415 as documented.
    private func decodeBody(_ request: inout Request) async throws -> JSONValue {
        let contentType = request.headers[.contentType]?.split(separator: ";").first.map { String($0).trimmingSpaces } ?? "application/json"
        let bytes = try await collect(&request)
        switch contentType {
        case "application/json", "":
            do { return try JSONParser.parse(bytes) } catch {
                throw StatusError.badRequest("the body of the request could not be decoded: \(error)")
            }
        case "application/yaml", "application/x-yaml", "text/yaml":
            return try decodeYAMLOrJSON(bytes)
        default:
            throw StatusError.unsupportedMediaType(contentType)
        }
    }

    private func deleteOptions(_ request: inout Request, query: QueryParameters) async throws -> DeleteOptions {
        var options = DeleteOptions()
        options.dryRun = query["dryRun"] == "All"
        options.propagationPolicy = query["propagationPolicy"]
        if query["orphanDependents"].map({ ["1", "t", "T", "true", "TRUE", "True"].contains($0) }) == true {
            options.propagationPolicy = "Orphan"
        }
        let bytes = try await collect(&request)
        if !bytes.isEmpty {
            let body: JSONValue
            do { body = try JSONParser.parse(bytes) } catch { throw StatusError.badRequest("the body of the request could not be decoded: \(error)") }
            if let policy = body["propagationPolicy"]?.stringValue { options.propagationPolicy = policy }
            if let dryRun = body["dryRun"]?.arrayValue, dryRun.contains("All") { options.dryRun = true }
            options.preconditionUID = body.value(at: ["preconditions", "uid"])?.stringValue
            options.preconditionResourceVersion = body.value(at: ["preconditions", "resourceVersion"])?.stringValue
            if body["orphanDependents"]?.boolValue == true { options.propagationPolicy = "Orphan" }
        }
        return options
    }

    // MARK: Watch

    private func watch(view: ResourceView, namespace: String?, query: QueryParameters) throws -> Response {
        let labels = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let fields = try FieldSelector(parsing: query["fieldSelector"] ?? "", kind: view.type.kind)
        if query.bool("sendInitialEvents") {
            throw StatusError(code: 422, reason: "Invalid", message: "sendInitialEvents is not supported by KubeSim")
        }
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let id = try cluster.withState {
            try $0.startWatch(view: view, namespace: namespace, labels: labels, fields: fields,
                              resourceVersion: query["resourceVersion"], continuation: continuation)
        }
        let timeout = query["timeoutSeconds"].flatMap { Int($0) }.map { max($0, 1) } ?? 1800
        let cluster = self.cluster
        let timer = Task {
            try? await Task.sleep(for: .seconds(timeout))
            continuation.finish()
        }
        continuation.onTermination = { _ in
            timer.cancel()
            _ = cluster.withState { $0.stopWatch(id) }
        }
        let body = ResponseBody { writer in
            for await line in stream {
                try await writer.write(ByteBuffer(bytes: line))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
    }
}
