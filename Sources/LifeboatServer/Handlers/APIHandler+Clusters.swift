import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatKube
import LifeboatStore

extension APIHandler {
    func listClusters(_ input: Operations.ListClusters.Input) async throws -> Operations.ListClusters.Output {
        let query = input.query
        let page = try await database.clusters(
            Self.listOptions(limit: query.limit, continueToken: query._continue, cluster: nil, phase: query.phase, labelSelector: query.labelSelector))
        let items = page.items.map(Self.wireCluster)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "ClusterList", items: items, _continue: page.continueToken))))
    }

    /// Registers a cluster. Its credentials are checked for shape here (a kubeconfig must resolve to a
    /// connection without local files or exec plugins), sealed, and the reachability check is queued.
    func createCluster(_ input: Operations.CreateCluster.Input) async throws -> Operations.CreateCluster.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let metadata = try newMetadata(wire.metadata, as: ClusterName.self)
        let (spec, secret) = try Self.clusterSpec(from: wire.spec)
        _ = try secret.connection(for: spec)
        let sealed = try vault.seal(secret)
        var cluster = Cluster(metadata: metadata, spec: spec)
        cluster.spec.credential = sealed.id
        let (stored, _) = try await database.createCluster(cluster, credential: sealed, now: now())
        return .created(.init(body: .json(Self.wireCluster(stored))))
    }

    func getCluster(_ input: Operations.GetCluster.Input) async throws -> Operations.GetCluster.Output {
        let cluster = try await database.cluster(named: ClusterName(input.path.name, field: "name"))
        return .ok(.init(body: .json(Self.wireCluster(cluster))))
    }

    func deleteCluster(_ input: Operations.DeleteCluster.Input) async throws -> Operations.DeleteCluster.Output {
        try await database.deleteCluster(named: ClusterName(input.path.name, field: "name"))
        return .noContent(.init())
    }

    // MARK: - Mapping

    /// Splits the wire spec into the stored (public) part and the write-only secret.
    static func clusterSpec(from wire: Components.Schemas.ClusterSpec) throws -> (ClusterSpec, ClusterSecret) {
        let hasKubeconfig = !(wire.kubeconfig ?? "").isEmpty
        let hasServer = !(wire.server ?? "").isEmpty
        switch (hasKubeconfig, hasServer) {
        case (true, true):
            throw LifeboatError.invalidArgument(field: "spec.server", reason: "give either kubeconfig or server and token, not both")
        case (false, false):
            throw LifeboatError.invalidArgument(field: "spec.kubeconfig", reason: "is required unless server and token are given")
        case (true, false):
            if wire.token != nil {
                throw LifeboatError.invalidArgument(field: "spec.token", reason: "only applies with server; the kubeconfig carries its own credentials")
            }
            let spec = ClusterSpec(source: .kubeconfig, context: wire.context, insecureSkipTLSVerify: wire.insecureSkipTLSVerify)
            try spec.validate()
            return (spec, ClusterSecret(kubeconfig: wire.kubeconfig))
        case (false, true):
            guard let token = wire.token, !token.isEmpty else {
                throw LifeboatError.invalidArgument(field: "spec.token", reason: "is required with server")
            }
            let spec = ClusterSpec(
                source: .token, server: wire.server, caBundle: wire.certificateAuthorityData,
                insecureSkipTLSVerify: wire.insecureSkipTLSVerify)
            try spec.validate()
            return (spec, ClusterSecret(token: token))
        }
    }

    static func wireCluster(_ cluster: Cluster) -> Components.Schemas.Cluster {
        let status = cluster.status
        return Components.Schemas.Cluster(
            apiVersion: "lifeboat.io/v1", kind: "Cluster", metadata: wireMetadata(cluster.metadata),
            spec: .init(
                context: cluster.spec.context, server: cluster.spec.server,
                certificateAuthorityData: cluster.spec.caBundle, insecureSkipTLSVerify: cluster.spec.insecureSkipTLSVerify),
            status: .init(
                phase: status.phase.map { Components.Schemas.ClusterPhase(rawValue: $0.rawValue) ?? .pending } ?? .pending,
                kubernetesVersion: status.kubernetesVersion, message: status.message, lastCheckTime: status.lastCheckTime,
                credentialsConfigured: cluster.spec.credential != nil))
    }
}
