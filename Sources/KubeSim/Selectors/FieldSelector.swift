import Foundation

/// A parsed `fieldSelector`: `=`, `==`, `!=` on the fields each kind supports.
struct FieldSelector: Sendable {
    struct Requirement: Sendable {
        var field: String
        var value: String
        var negated: Bool
    }

    var requirements: [Requirement]

    var isEmpty: Bool { requirements.isEmpty }

    /// Extra fields beyond `metadata.name`/`metadata.namespace`, by kind (apiserver's field label conversions).
    static let extraFields: [String: Set<String>] = [
        "Pod": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase",
                "status.podIP", "status.nominatedNodeName", "spec.hostNetwork"],
        "Secret": ["type"],
        "Namespace": ["status.phase"],
        "Node": ["spec.unschedulable"],
        "Event": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                  "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                  "reportingComponent", "source", "type"],
        "ReplicationController": ["status.replicas"],
        "ReplicaSet": ["status.replicas"],
        "Job": ["status.successful"],
        "PersistentVolumeClaim": [], "Service": ["spec.clusterIP", "spec.type"],
    ]

    init(parsing text: String, kind: String) throws(StatusError) {
        requirements = []
        for clause in text.split(separator: ",") {
            let clause = String(clause).trimmingSpaces
            if clause.isEmpty { continue }
            var requirement: Requirement?
            for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = clause.range(of: op) {
                    requirement = Requirement(field: String(clause[..<range.lowerBound]).trimmingSpaces,
                                              value: String(clause[range.upperBound...]).trimmingSpaces, negated: negated)
                    break
                }
            }
            guard let requirement else { throw .badRequest("invalid selector: '\(text)'; can't understand '\(clause)'") }
            let allowed = Self.extraFields[kind] ?? []
            guard requirement.field == "metadata.name" || requirement.field == "metadata.namespace"
                    || allowed.contains(requirement.field) else {
                throw .badRequest("\"\(requirement.field)\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
            }
            requirements.append(requirement)
        }
    }

    /// Whether matching needs the object's body rather than just its name and namespace.
    var needsBody: Bool { requirements.contains { $0.field != "metadata.name" && $0.field != "metadata.namespace" } }

    func matches(namespace: String, name: String, body: () -> JSONValue?) -> Bool {
        var parsed: JSONValue??
        for requirement in requirements {
            let actual: String
            switch requirement.field {
            case "metadata.name": actual = name
            case "metadata.namespace": actual = namespace
            default:
                if parsed == nil { parsed = .some(body()) }
                let value = parsed!.flatMap { $0.value(at: requirement.field.split(separator: ".").map(String.init)) }
                switch value {
                case .string(let s)?: actual = s
                case .number(let n)?: actual = n
                case .bool(let b)?: actual = b ? "true" : "false"
                default: actual = ""
                }
            }
            if (actual == requirement.value) == requirement.negated { return false }
        }
        return true
    }
}
