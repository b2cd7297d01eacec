import Foundation
import KubeSim
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore
import NIOCore
import Testing

/// Restores of backups Velero wrote (`VeleroFixtures`, built by hand from `velero-reference.md` §1–§3, not by our
/// writer) into a real kubesim: format 1.1.0 with and without the `<ver>-preferredversion` copies, and format 1.
@Suite struct VeleroBackupRestoreTests {
    static let restoreName = "from-velero"

    static func result(_ outcome: RestoreOutcome, _ resource: String, _ namespace: String?, _ name: String) -> RestoreItemResult? {
        outcome.items.items.first { $0.resource == resource && $0.targetNamespace == namespace && $0.name == name }
    }

    /// The restore's own log, as the engine uploaded it.
    static func restoreLog(_ harness: EngineHarness, _ restore: String) async throws -> String {
        let keys = try harness.layout.restore(restore)
        return String(decoding: try GzipDecompressor.decompress(try await harness.bytes(keys.logs)), as: UTF8.self)
    }

    @Test(arguments: VeleroFormat.allCases)
    func veleroBackupRestoresLikeOurs(format: VeleroFormat) async throws {
        try await EngineHarness.run { harness in
            let fixture = VeleroBackupFixture(format: format)
            try await fixture.write(to: harness.store, layout: harness.layout)

            let outcome = try await harness.restore(Self.restoreName, from: fixture.name)
            #expect(outcome.status.phase == .completed, "\(outcome.status.failureReason ?? "")")
            #expect(outcome.status.errors == 0)
            // The one warning: the target's own kube-root-ca.crt holds another CA, and policy none leaves it.
            #expect(outcome.status.warnings == 1)
            // One item per object, whichever copies the tarball has; the Namespace object (restored through namespace
            // creation, not the item tiers) counts too.
            #expect(outcome.status.progress?.totalItems == fixture.items.count)
            #expect(outcome.items.items.count == fixture.items.count, "every object's result exactly once")

            let created: [(String, VeleroItem)] = [
                ("clusterroles.rbac.authorization.k8s.io", VeleroFixtures.clusterRole), ("configmaps", VeleroFixtures.settings),
                ("secrets", VeleroFixtures.creds), ("serviceaccounts", VeleroFixtures.serviceAccount),
                ("services", VeleroFixtures.service), ("deployments.apps", VeleroFixtures.deployment),
            ]
            for (resource, item) in created {
                let result = Self.result(outcome, resource, item.namespace, item.name)
                #expect(result?.outcome == .created, "\(resource) \(item.name): \(result?.reason ?? "no result")")
            }
            #expect(Self.result(outcome, "namespaces", nil, "shop")?.outcome == .created)
            #expect(Self.result(outcome, "serviceaccounts", "shop", "default")?.outcome == .unchanged,
                    "\(Self.result(outcome, "serviceaccounts", "shop", "default")?.reason ?? "")")
            #expect(Self.result(outcome, "configmaps", "shop", "kube-root-ca.crt")?.outcome == .skipped)

            // Each created object: what its owner wrote is back, what the source API server assigned is not.
            for (resource, item) in created + [("namespaces", VeleroFixtures.namespace)] {
                let live = try #require(try await harness.live(resource, item.name, namespace: item.namespace), "\(resource) \(item.name)")
                let backedUp = item.object["metadata"]
                let metadata = live["metadata"]
                #expect(metadata?["uid"]?.stringValue?.isEmpty == false)
                #expect(metadata?["uid"] != backedUp?["uid"], "\(resource) \(item.name)")
                #expect(metadata?["resourceVersion"] != backedUp?["resourceVersion"], "\(resource) \(item.name)")
                #expect(metadata?["creationTimestamp"] != backedUp?["creationTimestamp"], "\(resource) \(item.name)")
                #expect(metadata?["labels"]?["velero.io/backup-name"]?.stringValue == fixture.name, "\(resource) \(item.name)")
                #expect(metadata?["labels"]?["velero.io/restore-name"]?.stringValue == Self.restoreName, "\(resource) \(item.name)")
                for (key, value) in backedUp?["labels"]?.objectValue ?? [:] {
                    #expect(metadata?["labels"]?[key] == value, "\(resource) \(item.name) label \(key)")
                }
            }

            let namespace = try #require(try await harness.live("namespaces", "shop"))
            #expect(namespace["metadata"]?["labels"]?["team"]?.stringValue == "web")

            let settings = try #require(try await harness.live("configmaps", "settings", namespace: "shop"))
            #expect(settings["data"] == VeleroFixtures.settingsData)
            #expect(settings["data"]?["banner"]?.stringValue == "<b>Spring sale</b> & free shipping > $50", "Go's \\u003c escapes decoded")
            #expect(settings["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"]
                    == VeleroFixtures.settings.object["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"])

            let creds = try #require(try await harness.live("secrets", "creds", namespace: "shop"))
            #expect(creds["data"] == VeleroFixtures.secretData)
            #expect(creds["type"]?.stringValue == "Opaque")

            let account = try #require(try await harness.live("serviceaccounts", "web", namespace: "shop"))
            #expect(account["automountServiceAccountToken"]?.boolValue == false)
            #expect(account["imagePullSecrets"] == VeleroFixtures.serviceAccount.object["imagePullSecrets"])

            let role = try #require(try await harness.live("clusterroles", "shop:catalog-reader"))
            #expect(role["rules"] == VeleroFixtures.clusterRole.object["rules"])
            #expect(role["metadata"]?["namespace"] == nil)

            let deployment = try #require(try await harness.live("deployments", "web", namespace: "shop"))
            let backedUpSpec = try #require(VeleroFixtures.deployment.object["spec"])
            #expect(deployment["spec"]?["replicas"]?.intValue == 3)
            #expect(deployment["spec"]?["template"] == backedUpSpec["template"])
            #expect(deployment["spec"]?["selector"] == backedUpSpec["selector"])
            #expect(deployment["spec"]?["strategy"] == backedUpSpec["strategy"])
            #expect(deployment["metadata"]?["generation"]?.intValue == 1, "a new object starts at generation 1, not the backup's 4")
            #expect(deployment["status"]?["observedGeneration"]?.intValue != 4, "the backed-up status is not restored")

            let service = try #require(try await harness.live("services", "web", namespace: "shop"))
            let clusterIP = try #require(service["spec"]?["clusterIP"]?.stringValue)
            #expect(!clusterIP.isEmpty && clusterIP != "None")
            #expect(clusterIP != VeleroFixtures.backedUpClusterIP, "the target allocates its own address")
            #expect(service["spec"]?["clusterIPs"] == .array([.string(clusterIP)]))
            #expect(service["spec"]?["type"]?.stringValue == "NodePort")
            let ports = service["spec"]?["ports"]?.arrayValue ?? []
            let http = try #require(ports.first { $0["name"]?.stringValue == "http" })
            let admin = try #require(ports.first { $0["name"]?.stringValue == "admin" })
            let httpNodePort = try #require(http["nodePort"]?.intValue, "a NodePort Service gets a node port for every port")
            #expect(httpNodePort != VeleroFixtures.allocatedNodePort, "not in last-applied-configuration: dropped and reallocated")
            #expect((30000...32767).contains(httpNodePort))
            #expect(admin["nodePort"]?.intValue == VeleroFixtures.explicitNodePort, "set by its owner: kept")
            #expect(http["targetPort"]?.intValue == 8080)

            // Nothing else in the namespace came from the backup, and kubesim's own objects stay as they were.
            let rootCA = try #require(try await harness.live("configmaps", "kube-root-ca.crt", namespace: "shop"))
            #expect(rootCA["data"] != VeleroFixtures.rootCA.object["data"], "an existing, different object is left alone")
            #expect(rootCA["metadata"]?["labels"]?["velero.io/restore-name"] == nil)

            let log = try await Self.restoreLog(harness, Self.restoreName)
            #expect(log.contains("the tarball was not verified"), "\(log)")
            #expect(!log.contains("Verified the tarball"))
            #expect(log.contains("restore=velero/\(Self.restoreName)"))
        }
    }

    /// Velero's restore resource list keys are `<apiVersion>/<Kind>` (§1.3): `apps/v1/Deployment`.
    @Test func restoreResourceListUsesVeleroKeys() async throws {
        try await EngineHarness.run { harness in
            let fixture = VeleroBackupFixture(format: .preferredVersionCopies)
            try await fixture.write(to: harness.store, layout: harness.layout)
            let outcome = try await harness.restore(Self.restoreName, from: fixture.name)
            #expect(outcome.status.phase == .completed, "\(outcome.status.failureReason ?? "")")
            let keys = try harness.layout.restore(Self.restoreName)
            let list = try ResourceList(json: try GzipDecompressor.decompress(try await harness.bytes(keys.resourceList)))
            #expect(list.entries["v1/ConfigMap"]?.sorted() == ["shop/kube-root-ca.crt(skipped)", "shop/settings(created)"])
            #expect(list.entries["v1/Service"] == ["shop/web(created)"])
            #expect(list.entries["apps/v1/Deployment"] == ["shop/web(created)"], "\(list.entries.keys.sorted())")
            #expect(list.entries["rbac.authorization.k8s.io/v1/ClusterRole"] == ["shop:catalog-reader(created)"])
        }
    }

    /// The tarball as Velero lays it out, read by our archive reader: the fixture's shape, checked once.
    @Test(arguments: VeleroFormat.allCases)
    func archiveReaderSeesVeleroLayout(format: VeleroFormat) async throws {
        let fixture = VeleroBackupFixture(format: format)
        let entries = fixture.entries
        #expect(entries.first?.name == (format == .preferredVersionCopies ? "metadata/" : "metadata/version"))
        #expect(entries.contains { $0.name == "resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json" }
                == (format == .preferredVersionCopies))
        #expect(entries.contains { $0.name == "resources/deployments.apps/namespaces/shop/web.json" })
        #expect(entries.contains { $0.body == nil } == (format == .preferredVersionCopies))

        let reader = try BackupArchiveReader()
        try reader.consume(try GzipCompressor.compress(fixture.tarball()))
        let index = try reader.finish()
        #expect(index.formatVersion == (format == .formatOne ? "1" : "1.1.0"))
        #expect(index.items.count == fixture.items.count)
        #expect(index.unrecognizedEntries.isEmpty, "\(index.unrecognizedEntries)")
        let deployments = GroupResource(resource: "deployments", group: "apps")
        #expect(index.versions[deployments]?.preferred == (format == .preferredVersionCopies ? "v1" : nil))
        let roleKey = ArchivedItemKey(groupResource: GroupResource(resource: "clusterroles", group: "rbac.authorization.k8s.io"),
                                      namespace: nil, name: "shop:catalog-reader")
        let role = try #require(index.items[roleKey], "the long preferred-version name uses the USTAR prefix")
        #expect(role.path.copy == .unversioned, "the unversioned copy is the one kept, though it comes second")
        #expect(role.json == VeleroFixtures.clusterRole.json)
    }

    /// A tarball naming a file outside the archive fails the restore before anything is created.
    @Test(arguments: ["../evil.json", "/etc/passwd", "resources/configmaps/namespaces/shop/../../../../../evil.json"])
    func hostileEntryNameFailsBeforeAnythingIsCreated(entryName: String) async throws {
        try await EngineHarness.run { harness in
            var fixture = VeleroBackupFixture(format: .plainPathsOnly)
            let hostile = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","namespace":"shop"}}"#
            fixture.extraEntries = [VeleroBackupFixture.Entry(name: entryName, body: Array(hostile.utf8))]
            try await fixture.write(to: harness.store, layout: harness.layout)

            let outcome = try await harness.restore("hostile", from: fixture.name)
            #expect(outcome.status.phase == .failed)
            let reason = outcome.status.failureReason ?? ""
            #expect(reason.contains("unreadable") && reason.contains(entryName), "\(reason)")
            #expect(outcome.items.items.isEmpty)
            #expect(try await harness.live("namespaces", "shop") == nil)
            #expect(try await harness.live("clusterroles", "shop:catalog-reader") == nil)
            let log = try await Self.restoreLog(harness, "hostile")
            #expect(log.contains("level=error msg=\"Restore failed\""), "\(log)")
        }
    }
}
