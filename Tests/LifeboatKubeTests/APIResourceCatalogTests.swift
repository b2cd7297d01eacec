import Testing

@testable import LifeboatKube

/// Name resolution rules (`velero-reference.md` §5.1) on a fixed catalog; the live version runs against KubeSim.
@Suite struct APIResourceCatalogTests {
    static let verbs = ["create", "delete", "get", "list", "patch", "update", "watch"]
    let catalog = APIResourceCatalog(
        groups: [
            APIGroupInfo(name: "", versions: ["v1"], preferredVersion: "v1"),
            APIGroupInfo(name: "apps", versions: ["v1"], preferredVersion: "v1"),
            APIGroupInfo(name: "events.k8s.io", versions: ["v1"], preferredVersion: "v1"),
            APIGroupInfo(name: "example.com", versions: ["v1", "v1beta1"], preferredVersion: "v1"),
        ],
        resources: [
            APIResource(group: "", version: "v1", name: "pods", singularName: "pod", kind: "Pod", namespaced: true, verbs: verbs, shortNames: ["po"]),
            APIResource(group: "", version: "v1", name: "pods/exec", singularName: "pod", kind: "PodExecOptions", namespaced: true),
            APIResource(group: "", version: "v1", name: "events", singularName: "event", kind: "Event", namespaced: true, verbs: verbs, shortNames: ["ev"]),
            APIResource(group: "", version: "v1", name: "persistentvolumeclaims", singularName: "persistentvolumeclaim",
                        kind: "PersistentVolumeClaim", namespaced: true, verbs: verbs, shortNames: ["pvc"]),
            APIResource(group: "apps", version: "v1", name: "deployments", singularName: "deployment", kind: "Deployment", namespaced: true,
                        verbs: verbs, shortNames: ["deploy"]),
            APIResource(group: "apps", version: "v1", name: "replicasets", singularName: "replicaset", kind: "ReplicaSet", namespaced: true,
                        verbs: verbs, shortNames: ["rs"]),
            APIResource(group: "events.k8s.io", version: "v1", name: "events", singularName: "event", kind: "Event", namespaced: true, verbs: verbs),
            APIResource(group: "example.com", version: "v1", name: "widgets", singularName: "widget", kind: "Widget", namespaced: true, verbs: verbs),
            APIResource(group: "example.com", version: "v1beta1", name: "widgets", singularName: "widget", kind: "Widget", namespaced: true, verbs: verbs),
            // Served only in the older version of its group (metallb's BFDProfile beside BGPPeer v1beta2).
            APIResource(group: "example.com", version: "v1beta1", name: "gadgets", singularName: "gadget", kind: "Gadget", namespaced: true, verbs: verbs),
        ])

    @Test(arguments: [
        ("deploy", "deployments.apps"), ("deployments", "deployments.apps"), ("Deployment", "deployments.apps"),
        ("deployments.apps", "deployments.apps"), ("DEPLOYMENT.apps", "deployments.apps"), ("pvc", "persistentvolumeclaims"),
        ("po", "pods"), ("pod", "pods"), ("events", "events"), ("events.events.k8s.io", "events.events.k8s.io"),
        ("widget", "widgets.example.com"), ("Widget.example.com", "widgets.example.com"),
    ])
    func userInputResolvesToTheCanonicalName(input: String, expected: String) {
        #expect(catalog.resolve(input)?.qualifiedName == expected)
    }

    @Test func resourcesOnlyInAnOlderVersionAreStillPreferredResources() {
        let inGroup = catalog.preferredResources.filter { $0.group == "example.com" }
        #expect(inGroup.map { "\($0.name)/\($0.version)" } == ["widgets/v1", "gadgets/v1beta1"])
    }

    @Test func preferredVersionAndNoSubresources() {
        #expect(catalog.resolve("widgets")?.version == "v1")
        #expect(catalog.resolve("pods/exec") == nil)
        #expect(!catalog.preferredResources.contains { $0.isSubresource })
        #expect(catalog.preferredResources.filter { $0.name == "widgets" }.count == 1)
    }

    @Test func filtersResolveExpandGlobsAndKeepUnknownNames() {
        #expect(catalog.resolveFilter(["deploy", "po", "nosuchthing", "deployments"]) == ["deployments.apps", "pods", "nosuchthing"])
        #expect(catalog.resolveFilter(["*.apps"]) == ["deployments.apps", "replicasets.apps"])
        #expect(catalog.resolveFilter(["*.nomatch.io"]) == [])
        #expect(catalog.resolveFilter(["*"]).count == catalog.preferredResources.count)
        #expect(catalog.resolveFilter(["p?ds", "[dr]e*.apps"]) == ["pods", "deployments.apps", "replicasets.apps"])
    }

    @Test func resourceForKindAndAPIVersion() {
        #expect(catalog.resource(forKind: "Widget", apiVersion: "example.com/v1beta1")?.version == "v1beta1")
        #expect(catalog.resource(forKind: "Deployment", group: "apps")?.name == "deployments")
    }

    @Test func paths() throws {
        let deployments = try #require(catalog.resolve("deploy"))
        #expect(deployments.collectionPath(namespace: nil) == "/apis/apps/v1/deployments")
        #expect(deployments.objectPath(name: "web", namespace: "prod", subresource: "status") == "/apis/apps/v1/namespaces/prod/deployments/web/status")
        let pods = try #require(catalog.resolve("pods"))
        #expect(pods.collectionPath(namespace: "a") == "/api/v1/namespaces/a/pods")
    }
}
