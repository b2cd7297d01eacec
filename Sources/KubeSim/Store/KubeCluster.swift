import Synchronization

/// The emulated cluster: `ClusterState` behind one lock.
///
/// A mutex rather than an actor: every operation is short and synchronous, and lists of 100k objects
/// should not pay an executor hop per request.
final class KubeCluster: Sendable {
    let state: Mutex<ClusterState>

    init(caPEM: String) {
        var initial = ClusterState()
        initial.caPEM = caPEM
        state = Mutex(initial)
        state.withLock { $0.bootstrap() }
    }

    func withState<R: Sendable, E: Error>(_ body: (inout ClusterState) throws(E) -> R) throws(E) -> R {
        try state.withLock { (state: inout ClusterState) throws(E) -> R in try body(&state) }
    }
}

extension ClusterState {
    /// The objects a fresh cluster has: the four initial namespaces (with their defaults), the
    /// `kubernetes` Service and one Node.
    mutating func bootstrap() {
        guard let nsView = view(group: "", version: "v1", plural: "namespaces") else { return }
        for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            _ = try? create(view: nsView, namespace: nil,
                            object: .object(["apiVersion": "v1", "kind": "Namespace", "metadata": .object(["name": .string(name)])]),
                            options: WriteOptions())
        }
        if let svcView = view(group: "", version: "v1", plural: "services") {
            let service: JSONValue = .object([
                "apiVersion": "v1", "kind": "Service",
                "metadata": .object(["name": "kubernetes", "labels": .object(["component": "apiserver", "provider": "kubernetes"])]),
                "spec": .object(["clusterIP": "10.96.0.1", "ports": .array([.object(["name": "https", "port": .int(443), "targetPort": .int(6443)])])]),
            ])
            services.usedIPs.remove("10.96.0.1")
            _ = try? create(view: svcView, namespace: "default", object: service, options: WriteOptions())
        }
        if let nodeView = view(group: "", version: "v1", plural: "nodes") {
            let node: JSONValue = .object([
                "apiVersion": "v1", "kind": "Node",
                "metadata": .object(["name": "kubesim-node", "labels": .object([
                    "kubernetes.io/hostname": "kubesim-node", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"])]),
                "spec": .object([:]),
            ])
            _ = try? create(view: nodeView, namespace: nil, object: node, options: WriteOptions())
            if let stored = tables[nodeView.key]?[ObjectKey(namespace: "", name: "kubesim-node")] {
                var tree = stored.decoded()
                tree["status"] = .object([
                    "conditions": .array([.object(["type": "Ready", "status": "True", "reason": "KubeletReady",
                                                   "message": "kubelet is posting ready status",
                                                   "lastHeartbeatTime": .string(Timestamp.now()),
                                                   "lastTransitionTime": .string(Timestamp.now())])]),
                    "addresses": .array([.object(["type": "InternalIP", "address": "127.0.0.1"]),
                                         .object(["type": "Hostname", "address": "kubesim-node"])]),
                    "nodeInfo": .object(["kubeletVersion": .string(KubeSimVersion.gitVersion), "operatingSystem": "linux",
                                         "architecture": "amd64", "containerRuntimeVersion": "kubesim://1"]),
                    "capacity": .object(["cpu": "8", "memory": "32Gi", "pods": "110"]),
                    "allocatable": .object(["cpu": "8", "memory": "32Gi", "pods": "110"]),
                ])
                commit(tree, view: nodeView, key: ObjectKey(namespace: "", name: "kubesim-node"), kind: .modified)
            }
        }
    }
}

/// The Kubernetes version KubeSim reports.
enum KubeSimVersion {
    static let major = "1"
    static let minor = "32"
    static let gitVersion = "v1.32.0-kubesim"
}
