import Foundation
import KubeSim
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore
import NIOCore
import Testing

/// The restore engine against a real kubesim and filesystem store, from backups the backup engine wrote.
@Suite struct RestoreEngineTests {
    static func reason(_ items: RestoreItemResults, _ resource: String, _ namespace: String?, _ name: String) -> String {
        items.items.first { $0.resource == resource && $0.targetNamespace == namespace && $0.name == name }?.reason ?? ""
    }

    static func outcome(_ items: RestoreItemResults, _ resource: String, _ namespace: String?, _ name: String) -> RestoreItemOutcome? {
        items.items.first { $0.resource == resource && $0.targetNamespace == namespace && $0.name == name }?.outcome
    }

    @Test func deletedNamespaceComesBackAsItWas() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let original = try #require(try await harness.live("configmaps", "settings", namespace: "shop"))
            try await harness.delete("namespaces", "shop")
            try await harness.delete("persistentvolumes", "pv-shop")
            try await harness.waitUntilGone("namespaces", "shop")
            try await harness.waitUntilGone("persistentvolumes", "pv-shop")

            let outcome = try await harness.restore("back", from: "nightly") { $0.includedNamespaces = ["shop"] }
            #expect(outcome.status.phase == .completed, "\(outcome.status.failureReason ?? "")")
            // Progress counts what the results list, namespaces included: never more restored than the total.
            let restoredCount = outcome.items.items.filter { [.created, .updated, .unchanged].contains($0.outcome) }.count
            #expect(outcome.status.progress?.totalItems == outcome.items.items.count)
            #expect(outcome.status.progress?.itemsRestored == restoredCount)
            let settings = try #require(try await harness.live("configmaps", "settings", namespace: "shop"))
            #expect(settings["data"] == original["data"])
            #expect(settings["metadata"]?["labels"]?["velero.io/restore-name"]?.stringValue == "back")
            #expect(settings["metadata"]?["labels"]?["velero.io/backup-name"]?.stringValue == "nightly")
            #expect(settings["metadata"]?["labels"]?["app"]?.stringValue == "shop")
            #expect(try await harness.live("namespaces", "shop")?["metadata"]?["labels"]?["team"]?.stringValue == "web")
            #expect(try await harness.live("persistentvolumes", "pv-shop") != nil, "the claim's volume comes back with it")
            #expect(try await harness.live("secrets", "creds", namespace: "shop")?["data"]?["password"]?.stringValue == "aHVudGVyMg==")
            #expect(try await harness.live("configmaps", "scratch", namespace: "shop") == nil, "never backed up")
            #expect(try await harness.live("configmaps", "elsewhere", namespace: "other") != nil)
            #expect(Self.outcome(outcome.items, "configmaps", "shop", "settings") == .created)
            #expect(Self.outcome(outcome.items, "pods", "shop", "web-0") == .created)
            #expect(Self.outcome(outcome.items, "persistentvolumes", nil, "pv-shop") == .created)
            // The namespace's own default ServiceAccount exists as soon as the namespace does: equal, so unchanged.
            #expect(Self.outcome(outcome.items, "serviceaccounts", "shop", "default") == .unchanged,
                    "\(Self.reason(outcome.items, "serviceaccounts", "shop", "default"))")
            #expect(outcome.items.items.allSatisfy { $0.outcome != .failed })

            let keys = try harness.layout.restore("back")
            let listed = try await harness.store.listAll(prefix: keys.directory).objects.map(\.key).sorted()
            #expect(listed == [keys.items, keys.logs, keys.resourceList, keys.results].sorted())
            let resourceList = try ResourceList(json: try GzipDecompressor.decompress(try await harness.bytes(keys.resourceList)))
            #expect(resourceList.entries["v1/ConfigMap"]?.contains("shop/settings(created)") == true)
        }
    }

    @Test func namespaceMappingRestoresIntoANewNamespace() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let outcome = try await harness.restore("copy", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.namespaceMapping = ["shop": "shop-copy"]
            }
            #expect(outcome.status.phase == .completed, "\(outcome.status.failureReason ?? "")")
            #expect(try await harness.live("configmaps", "settings", namespace: "shop-copy")?["metadata"]?["namespace"]?.stringValue == "shop-copy")
            #expect(try await harness.live("pods", "web-0", namespace: "shop-copy") != nil)
            #expect(try await harness.live("namespaces", "shop-copy")?["metadata"]?["labels"]?["team"]?.stringValue == "web")
            #expect(Self.outcome(outcome.items, "configmaps", "shop-copy", "settings") == .created)
            // The PV already exists and equals the backup (same cluster): left as it is.
            #expect(Self.outcome(outcome.items, "persistentvolumes", nil, "pv-shop") == .unchanged, "\(Self.reason(outcome.items, "persistentvolumes", nil, "pv-shop"))")
        }
    }

    @Test func existingObjectsFollowThePolicy() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let configMaps = try #require(try await harness.client.discover().resolve("configmaps"))
            _ = try await harness.client.patch(configMaps, name: "settings", namespace: "shop", type: .merge, patch: ["data": ["mode": "changed"]])

            let kept = try await harness.restore("keep", from: "nightly") { $0.includedNamespaces = ["shop"] }
            #expect(kept.status.phase == .completed)
            #expect(Self.outcome(kept.items, "configmaps", "shop", "settings") == .skipped)
            #expect((kept.status.warnings ?? 0) >= 1)
            #expect(try await harness.live("configmaps", "settings", namespace: "shop")?["data"]?["mode"]?.stringValue == "changed")

            let updated = try await harness.restore("update", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.existingResourcePolicy = .update
            }
            #expect(updated.status.phase == .completed, "\(updated.status.failureReason ?? "")")
            #expect(Self.outcome(updated.items, "configmaps", "shop", "settings") == .updated)
            #expect(try await harness.live("configmaps", "settings", namespace: "shop")?["data"]?["mode"]?.stringValue == "prod")
        }
    }

    @Test func previewReportsThePlanAndWritesNothing() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let configMaps = try #require(try await harness.client.discover().resolve("configmaps"))
            _ = try await harness.client.patch(configMaps, name: "settings", namespace: "shop", type: .merge, patch: ["data": ["mode": "changed"]])
            let outcome = try await harness.restore("look", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.namespaceMapping = ["shop": "shop-preview"]
                $0.preview = true
            }
            #expect(outcome.items.preview)
            #expect(Self.outcome(outcome.items, "configmaps", "shop-preview", "settings") == .wouldCreate)
            #expect(Self.outcome(outcome.items, "namespaces", nil, "shop-preview") == .wouldCreate)
            #expect(try await harness.live("namespaces", "shop-preview") == nil, "a preview creates nothing")

            let inPlace = try await harness.restore("look-in-place", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.preview = true
            }
            #expect(Self.outcome(inPlace.items, "configmaps", "shop", "settings") == .conflict)
            #expect(Self.outcome(inPlace.items, "secrets", "shop", "creds") == .wouldSkip)
            #expect(try await harness.live("configmaps", "settings", namespace: "shop")?["data"]?["mode"]?.stringValue == "changed")
        }
    }

    @Test func tamperedTarballFailsBeforeAnythingIsCreated() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let keys = try harness.layout.backup("nightly")
            var tarball = try await harness.bytes(keys.contents)
            tarball[tarball.count / 2] ^= 0xff
            try await harness.store.put(key: keys.contents, bytes: ByteBuffer(bytes: tarball))
            let outcome = try await harness.restore("bad", from: "nightly") { $0.namespaceMapping = ["shop": "shop-bad"] }
            #expect(outcome.status.phase == .failed)
            #expect(outcome.status.failureReason?.contains("checksum") == true || outcome.status.failureReason?.contains("unreadable") == true,
                    "\(outcome.status.failureReason ?? "")")
            #expect(try await harness.live("namespaces", "shop-bad") == nil)
            #expect(outcome.items.items.isEmpty)
        }
    }
}

/// The restore's own filters over a full backup.
@Suite struct RestoreFilterTests {
    @Test func resourceAndSelectorFiltersAndTheTriState() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            let onlyConfigMaps = try await harness.restore("cm", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.includedResources = ["cm"]
                $0.namespaceMapping = ["shop": "shop-cm"]
            }
            #expect(Set(onlyConfigMaps.items.items.map(\.resource)) == ["configmaps", "namespaces"])

            let selected = try await harness.restore("sel", from: "nightly") {
                $0.labelSelector = LabelSelector(matchLabels: ["app": "shop"])
                $0.namespaceMapping = ["shop": "shop-sel", "other": "other-sel"]
            }
            let names = Set(selected.items.items.filter { $0.resource != "namespaces" }.map { "\($0.targetNamespace ?? "")/\($0.name)" })
            #expect(names == ["shop-sel/settings", "shop-sel/web-0", "other-sel/elsewhere"])

            // Namespace-filtered, tri-state nil: no cluster-scoped items except related ones (the claim's PV).
            let filtered = try await harness.restore("ns", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.namespaceMapping = ["shop": "shop-ns"]
            }
            #expect(filtered.items.items.filter { $0.targetNamespace == nil && $0.resource != "namespaces" }.map(\.name) == ["pv-shop"])
            let noCluster = try await harness.restore("nc", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.namespaceMapping = ["shop": "shop-nc"]
                $0.includeClusterResources = false
            }
            #expect(noCluster.items.items.filter { $0.targetNamespace == nil && $0.resource != "namespaces" }.isEmpty)
        }
    }

    @Test func statusIsRestoredOnlyWhenAsked() async throws {
        try await EngineHarness.run { harness in
            try await harness.create(BackupEngineTests.fixtures)
            _ = try await harness.backup("nightly")
            _ = try await harness.restore("with-status", from: "nightly") {
                $0.includedNamespaces = ["shop"]
                $0.includedResources = ["persistentvolumeclaims"]
                $0.namespaceMapping = ["shop": "shop-status"]
                $0.restoreStatus = RestoreStatusSpec(includedResources: ["persistentvolumeclaims"])
            }
            let claim = try #require(try await harness.live("persistentvolumeclaims", "data", namespace: "shop-status"))
            let original = try #require(try await harness.live("persistentvolumeclaims", "data", namespace: "shop"))
            #expect(claim["status"] == original["status"])
        }
    }
}
