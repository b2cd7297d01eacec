import Foundation
import KubeSim
import Testing

@testable import LifeboatKube

/// The client against a real KubeSim over real sockets: discovery, CRUD, patches, paging, watch.
@Suite struct KubeSimClientTests {
    @Test(.timeLimit(.minutes(1)))
    func namesWithColonsRoundTripThroughObjectPaths() async throws {
        try await KubeSimHarness.run { _, client in
            let roles = try #require(try await client.discover().resolve("clusterroles"))
            let name = "system:aggregated-metrics-reader"
            #expect(roles.objectPath(name: name, namespace: nil).hasSuffix("/clusterroles/system:aggregated-metrics-reader"))
            _ = try await client.create(roles, KubeObject(["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                                           "metadata": ["name": .string(name)], "rules": []]))
            #expect(try await client.get(roles, name: name).name == name)
            // What another client may send: the escaped form names the same object.
            let escaped = try await client.get(path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aaggregated-metrics-reader")
            #expect(KubeObject(json: escaped).name == name)
            try await client.delete(roles, name: name)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func discoveryResolvesBuiltinsAndCorpusCRDs() async throws {
        let seed = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: seed) }
        // shared/ sits beside the repository (in the worktrees and in CI alike).
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for file in ["external-snapshotter/snapshot.storage.k8s.io_volumesnapshots.yaml",
                     "external-snapshotter/snapshot.storage.k8s.io_volumesnapshotclasses.yaml",
                     "external-snapshotter/snapshot.storage.k8s.io_volumesnapshotcontents.yaml",
                     "istio/crd-all.gen.yaml"] {
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(file),
                                             to: seed.appendingPathComponent(file.replacingOccurrences(of: "/", with: "__")))
        }
        try await KubeSimHarness.run(KubeSimConfiguration(tokens: ["test-token"], seedDirectory: seed.path)) { _, client in
            let catalog = try await client.discover()
            #expect(catalog.failedGroupVersions.isEmpty)
            #expect(catalog.resolve("deploy")?.qualifiedName == "deployments.apps")
            #expect(catalog.resolve("Deployment")?.qualifiedName == "deployments.apps")
            #expect(catalog.resolve("deployments.apps")?.namespaced == true)
            #expect(catalog.resolve("cm")?.qualifiedName == "configmaps")
            #expect(catalog.resolve("ns")?.namespaced == false)
            // `vs` is both VolumeSnapshot's and Istio's VirtualService's short name: like kubectl, the first group
            // in discovery order wins, so it resolves to one of them.
            #expect(["volumesnapshots.snapshot.storage.k8s.io", "virtualservices.networking.istio.io"].contains(catalog.resolve("vs")?.qualifiedName))
            let snapshots = try #require(catalog.resolve("volumesnapshot"))
            #expect(snapshots.qualifiedName == "volumesnapshots.snapshot.storage.k8s.io")
            #expect(snapshots.kind == "VolumeSnapshot")
            #expect(snapshots.supports("list") && snapshots.supports("create"))
            #expect(catalog.resolve("VolumeSnapshotClass")?.namespaced == false)
            #expect(catalog.resolve("virtualservices.networking.istio.io")?.kind == "VirtualService")
            let istio = catalog.resolveFilter(["*.networking.istio.io"])
            #expect(istio.contains("virtualservices.networking.istio.io"))
            #expect(istio.contains("destinationrules.networking.istio.io"))
            #expect(istio.allSatisfy { $0.hasSuffix(".networking.istio.io") })
            #expect(catalog.resolveFilter(["vsclass", "nosuch"]) == ["volumesnapshotclasses.snapshot.storage.k8s.io", "nosuch"])

            // A CRD created after the first pass is found by the cache's refresh-on-miss.
            let cache = DiscoveryCache(client: client, minimumRefreshInterval: .zero)
            #expect(try await cache.resolve("gadget") == nil)
            let crds = try #require(catalog.resolve("customresourcedefinitions.apiextensions.k8s.io"))
            _ = try await client.create(crds, KubeObject(Self.gadgetCRD))
            var resolved: APIResource?
            for _ in 0..<100 where resolved == nil {
                resolved = try await cache.resolve("gd")
                if resolved == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(resolved?.qualifiedName == "gadgets.example.com")
        }
    }

    static let gadgetCRD: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "gadgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList", "shortNames": ["gd"]],
            "versions": [["name": "v1", "served": true, "storage": true,
                          "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
        ],
    ]

    @Test(.timeLimit(.minutes(1)))
    func crudKeepsStatusErrorsTyped() async throws {
        try await KubeSimHarness.run { _, client in
            let configMaps = KubeSimHarness.configMaps
            let created = try await client.create(configMaps, KubeSimHarness.configMap("a", data: ["k": "1"]))
            #expect(created.name == "a" && created.uid != nil)
            let fetched = try await client.get(configMaps, name: "a")
            #expect(fetched.kind == "ConfigMap")

            var edited = try fetched.value()
            edited["data"] = ["k": "2"]
            let updated = try await client.update(configMaps, KubeObject(edited))
            #expect(try updated.value()["data"]?["k"] == "2")

            // The stale resourceVersion makes the second update a Conflict.
            await #expect {
                _ = try await client.update(configMaps, KubeObject(edited))
            } throws: { error in
                (error as? KubernetesError)?.isConflict == true && (error as? KubernetesError)?.code == 409
            }
            await #expect {
                _ = try await client.create(configMaps, KubeSimHarness.configMap("a"))
            } throws: { error in
                (error as? KubernetesError)?.isAlreadyExists == true
            }

            try await client.delete(configMaps, name: "a")
            await #expect {
                _ = try await client.get(configMaps, name: "a")
            } throws: { error in
                guard case .status(404, "NotFound", let message) = error as? KubernetesError else { return false }
                return message.contains("\"a\"")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func everyPatchTypeAndStatusUpdate() async throws {
        try await KubeSimHarness.run { _, client in
            let catalog = try await client.discover()
            let configMaps = try #require(catalog.resolve("configmaps"))
            let deployments = try #require(catalog.resolve("deploy"))
            _ = try await client.create(configMaps, KubeSimHarness.configMap("p", data: ["a": "1", "b": "2"]))

            let merged = try await client.patch(configMaps, name: "p", type: .merge, patch: ["data": ["a": nil, "c": "3"]])
            #expect(try merged.value()["data"] == ["b": "2", "c": "3"])

            let jsonPatched = try await client.patch(
                configMaps, name: "p", type: .json,
                patch: [["op": "replace", "path": "/data/b", "value": "20"], ["op": "add", "path": "/data/d", "value": "4"]])
            #expect(try jsonPatched.value()["data"] == ["b": "20", "c": "3", "d": "4"])

            let deployment: JSONValue = [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                         "template": ["metadata": ["labels": ["app": "web"]],
                                      "spec": ["containers": [["name": "app", "image": "nginx:1"], ["name": "sidecar", "image": "envoy:1"]]]]],
            ]
            _ = try await client.create(deployments, KubeObject(deployment))
            // Strategic merge: containers merge by name, so the sidecar survives a patch that names only `app`.
            let strategic = try await client.patch(
                deployments, name: "web", type: .strategicMerge,
                patch: ["spec": ["template": ["spec": ["containers": [["name": "app", "image": "nginx:2"]]]]]])
            let containers = try strategic.value()["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
            #expect(containers.count == 2)
            #expect(containers.first { $0["name"] == "app" }?["image"] == "nginx:2")
            #expect(containers.first { $0["name"] == "sidecar" }?["image"] == "envoy:1")

            var withStatus = try strategic.value()
            withStatus["status"] = ["replicas": 1, "readyReplicas": 1]
            let statusUpdated = try await client.updateStatus(deployments, KubeObject(withStatus))
            #expect(try statusUpdated.value()["status"]?["readyReplicas"] == 1)

            let statusPatched = try await client.patch(deployments, name: "web", type: .merge, patch: ["status": ["readyReplicas": 0]],
                                                       subresource: "status")
            #expect(try statusPatched.value()["status"]?["readyReplicas"] == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func selectorsArePushedToTheServerAndDeleteCollectionHonoursThem() async throws {
        try await KubeSimHarness.run { _, client in
            let configMaps = KubeSimHarness.configMaps
            for index in 0..<10 {
                _ = try await client.create(
                    configMaps, KubeSimHarness.configMap("sel-\(index)", labels: ["parity": index % 2 == 0 ? "even" : "odd", "n": "\(index)"]))
            }
            var even: [String] = []
            for try await item in client.list(configMaps, namespace: "default", options: ListOptions(labelSelector: "parity=even", limit: 2)) {
                even.append(item.name ?? "")
                #expect(item.kind == "ConfigMap" && item.apiVersion == "v1")
            }
            #expect(even == ["sel-0", "sel-2", "sel-4", "sel-6", "sel-8"])
            var named: [String] = []
            for try await item in client.list(configMaps, options: ListOptions(fieldSelector: "metadata.name=sel-3")) { named.append(item.name ?? "") }
            #expect(named == ["sel-3"])

            try await client.deleteCollection(configMaps, namespace: "default", options: ListOptions(labelSelector: "parity in (odd)"))
            var left: [String] = []
            for try await item in client.list(configMaps, namespace: "default", options: ListOptions(labelSelector: "parity")) {
                left.append(item.name ?? "")
            }
            #expect(left == ["sel-0", "sel-2", "sel-4", "sel-6", "sel-8"])
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func pagesThrough20kObjectsOnePageAtATime() async throws {
        try await KubeSimHarness.run(limits: ClientLimits(queriesPerSecond: 0, maxConcurrentRequests: 64)) { _, client in
            try await KubeSimHarness.createConfigMaps(20_000, namespace: "bulk", client: client)
            var pages = 0
            var seen = Set<String>()
            var resourceVersions = Set<String>()
            for try await page in client.listPages(
                KubeSimHarness.configMaps, namespace: "bulk", options: ListOptions(labelSelector: KubeSimHarness.fixtureSelector, limit: 500)) {
                pages += 1
                #expect(page.items.count <= 500)
                if let version = page.resourceVersion { resourceVersions.insert(version) }
                for item in page.items { seen.insert(item.name ?? "") }
            }
            #expect(pages == 40)
            #expect(seen.count == 20_000)
            #expect(resourceVersions.count == 1)  // one consistent snapshot across pages
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func expiredContinueTokenRelistsWithoutDuplicates() async throws {
        try await KubeSimHarness.run(limits: ClientLimits(queriesPerSecond: 0)) { sim, client in
            try await KubeSimHarness.createConfigMaps(1_000, namespace: "expire", client: client)
            var names: [String] = []
            var pages = 0
            for try await page in client.listPages(
                KubeSimHarness.configMaps, namespace: "expire", options: ListOptions(labelSelector: KubeSimHarness.fixtureSelector, limit: 100)) {
                pages += 1
                names += page.items.map { $0.name ?? "" }
                if pages == 3 {
                    sim.expireContinueTokens()
                    _ = try await client.create(KubeSimHarness.configMaps, KubeSimHarness.configMap("zz-late", namespace: "expire", labels: ["fixture": "bulk"]))
                }
            }
            #expect(names.count == Set(names).count)  // nothing delivered twice
            #expect(Set(names).count == 1_001)
            #expect(names.contains("zz-late"))
        }
    }

    /// Across namespaces `exp` and `exp-b` kubesim's order (namespace, then name) is not etcd's key order; the
    /// restarted list still resumes right after the last item it delivered.
    @Test(.timeLimit(.minutes(2)))
    func expiredAllNamespacesListResumesAfterTheLastDeliveredItem() async throws {
        try await KubeSimHarness.run(limits: ClientLimits(queriesPerSecond: 0)) { sim, client in
            try await KubeSimHarness.createConfigMaps(300, namespace: "exp", client: client)
            try await KubeSimHarness.createConfigMaps(300, namespace: "exp-b", client: client)
            var keys: [String] = []
            var pages = 0
            for try await page in client.listPages(
                KubeSimHarness.configMaps, options: ListOptions(labelSelector: KubeSimHarness.fixtureSelector, limit: 50)) {
                pages += 1
                keys += page.items.map { "\($0.namespace ?? "")/\($0.name ?? "")" }
                // Expire twice: the first restart pages again, the second falls back to one un-paged list.
                if pages == 3 || pages == 9 { sim.expireContinueTokens() }
            }
            #expect(keys.count == 600)
            #expect(Set(keys).count == 600)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func watchDeliversChangesInOrder() async throws {
        try await KubeSimHarness.run { _, client in
            let configMaps = KubeSimHarness.configMaps
            var listVersion: String?
            for try await page in client.listPages(configMaps, namespace: "default") { listVersion = page.resourceVersion }
            let stream = client.watch(configMaps, namespace: "default", resourceVersion: listVersion, timeoutSeconds: 30)
            let collector = Task {
                var events: [(WatchEvent.EventType, String)] = []
                for try await event in stream where event.type != .bookmark {
                    events.append((event.type, event.object.name ?? ""))
                    if event.type == .deleted { break }
                }
                return events
            }
            // The watch may connect after our writes begin; starting from the list's resourceVersion makes
            // the server replay anything newer, so nothing is lost either way.
            _ = try await client.create(configMaps, KubeSimHarness.configMap("w"))
            _ = try await client.patch(configMaps, name: "w", type: .merge, patch: ["data": ["k": "changed"]])
            try await client.delete(configMaps, name: "w")
            let events = try await collector.value
            #expect(events.map(\.0) == [.added, .modified, .deleted])
            #expect(events.allSatisfy { $0.1 == "w" })
        }
    }
}
