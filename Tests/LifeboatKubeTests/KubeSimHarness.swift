import Foundation
import KubeSim

@testable import LifeboatKube

/// Starts a KubeSim on port 0 for one test, connects a client to it through a generated kubeconfig, and
/// tears both down whatever happens.
enum KubeSimHarness {
    static func run<T>(
        _ configuration: KubeSimConfiguration = KubeSimConfiguration(tokens: ["test-token"]),
        limits: ClientLimits = ClientLimits(),
        _ body: (KubeSimServer, HTTPKubernetesClient) async throws -> T
    ) async throws -> T {
        let sim = try await KubeSimServer.start(configuration)
        let client: HTTPKubernetesClient
        do {
            var connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: sim.kubeconfig()))
            connection.limits = limits
            client = try HTTPKubernetesClient(connection: connection)
        } catch {
            await sim.stop()
            throw error
        }
        do {
            let result = try await body(sim, client)
            try await client.shutdown()
            await sim.stop()
            return result
        } catch {
            try? await client.shutdown()
            await sim.stop()
            throw error
        }
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-kube-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func configMap(_ name: String, namespace: String = "default", data: [String: String] = ["k": "v"],
                          labels: [String: String] = [:]) -> KubeObject {
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        return KubeObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
                           "data": .object(data.mapValues { .string($0) })])
    }

    static let configMaps = APIResource(group: "", version: "v1", name: "configmaps", singularName: "configmap", kind: "ConfigMap",
                                        namespaced: true, verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])

    static let namespaces = APIResource(group: "", version: "v1", name: "namespaces", singularName: "namespace", kind: "Namespace",
                                        namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"])

    /// The label every fixture config map carries, so lists can leave out the namespace's own `kube-root-ca.crt`.
    static let fixtureSelector = "fixture=bulk"

    /// Creates the namespace (if needed) and `count` config maps named `cm-00000`… in it, concurrently (the
    /// client's own limits apply).
    static func createConfigMaps(_ count: Int, namespace: String = "default", client: HTTPKubernetesClient) async throws {
        do {
            _ = try await client.create(namespaces, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
        } catch let error as KubernetesError where error.isAlreadyExists {}
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let name = String(format: "cm-%05d", next)
                next += 1
                group.addTask {
                    _ = try await client.create(configMaps, configMap(name, namespace: namespace, labels: ["fixture": "bulk"]))
                }
            }
            for _ in 0..<min(64, count) { add() }
            while try await group.next() != nil {
                if next < count { add() }
            }
        }
    }
}
