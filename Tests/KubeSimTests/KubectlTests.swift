import Foundation
import Testing
@testable import KubeSim

/// kubectl commands beyond apply/get/delete of the corpus.
@Suite(.timeLimit(.minutes(5))) struct KubectlTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: nginx:1.27
                ports: [{containerPort: 80}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {mode: blue}
        """

    @Test func discoveryCommands() async throws {
        // kubectl sends bearer tokens only over HTTPS.
        let sim = try await SimFixture.start(KubeSimConfiguration(tokens: ["secret-token"], tls: true))
        defer { Task { await sim.stop() } }
        let resources = try await sim.kubectlOK("api-resources")
        for expected in ["deployments", "customresourcedefinitions", "volumeattributesclasses", "horizontalpodautoscalers", "leases",
                         "runtimeclasses", "validatingadmissionpolicybindings", "endpointslices", "poddisruptionbudgets"] {
            #expect(resources.contains(expected), "api-resources lacks \(expected)")
        }
        let namespacedPods = try await sim.kubectlOK("api-resources", "--namespaced=true", "-o", "name")
        #expect(namespacedPods.contains("pods\n"))
        #expect(!namespacedPods.contains("namespaces\n"))
        let versions = try await sim.kubectlOK("api-versions")
        for expected in ["v1", "apps/v1", "autoscaling/v2", "autoscaling/v1", "storage.k8s.io/v1", "events.k8s.io/v1"] {
            #expect(versions.split(separator: "\n").contains(Substring(expected)))
        }
        let version = try await sim.kubectlOK("version", "-o", "json")
        #expect(version.contains("v1.32.0-kubesim"))
        let namespaces = try await sim.kubectlOK("get", "ns", "-o", "name")
        #expect(namespaces.split(separator: "\n") == ["namespace/default", "namespace/kube-node-lease", "namespace/kube-public", "namespace/kube-system"])
        let caFile = try sim.write("ca.crt", sim.server.caCertificatePEM ?? "")
        let unauthorized = try await ChildProcess.run(SimFixture.kubectl, [
            "--cache-dir", sim.directory.appendingPathComponent("c2").path, "--kubeconfig", "/dev/null",
            "--server", sim.server.url, "--certificate-authority", caFile, "--token", "wrong-token", "get", "ns"])
        #expect(unauthorized.status != 0)
        #expect(unauthorized.stderr.contains("You must be logged in to the server"))
    }

    @Test func applyReapplyModifyGetAllAndDeleteNamespace() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let ns = try sim.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
        let app = try sim.write("app.yaml", Self.deployment)
        try await sim.kubectlOK("apply", "-f", ns)
        let first = try await sim.kubectlOK("apply", "-f", app)
        #expect(first.contains("deployment.apps/web created"))
        let second = try await sim.kubectlOK("apply", "-f", app)
        #expect(second.contains("deployment.apps/web unchanged") && second.contains("configmap/settings unchanged"))
        let modified = try sim.write("app2.yaml", Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: 5")
            .replacingOccurrences(of: "mode: blue", with: "mode: green"))
        let third = try await sim.kubectlOK("apply", "-f", modified)
        #expect(third.contains("deployment.apps/web configured") && third.contains("configmap/settings configured"))
        #expect(try await sim.kubectlOK("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}") == "5")
        #expect(try await sim.kubectlOK("get", "cm", "settings", "-n", "shop", "-o", "jsonpath={.data.mode}") == "green")
        #expect(try await sim.kubectlOK("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.metadata.generation}") == "2")
        let all = try await sim.kubectlOK("get", "all", "-n", "shop", "-o", "name")
        #expect(all.contains("deployment.apps/web"))
        try await sim.kubectlOK("label", "deploy", "web", "-n", "shop", "tier=front")
        #expect(try await sim.kubectlOK("get", "deploy", "-n", "shop", "-l", "tier=front", "-o", "name") == "deployment.apps/web\n")
        try await sim.kubectlOK("patch", "deploy", "web", "-n", "shop", "--type=json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":1}]"#)
        #expect(try await sim.kubectlOK("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}") == "1")
        let deleted = try await sim.kubectlOK("delete", "namespace", "shop")
        #expect(deleted.contains("namespace \"shop\" deleted"))
        let gone = try await sim.kubectl("get", "deploy", "web", "-n", "shop")
        #expect(gone.status != 0 && gone.stderr.contains("NotFound"))
        try await sim.kubectlOK("apply", "-f", ns)
        try await sim.kubectlOK("apply", "-f", app)
        try await sim.kubectlOK("delete", "-f", app)
        #expect(try await sim.kubectlOK("get", "deploy", "-n", "shop", "-o", "name").isEmpty)
    }

    @Test func getWatchSeesEvents() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let watcher = try ChildProcess.Running(SimFixture.kubectl, sim.kubectlBaseArguments + ["get", "configmaps", "-w", "-o", "name"])
        defer { watcher.stop() }
        #expect(await SimFixture.eventually { watcher.stdout.string.contains("configmap/kube-root-ca.crt") },
                "stdout: \(watcher.stdout.string) stderr: \(watcher.stderr.string) running: \(watcher.process.isRunning)")
        let cm = try sim.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: b}\n")
        try await sim.kubectlOK("apply", "-f", cm)
        #expect(await SimFixture.eventually { watcher.stdout.string.contains("configmap/watched") })
        try await sim.kubectlOK("delete", "configmap", "watched")
        #expect(await SimFixture.eventually { watcher.stdout.string.components(separatedBy: "configmap/watched").count >= 3 })
    }

    @Test func waitForConditionAndDelete() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let crd = try sim.write("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd]}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """)
        try await sim.kubectlOK("apply", "-f", crd)
        try await sim.kubectlOK("wait", "--for", "condition=established", "--timeout=30s", "crd/gadgets.example.com")
        let cr = try sim.write("cr.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {color: red}\n")
        try await sim.kubectlOK("apply", "-f", cr)
        #expect(try await sim.kubectlOK("get", "gd", "g1", "-o", "jsonpath={.spec.color}") == "red")
        let recolored = try sim.write("cr2.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {color: blue}\n")
        #expect(try await sim.kubectlOK("apply", "-f", recolored).contains("configured"))
        #expect(try await sim.kubectlOK("get", "gadgets", "-o", "jsonpath={.items[0].spec.color}") == "blue")
        #expect(try await sim.kubectlOK("get", "crd", "-o", "name") == "customresourcedefinition.apiextensions.k8s.io/gadgets.example.com\n")
        try await sim.kubectlOK("delete", "-f", cr)
        try await sim.kubectlOK("delete", "crd", "gadgets.example.com")
        #expect(try await sim.kubectl("get", "gadgets").status != 0)
    }
}
