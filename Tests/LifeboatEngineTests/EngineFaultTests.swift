import Foundation
import KubeSim
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import Testing

/// Backups and restores against a kubesim that throttles (429 with Retry-After) and fails requests (500/503):
/// retries make every item come out right, and nothing is reported as failed.
@Suite struct EngineFaultTests {
    static func configMaps(_ count: Int, namespace: String) -> [String] {
        [#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(namespace)"}}"#]
            + (0..<count).map { index in
                #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-\#(index)","namespace":"\#(namespace)","labels":{"app":"bulk"}},"data":{"index":"\#(index)"}}"#
            }
    }

    @Test(.timeLimit(.minutes(3))) func injectedFailuresAndThrottlingStillGiveEveryItem() async throws {
        let faulty = KubeSimConfiguration(tokens: ["test-token"], rateLimit: 400, failRate: 0.1, failSeed: 42)
        try await EngineHarness.run(faulty) { harness in
            // Seed through the same faulty server: the client's retries already carry the fixture in.
            try await harness.create(Self.configMaps(300, namespace: "bulk"))
            let backup = try await harness.backup("faulty") { $0.includedNamespaces = ["bulk"] }
            #expect(backup.status.phase == .completed, "\(backup.status.failureReason ?? "")")
            let index = try await harness.index(of: "faulty")
            #expect(EngineHarness.names(index, "configmaps").filter { $0.hasPrefix("bulk/cm-") }.count == 300)

            let restore = try await harness.restore("faulty-restore", from: "faulty") { $0.namespaceMapping = ["bulk": "bulk-copy"] }
            #expect(restore.status.phase == .completed, "\(restore.status.failureReason ?? "")")
            #expect(restore.items.items.allSatisfy { $0.outcome != .failed }, "\(restore.items.items.filter { $0.outcome == .failed }.prefix(3))")
            let configMaps = try #require(try await harness.client.discover().resolve("configmaps"))
            var restored: [String: String] = [:]
            for try await item in harness.client.list(configMaps, namespace: "bulk-copy", options: ListOptions(labelSelector: "app=bulk")) {
                restored[item.name ?? ""] = item.string(at: ["data", "index"])
            }
            #expect(restored.count == 300)
            #expect((0..<300).allSatisfy { restored["cm-\($0)"] == "\($0)" })
        }
    }
}

/// A monitor that expires every continue token each time the backup reports progress, as etcd compaction would.
private struct CompactingMonitor: ExecutionMonitor {
    let sim: KubeSimServer

    func progress(completed: Int, total: Int?, message: String?) async { sim.expireContinueTokens() }
    func checkCancellation() throws {}
}

@Suite struct EngineExpiredListTests {
    /// Lists restarted after 410 Expired resume after the last item they delivered, so every item is in the tarball
    /// exactly once without the writer remembering config maps. Namespaces `exp` and `exp-b` are where etcd's key
    /// order (`exp-b/…` before `exp/…`) and kubesim's (namespace, then name) differ.
    @Test(.timeLimit(.minutes(3))) func expiredContinueTokensGiveEveryItemOnce() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(EngineFaultTests.configMaps(150, namespace: "exp") + EngineFaultTests.configMaps(150, namespace: "exp-b"))
            var backup = Backup(metadata: ObjectMeta(name: try BackupName("compacted")), spec: BackupSpec(cluster: try ClusterName("sim")))
            backup.spec.includedResources = ["configmaps"]
            backup.status.startTimestamp = Date()
            let outcome = try await BackupEngine(backup: backup, client: harness.client, store: harness.store, layout: harness.layout,
                                                 logger: harness.logger, listConcurrency: 2, pageSize: 20)
                .run(monitor: CompactingMonitor(sim: harness.sim))
            #expect(outcome.status.phase == .completed, "\(outcome.status.failureReason ?? "")")
            let index = try await harness.index(of: "compacted")
            let names = EngineHarness.names(index, "configmaps").filter { $0.contains("/cm-") }
            #expect(names.count == 300)
            // The writer counts every add; a repeated item would be written twice and counted twice.
            let configMapCount = EngineHarness.names(index, "configmaps").count
            #expect(outcome.status.progress?.itemsBackedUp == configMapCount + EngineHarness.names(index, "namespaces").count)
        }
    }
}
