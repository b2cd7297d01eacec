import Foundation
import LifeboatCore
import LifeboatKube
import LifeboatStore
import NIOCore

/// Opens Kubernetes clients for registered clusters: the sealed credential is opened only here, and the
/// per-cluster limits of the engine's clients are set in one place.
struct ClusterClients: Sendable {
    let database: AppDatabase
    let vault: CredentialVault
    /// Limits for backup and restore clients. Velero's client defaults (QPS 20, burst 30) are what makes its
    /// restores slow; the engine keeps many requests in flight and retries 429s with backoff.
    var engineLimits = ClientLimits(queriesPerSecond: 2000, burst: 2000, maxConcurrentRequests: 64)

    /// How to reach `cluster`, with its credential.
    func connection(for cluster: Cluster) async throws -> ClusterConnection {
        guard let credentialID = cluster.spec.credential else {
            throw LifeboatError.conflict(reason: "cluster '\(cluster.name)' has no credentials")
        }
        let secret = try vault.open(try await database.sealedCredential(credentialID), as: ClusterSecret.self)
        return try secret.connection(for: cluster.spec)
    }

    /// A client for the engine; the caller shuts it down. `.invalidArgument(spec.cluster)` when the cluster is gone.
    func engineClient(for name: ClusterName, requestTimeout: TimeAmount = .seconds(60)) async throws -> HTTPKubernetesClient {
        let cluster: Cluster
        do {
            cluster = try await database.cluster(named: name)
        } catch LifeboatError.notFound {
            throw LifeboatError.invalidArgument(field: "spec.cluster", reason: "cluster '\(name)' is not registered")
        }
        var connection = try await connection(for: cluster)
        connection.limits = engineLimits
        return try HTTPKubernetesClient(connection: connection, requestTimeout: requestTimeout)
    }
}

/// Runs `body` with a client and shuts the client down after it, however `body` ends.
func withClient<T>(_ client: HTTPKubernetesClient, _ body: (HTTPKubernetesClient) async throws -> T) async throws -> T {
    let result: Result<T, any Error>
    do {
        result = .success(try await body(client))
    } catch {
        result = .failure(error)
    }
    try? await client.shutdown()
    return try result.get()
}
