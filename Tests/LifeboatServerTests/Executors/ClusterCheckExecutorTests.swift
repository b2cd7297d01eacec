import Crypto
import Foundation
import KubeSim
import LifeboatCore
import LifeboatStore
@testable import LifeboatServer
import Testing

/// The cluster check against a real kubesim: a good kubeconfig makes the cluster Ready with its version,
/// a wrong token makes it Unreachable with the API server's reason, and neither leaks the token.
@Suite(.timeLimit(.minutes(1))) struct ClusterCheckExecutorTests {
    static func check(kubeconfig: String, database: AppDatabase) async throws -> Cluster {
        let vault = CredentialVault(sealer: CredentialSealer(key: SymmetricKey(size: .bits256)))
        let secret = ClusterSecret(kubeconfig: kubeconfig)
        let spec = ClusterSpec(source: .kubeconfig)
        _ = try secret.connection(for: spec)
        let sealed = try vault.seal(secret)
        var cluster = Cluster(metadata: ObjectMeta(name: try ClusterName("sim")), spec: spec)
        cluster.spec.credential = sealed.id
        _ = try await database.createCluster(cluster, credential: sealed)
        let job = try #require(try await database.claimNextJob(owner: "test", kinds: [.clusterCheck], leaseDuration: 60))
        let context = JobContext(job: job, database: database, owner: "test", logger: quietLogger())
        try await ClusterCheckExecutor(database: database, vault: vault).execute(job, context: context)
        return try await database.cluster(named: ClusterName("sim"))
    }

    @Test func reachableClusterIsReadyWithItsVersion() async throws {
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["sim-token-7d2a"]))
        let cluster = try await Self.check(kubeconfig: sim.kubeconfig(token: "sim-token-7d2a"), database: try .inMemory())
        await sim.stop()
        #expect(cluster.status.phase == .ready)
        #expect(cluster.status.kubernetesVersion?.hasPrefix("v1.") == true)
        #expect(cluster.status.lastCheckTime != nil)
    }

    @Test func wrongTokenIsUnreachableWithTheReason() async throws {
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["the-right-token"]))
        let cluster = try await Self.check(kubeconfig: sim.kubeconfig(token: "wrong-token-93fe"), database: try .inMemory())
        await sim.stop()
        #expect(cluster.status.phase == .unreachable)
        #expect(cluster.status.message?.contains("401") == true)
        #expect(cluster.status.message?.contains("wrong-token-93fe") == false)
    }
}
