import Foundation
import LifeboatKube

/// Seeds a cluster with config maps or lists them through LifeboatKube, reporting objects/s and peak RSS.
///
/// `run.sh` beside this folder drives it against a `kubesim` process with 1 ms latency and runs
/// `kubectl get --chunk-size=500 -o json` on the same server for comparison.
///
///     kube-benchmark seed --kubeconfig FILE --namespace NS --count N
///     kube-benchmark list --kubeconfig FILE --namespace NS [--limit 500]
@main
struct KubeBenchmark {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let mode = arguments.first, ["seed", "list"].contains(mode) else {
            FileHandle.standardError.write(Data("usage: kube-benchmark seed|list --kubeconfig FILE --namespace NS [--count N] [--limit N]\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        var options: [String: String] = [:]
        while arguments.count >= 2, arguments[0].hasPrefix("--") {
            options[String(arguments[0].dropFirst(2))] = arguments[1]
            arguments.removeFirst(2)
        }
        guard let kubeconfigPath = options["kubeconfig"] else {
            FileHandle.standardError.write(Data("--kubeconfig is required\n".utf8))
            exit(2)
        }
        let namespace = options["namespace"] ?? "bench"
        var connection = try ClusterConnection(kubeconfig: KubeConfig(contentsOfFile: kubeconfigPath), allowLocalReferences: true)
        connection.limits = ClientLimits(queriesPerSecond: 0, maxConcurrentRequests: 64)
        let client = try HTTPKubernetesClient(connection: connection)
        let configMaps = APIResource(group: "", version: "v1", name: "configmaps", singularName: "configmap", kind: "ConfigMap",
                                     namespaced: true, verbs: ["create", "list"])
        do {
            switch mode {
            case "seed": try await seed(client: client, resource: configMaps, namespace: namespace, count: Int(options["count"] ?? "100000") ?? 100_000)
            default: try await list(client: client, resource: configMaps, namespace: namespace, limit: Int(options["limit"] ?? "500") ?? 500)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func seed(client: HTTPKubernetesClient, resource: APIResource, namespace: String, count: Int) async throws {
        let namespaces = APIResource(group: "", version: "v1", name: "namespaces", kind: "Namespace", namespaced: false)
        do {
            _ = try await client.create(namespaces, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
        } catch let error as KubernetesError where error.isAlreadyExists {}
        let payload = String(repeating: "x", count: 200)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let name = String(format: "bench-%06d", next)
                next += 1
                let object = KubeObject([
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": "bench"]],
                    "data": ["payload": .string(payload), "index": .string(name)],
                ])
                group.addTask { _ = try await client.create(resource, object) }
            }
            for _ in 0..<min(64, count) { add() }
            while try await group.next() != nil {
                if next < count { add() }
            }
        }
        print("seeded \(count) config maps in \(seconds(ContinuousClock.now - start)) s")
    }

    static func list(client: HTTPKubernetesClient, resource: APIResource, namespace: String, limit: Int) async throws {
        let start = ContinuousClock.now
        var objects = 0
        var bytes = 0
        for try await item in client.list(resource, namespace: namespace, options: ListOptions(limit: limit)) {
            objects += 1
            bytes += item.json.count
        }
        let elapsed = seconds(ContinuousClock.now - start)
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
        print(String(format: "lifeboat-kube: %d objects (%.1f MiB JSON) in %.2f s = %.0f objects/s, peak RSS %.1f MiB",
                     objects, Double(bytes) / 1_048_576, elapsed, Double(objects) / elapsed, peakMiB))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
