import ArgumentParser
import LifeboatKube
import NIOCore

/// How the benchmark reaches the cluster, with the engine client limits the server uses (`ClusterClients.engineLimits`).
struct ClusterOptions: ParsableArguments {
    @Option(help: "kubeconfig of the cluster (kubesim writes one with --kubeconfig-out).")
    var kubeconfig: String

    @Option(help: "Client-side sustained requests per second (the server's engine clients use 2000).")
    var qps: Double = 2000

    @Option(help: "Client-side burst (the server's engine clients use 2000).")
    var burst: Int = 2000

    @Option(help: "Requests in flight at once per client (the server's engine clients use 64).")
    var maxConcurrentRequests: Int = 64

    var limits: ClientLimits { ClientLimits(queriesPerSecond: qps, burst: burst, maxConcurrentRequests: maxConcurrentRequests) }

    var limitsDescription: String {
        "client limits: qps \(Int(qps)), burst \(burst), max concurrent requests \(maxConcurrentRequests)"
    }

    /// Runs `body` with a new client (its own connections, no discovery shared with other runs) and shuts it down after.
    func withClient<T: Sendable>(_ body: (HTTPKubernetesClient) async throws -> T) async throws -> T {
        var connection = try ClusterConnection(kubeconfig: KubeConfig(contentsOfFile: kubeconfig), allowLocalReferences: true)
        connection.limits = limits
        let client = try HTTPKubernetesClient(connection: connection, requestTimeout: .seconds(60))
        let result: Result<T, any Error>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        return try result.get()
    }
}
