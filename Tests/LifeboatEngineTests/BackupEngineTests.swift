import Crypto
import Foundation
import KubeSim
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore
import NIOCore
import Testing

/// The backup engine against a real kubesim and a real filesystem store: what lands in the tarball, the files
/// beside it, and Velero's filter rules.
@Suite struct BackupEngineTests {
    /// A small application in `shop`, a second namespace, and a PV bound to the shop's claim.
    static let fixtures: [String] = [
        #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"web"}}}"#,
        #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop","labels":{"app":"shop"}},"data":{"mode":"prod"}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"scratch","namespace":"shop","labels":{"velero.io/exclude-from-backup":"true"}},"data":{"x":"y"}}"#,
        #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"shop"},"type":"Opaque","data":{"password":"aHVudGVyMg=="}}"#,
        #"{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-shop"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Retain","hostPath":{"path":"/data/shop"}}}"#,
        #"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"shop"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeName":"pv-shop"}}"#,
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"shop","labels":{"app":"shop"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}],"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data"}}]}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"elsewhere","namespace":"other","labels":{"app":"shop"}},"data":{"a":"b"}}"#,
    ]

    @Test func fullBackupWritesVeleroFilesOnceWithDigests() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            let outcome = try await harness.backup("full")
            #expect(outcome.status.phase == .completed)
            #expect(outcome.status.errors == 0)
            let index = try await harness.index(of: "full")
            #expect(index.formatVersion == "1.1.0")
            #expect(EngineHarness.names(index, "configmaps").contains("shop/settings"))
            #expect(!EngineHarness.names(index, "configmaps").contains("shop/scratch"), "the exclude label keeps an item out")
            #expect(EngineHarness.names(index, "persistentvolumes") == ["pv-shop"])
            #expect(EngineHarness.names(index, "namespaces").contains("shop"))
            #expect(EngineHarness.names(index, "namespaces").contains("kube-system"))
            // Both Velero paths, and the item carries kind and apiVersion although lists omit them in items.
            let versions = try #require(index.versions[GroupResource(resource: "pods")])
            #expect(versions.preferred == "v1")
            let pod = try #require(index.items[ArchivedItemKey(groupResource: GroupResource(resource: "pods"), namespace: "shop", name: "web-0")])
            let podJSON = try LifeboatKube.JSONValue(parsing: pod.json)
            #expect(podJSON["kind"]?.stringValue == "Pod")
            #expect(podJSON["apiVersion"]?.stringValue == "v1")
            #expect(podJSON["metadata"]?["uid"]?.stringValue != nil, "items are the server's objects as they were")
            // Events cohabit in two groups: only the core copy is listed.
            #expect(!index.groupResources.contains(GroupResource(resource: "events", group: "events.k8s.io")))

            // Every file once, and velero-backup.json carrying the digest of each.
            let keys = try harness.layout.backup("full")
            let listed = try await harness.store.listAll(prefix: keys.directory).objects.map(\.key).sorted()
            #expect(listed == [keys.contents, keys.logs, keys.resourceList, keys.results, keys.metadata].sorted())
            let metadata = try await harness.bytes(keys.metadata)
            let digests = try BackupMetadata.artifacts(inDocument: metadata)
            #expect(Set(digests.keys) == ["full.tar.gz", "full-logs.gz", "full-resource-list.json.gz", "full-results.gz"])
            for (file, digest) in digests {
                let bytes = try await harness.bytes(keys.directory + file)
                #expect(digest.size == Int64(bytes.count), "\(file)")
                #expect(digest.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), "\(file)")
            }
            #expect(outcome.status.checksum == digests["full.tar.gz"]?.checksum)
            let document = try LifeboatKube.JSONValue(parsing: metadata)
            #expect(document["kind"]?.stringValue == "Backup")
            #expect(document["apiVersion"]?.stringValue == "velero.io/v1")
            #expect(document["metadata"]?["namespace"]?.stringValue == "velero")
            #expect(document["status"]?["phase"]?.stringValue == "Completed")
            #expect(document["status"]?["formatVersion"]?.stringValue == "1.1.0")
            #expect(document["status"]?["progress"]?["itemsBackedUp"]?.intValue == Int64(index.items.count))

            let resourceList = try ResourceList(json: try GzipDecompressor.decompress(try await harness.bytes(keys.resourceList)))
            #expect(resourceList.entries["v1/Pod"] == ["shop/web-0"])
            #expect(resourceList.count == index.items.count)
            let log = String(decoding: try GzipDecompressor.decompress(try await harness.bytes(keys.logs)), as: UTF8.self)
            #expect(log.contains("level=info msg=\"Backed up a total of \(index.items.count) items\" backup=velero/full"))
            #expect(log.contains("exclude-from-backup"))
            #expect(!log.contains("aHVudGVyMg=="), "secret data never reaches the log")
        }
    }

    @Test func namespaceFilterPullsInTheBoundVolumeButNoOtherClusterResources() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            let outcome = try await harness.backup("shop-only") { $0.includedNamespaces = ["sh*"] }
            #expect(outcome.status.phase == .completed)
            let index = try await harness.index(of: "shop-only")
            #expect(EngineHarness.names(index, "namespaces") == ["shop"])
            #expect(EngineHarness.names(index, "configmaps").allSatisfy { $0.hasPrefix("shop/") })
            #expect(EngineHarness.names(index, "persistentvolumes") == ["pv-shop"], "the PVC's PV comes along (tri-state nil)")
            #expect(EngineHarness.names(index, "clusterroles", group: "rbac.authorization.k8s.io").isEmpty)
            #expect(EngineHarness.names(index, "nodes").isEmpty)
        }
    }

    @Test func includeClusterResourcesFalseDropsEvenRelatedVolumes() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            _ = try await harness.backup("no-cluster") {
                $0.includedNamespaces = ["shop"]
                $0.includeClusterResources = false
            }
            let index = try await harness.index(of: "no-cluster")
            #expect(EngineHarness.names(index, "persistentvolumes").isEmpty)
            #expect(EngineHarness.names(index, "persistentvolumeclaims") == ["shop/data"])
            #expect(EngineHarness.names(index, "namespaces") == ["shop"], "namespaces are always handled")
        }
    }

    @Test func globMatchingNothingBacksUpNothingNamespaced() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            let outcome = try await harness.backup("nothing") { $0.includedNamespaces = ["nomatch-*"] }
            #expect(outcome.status.phase == .completed)
            let index = try await harness.index(of: "nothing")
            #expect(index.items.keys.allSatisfy { $0.namespace == nil })
            #expect(EngineHarness.names(index, "namespaces").isEmpty)
        }
    }

    @Test func labelSelectorPullsInClaimAndVolumeOfSelectedPods() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            _ = try await harness.backup("selected") { $0.labelSelector = LabelSelector(matchLabels: ["app": "shop"]) }
            let index = try await harness.index(of: "selected")
            #expect(EngineHarness.names(index, "pods") == ["shop/web-0"])
            #expect(EngineHarness.names(index, "configmaps") == ["other/elsewhere", "shop/settings"])
            #expect(EngineHarness.names(index, "persistentvolumeclaims") == ["shop/data"], "the pod's claim, unlabelled, comes along")
            #expect(EngineHarness.names(index, "persistentvolumes") == ["pv-shop"])
            #expect(EngineHarness.names(index, "secrets").isEmpty)
            // All namespaces with a selector: only namespaces that hold a selected item (or match) are kept.
            #expect(EngineHarness.names(index, "namespaces") == ["other", "shop"])
        }
    }

    @Test func orSelectorsUnionWithoutDuplicates() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(Self.fixtures)
            let outcome = try await harness.backup("either") {
                $0.includedNamespaces = ["shop"]
                $0.includedResources = ["configmaps", "po"]
                $0.orLabelSelectors = [LabelSelector(matchLabels: ["app": "shop"]),
                                       LabelSelector(matchExpressions: [.init(key: "app", operator: .exists)])]
            }
            #expect(outcome.status.phase == .completed)
            let index = try await harness.index(of: "either")
            #expect(EngineHarness.names(index, "configmaps") == ["shop/settings"])
            #expect(EngineHarness.names(index, "pods") == ["shop/web-0"])
            #expect(EngineHarness.names(index, "persistentvolumeclaims").isEmpty, "claims are not among the included resources")
        }
    }

    @Test func unreachableClusterFailsWithTheReasonAndPublishesNoBackup() async throws {
        try await EngineHarness.run { harness in
            var connection = harness.client.connection
            connection.server = URL(string: "http://127.0.0.1:9")!
            connection.limits.maxRetries = 0
            let offline = try HTTPKubernetesClient(connection: connection, requestTimeout: .seconds(2))
            var backup = Backup(metadata: ObjectMeta(name: try BackupName("offline")), spec: BackupSpec(cluster: try ClusterName("gone")))
            backup.status.startTimestamp = Date()
            let outcome = try await BackupEngine(backup: backup, client: offline, store: harness.store, layout: harness.layout,
                                                 logger: harness.logger).run(monitor: SilentMonitor())
            try await offline.shutdown()
            #expect(outcome.status.phase == .failed)
            #expect(outcome.status.failureReason?.isEmpty == false)
            let keys = try harness.layout.backup("offline")
            #expect(try await !harness.store.exists(key: keys.metadata))
            #expect(try await !harness.store.exists(key: keys.contents))
            let log = String(decoding: try GzipDecompressor.decompress(try await harness.bytes(keys.logs)), as: UTF8.self)
            #expect(log.contains("level=error msg=\"Backup failed\""))
        }
    }
}

/// The scoped filters (Velero 1.11+): namespace-scoped and cluster-scoped lists apart, and the rule against mixing.
@Suite struct ScopedFilterTests {
    @Test func onlyListedClusterTypesComeAlongWithANamespacedBackup() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures + [
                #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"shop-reader"},"rules":[]}"#,
            ])
            let outcome = try await harness.backup("scoped") {
                $0.includedNamespaces = ["shop"]
                $0.includedClusterScopedResources = ["clusterroles"]
                $0.excludedNamespaceScopedResources = ["secrets"]
            }
            #expect(outcome.status.phase == .completed)
            let index = try await harness.index(of: "scoped")
            #expect(EngineHarness.names(index, "clusterroles", group: "rbac.authorization.k8s.io").contains("shop-reader"))
            #expect(EngineHarness.names(index, "secrets").isEmpty)
            #expect(EngineHarness.names(index, "configmaps").contains("shop/settings"))
            #expect(EngineHarness.names(index, "persistentvolumes") == ["pv-shop"], "related cluster items still come along")
            #expect(EngineHarness.names(index, "nodes").isEmpty)
            #expect(EngineHarness.names(index, "namespaces") == ["shop"])
        }
    }

    /// Cluster types all come along only when the backup is full: every namespace and every namespaced type.
    @Test func emptyClusterListsTakeEveryClusterTypeOnlyInAFullBackup() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures + [
                #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"shop-reader"},"rules":[]}"#,
            ])
            _ = try await harness.backup("full") { $0.includedNamespaceScopedResources = ["*"] }
            let full = try await harness.index(of: "full")
            #expect(EngineHarness.names(full, "clusterroles", group: "rbac.authorization.k8s.io").contains("shop-reader"))
            _ = try await harness.backup("partial") { $0.excludedNamespaceScopedResources = ["events"] }
            let partial = try await harness.index(of: "partial")
            #expect(EngineHarness.names(partial, "clusterroles", group: "rbac.authorization.k8s.io").isEmpty)
            #expect(EngineHarness.names(partial, "events").isEmpty)
            #expect(EngineHarness.names(partial, "persistentvolumes") == ["pv-shop"], "related items still come along")
        }
    }

    @Test func mixingScopedAndLegacyFiltersIsRejected() throws {
        var spec = BackupSpec(cluster: try ClusterName("sim"))
        spec.includedResources = ["pods"]
        spec.includedClusterScopedResources = ["nodes"]
        #expect(throws: LifeboatError.self) { try spec.validate() }
    }
}

/// A monitor that asks the run to stop once it has seen `after` progress reports.
final class CancellingMonitor: ExecutionMonitor, @unchecked Sendable {
    private let lock = NSLock()
    private var reports = 0
    let after: Int

    init(after: Int) { self.after = after }

    func progress(completed: Int, total: Int?, message: String?) async {
        lock.withLock { reports += 1 }
    }

    func checkCancellation() throws {
        if lock.withLock({ reports >= after }) { throw CancellationError() }
    }
}

@Suite struct CancellationTests {
    @Test func cancelledBackupPublishesNothingComplete() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(EngineFaultTests.configMaps(50, namespace: "bulk") + BackupEngineTests.fixtures)
            var backup = Backup(metadata: ObjectMeta(name: try BackupName("stopped")), spec: BackupSpec(cluster: try ClusterName("sim")))
            backup.status.startTimestamp = Date()
            let engine = BackupEngine(backup: backup, client: harness.client, store: harness.store, layout: harness.layout,
                                      logger: harness.logger, listConcurrency: 1, pageSize: 5)
            await #expect(throws: RunCancelled.self) { _ = try await engine.run(monitor: CancellingMonitor(after: 2)) }
            let keys = try harness.layout.backup("stopped")
            #expect(try await !harness.store.exists(key: keys.metadata))
            #expect(try await !harness.store.exists(key: keys.contents), "the tarball upload was aborted")
            let log = String(decoding: try GzipDecompressor.decompress(try await harness.bytes(keys.logs)), as: UTF8.self)
            #expect(log.contains("Backup cancelled"))
        }
    }

    @Test func cancelledRestoreStopsBetweenItems() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(EngineFaultTests.configMaps(300, namespace: "bulk"))
            _ = try await harness.backup("nightly") { $0.includedNamespaces = ["bulk"] }
            var restore = Restore(metadata: ObjectMeta(name: try RestoreName("stopped")), spec: RestoreSpec(backupName: try BackupName("nightly")))
            restore.spec.namespaceMapping = ["bulk": "bulk-stopped"]
            let engine = RestoreEngine(restore: restore, backupName: "nightly", client: harness.client, store: harness.store,
                                       layout: harness.layout, logger: harness.logger, concurrency: 4)
            await #expect(throws: RunCancelled.self) { _ = try await engine.run(monitor: CancellingMonitor(after: 1)) }
            let configMaps = try #require(try await harness.client.discover().resolve("configmaps"))
            var restored = 0
            for try await _ in harness.client.list(configMaps, namespace: "bulk-stopped", options: ListOptions(labelSelector: "app=bulk")) { restored += 1 }
            #expect(restored < 300)
            let log = String(decoding: try GzipDecompressor.decompress(try await harness.bytes(try harness.layout.restore("stopped").logs)), as: UTF8.self)
            #expect(log.contains("Restore cancelled"))
        }
    }
}
