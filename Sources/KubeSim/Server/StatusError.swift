/// A failure answered as a Kubernetes `Status` object, with the exact reasons and messages of
/// apimachinery's `pkg/api/errors`, because client-go classifies errors by `reason` and `code`.
struct StatusError: Error, Sendable {
    struct Cause: Sendable {
        var reason: String
        var message: String
        var field: String?
    }

    var code: Int
    var reason: String
    var message: String
    var name: String?
    var group: String?
    var kind: String?
    var causes: [Cause] = []
    var retryAfterSeconds: Int?

    var json: JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group, !group.isEmpty { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map { cause in
                var c: [String: JSONValue] = ["reason": .string(cause.reason), "message": .string(cause.message)]
                if let field = cause.field { c["field"] = .string(field) }
                return .object(c)
            })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(retryAfterSeconds) }
        var object: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(code),
        ]
        if !details.isEmpty { object["details"] = .object(details) }
        return .object(object)
    }

    static func notFound(_ resource: ResourceKey, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(resource.qualified) \"\(name)\" not found",
                    name: name, group: resource.group, kind: resource.plural)
    }

    static func alreadyExists(_ resource: ResourceKey, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(resource.qualified) \"\(name)\" already exists",
                    name: name, group: resource.group, kind: resource.plural)
    }

    static func conflict(_ resource: ResourceKey, _ name: String) -> StatusError {
        StatusError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(resource.qualified) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            name: name, group: resource.group, kind: resource.plural)
    }

    /// `<Kind.group> "<name>" is invalid: <field>: <detail>`.
    static func invalid(kind: String, group: String, name: String, field: String, detail: String,
                        causeReason: String = "FieldValueInvalid") -> StatusError {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return StatusError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(field): \(detail)",
                           name: name, group: group, kind: kind,
                           causes: [Cause(reason: causeReason, message: detail, field: field)])
    }

    static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed(_ verb: String, _ resource: ResourceKey) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed",
                    message: "\(verb) is not supported on resources of kind \"\(resource.qualified)\"")
    }

    static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static let resourceNotFound = StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")

    static func forbidden(user: String, verb: String, resource: ResourceKey, subresource: String?, name: String?,
                          namespace: String?) -> StatusError {
        let target = name.map { "\(resource.qualified) \"\($0)\" is forbidden" } ?? "\(resource.qualified) is forbidden"
        let res = subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        return StatusError(code: 403, reason: "Forbidden",
                           message: "\(target): User \"\(user)\" cannot \(verb) resource \"\(res)\" in API group \"\(resource.group)\" \(scope)",
                           name: name, group: resource.group, kind: resource.plural)
    }

    static func namespaceTerminating(_ resource: ResourceKey, name: String, namespace: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden",
                    message: "\(resource.qualified) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                    name: name, group: resource.group, kind: resource.plural,
                    causes: [Cause(reason: "NamespaceTerminating", message: "namespace \(namespace) is being terminated", field: "metadata.namespace")])
    }

    static let expired = StatusError(
        code: 410, reason: "Expired",
        message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")

    static func unsupportedMediaType(_ contentType: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \(contentType))")
    }

    static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                    causes: [Cause(reason: "", message: message, field: nil)])
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}
