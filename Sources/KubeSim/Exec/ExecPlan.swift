import Foundation

/// A validated `pods/<name>/exec` request: what to run, where, and which streams to connect.
struct ExecPlan: Sendable {
    var namespace: String
    var pod: String
    var podUID: String
    var container: String
    var command: [String]
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var workingDirectory: String

    /// Checks the pod and container the way the API server does before it upgrades the connection.
    static func make(cluster: KubeCluster, namespace: String, pod: String, query: QueryParameters, podsRoot: String) throws(StatusError) -> ExecPlan {
        let podsKey = ResourceKey(group: "", plural: "pods")
        guard let stored = cluster.withState({ $0.stored(podsKey, ObjectKey(namespace: namespace, name: pod)) }) else {
            throw .notFound(podsKey, pod)
        }
        let object = stored.decoded()
        let containers = (object.value(at: ["spec", "containers"])?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        var container = query["container"] ?? ""
        if container.isEmpty {
            guard containers.count == 1 || object.value(at: ["metadata", "annotations", "kubectl.kubernetes.io/default-container"]) != nil else {
                throw .badRequest("a container name must be specified for pod \(pod), choose one of: [\(containers.joined(separator: " "))]")
            }
            container = object.value(at: ["metadata", "annotations", "kubectl.kubernetes.io/default-container"])?.stringValue ?? containers.first ?? ""
        }
        guard containers.contains(container) else {
            throw .badRequest("container \(container) is not valid for pod \(pod)")
        }
        let command = query.all("command")
        guard !command.isEmpty else { throw .badRequest("you must specify at least 1 command") }
        return ExecPlan(
            namespace: namespace, pod: pod, podUID: stored.uid, container: container, command: command,
            stdin: query.bool("stdin"), stdout: query["stdout"].map { _ in query.bool("stdout") } ?? true,
            stderr: query["stderr"].map { _ in query.bool("stderr") } ?? true,
            workingDirectory: (podsRoot as NSString).appendingPathComponent(stored.uid))
    }

    /// Parses `/api/v1/namespaces/<ns>/pods/<name>/exec`.
    static func target(path: String) -> (namespace: String, pod: String)? {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count == 7, segments[0] == "api", segments[1] == "v1", segments[2] == "namespaces", segments[4] == "pods",
              segments[6] == "exec" else { return nil }
        return (segments[3], segments[5])
    }
}
