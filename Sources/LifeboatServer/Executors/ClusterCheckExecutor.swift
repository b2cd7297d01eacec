import Foundation
import LifeboatCore
import LifeboatKube
import LifeboatStore
import Logging
import NIOCore

/// Checks that a registered cluster answers `GET /version` with its credentials, and records the outcome
/// as the cluster's status: `Ready` with the Kubernetes version, or `Unreachable` with the reason.
///
/// An unreachable cluster is a finding, not a failed job: the job fails only when the check itself cannot
/// run (the cluster was deleted meanwhile, its credential cannot be opened).
struct ClusterCheckExecutor: JobExecutor {
    let kind: JobKind = .clusterCheck
    let database: AppDatabase
    let vault: CredentialVault
    let requestTimeout: TimeAmount
    let now: @Sendable () -> Date

    init(database: AppDatabase, vault: CredentialVault, requestTimeout: TimeAmount = .seconds(10), now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.vault = vault
        self.requestTimeout = requestTimeout
        self.now = now
    }

    func execute(_ job: Job, context: JobContext) async throws {
        let name = try ClusterName(job.target, field: "target")
        let cluster = try await database.cluster(named: name)
        let connection = try await ClusterClients(database: database, vault: vault).connection(for: cluster)

        var status = ClusterStatus(lastCheckTime: now())
        let client = try HTTPKubernetesClient(connection: connection, requestTimeout: requestTimeout)
        do {
            let version = try await client.serverVersion()
            status.phase = .ready
            status.kubernetesVersion = version.gitVersion
        } catch let error as KubernetesError {
            status.phase = .unreachable
            status.message = error.description
        } catch {
            status.phase = .unreachable
            status.message = "the check failed: \(type(of: error))"
        }
        try? await client.shutdown()
        status.lastCheckTime = now()
        try await database.updateClusterStatus(name, status)
        context.logger.info(
            "Cluster checked",
            metadata: ["cluster.name": "\(name)", "cluster.phase": "\(status.phase?.rawValue ?? "")", "server": "\(connection.server.host ?? "")"])
    }
}
