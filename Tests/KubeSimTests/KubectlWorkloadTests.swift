import Foundation
import Testing
@testable import KubeSim

/// Exec, pod lifecycle, controllers, volumes and TLS, driven by the real kubectl.
@Suite(.timeLimit(.minutes(5))) struct KubectlWorkloadTests {
    static let pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: tools, namespace: default}
        spec:
          containers:
          - name: main
            image: busybox
          volumes:
          - name: scratch
            emptyDir: {}
        """

    @Test func execRunsACommandInThePodSandbox() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        try await sim.kubectlOK("apply", "-f", try sim.write("pod.yaml", Self.pod))
        let ok = try await sim.kubectl("exec", "tools", "--", "sh", "-c", "echo hello from $POD_NAMESPACE/$POD_NAME; echo oops >&2")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "hello from default/tools\n")
        #expect(ok.stderr.contains("oops"))
        let failing = try await sim.kubectl("exec", "tools", "-c", "main", "--", "sh", "-c", "exit 3")
        #expect(failing.status == 3)
        let uid = try await sim.kubectlOK("get", "pod", "tools", "-o", "jsonpath={.metadata.uid}")
        let pwd = try await sim.kubectlOK("exec", "tools", "--", "pwd")
        #expect(pwd == "\(sim.server.volumeRoot)/pods/\(uid)\n")
        let stdin = try await ChildProcess.run("/bin/sh", ["-c",
            "echo piped | \(SimFixture.kubectl) \(sim.kubectlBaseArguments.joined(separator: " ")) exec -i tools -- cat"])
        #expect(stdin.stdout == "piped\n", "\(stdin.stderr)")
        let missing = try await sim.kubectl("exec", "nope", "--", "true")
        #expect(missing.status != 0 && missing.stderr.contains("not found"))
        let badContainer = try await sim.kubectl("exec", "tools", "-c", "other", "--", "true")
        #expect(badContainer.status != 0)
    }

    @Test func podLifecycleControllersAndVolumes() async throws {
        let sim = try await SimFixture.start(KubeSimConfiguration(podLifecycle: true))
        defer { Task { await sim.stop() } }
        try await sim.kubectlOK("apply", "-f", try sim.write("pod.yaml", Self.pod))
        try await sim.kubectlOK("wait", "--for=condition=Ready", "pod/tools", "--timeout=30s")
        #expect(try await sim.kubectlOK("get", "pod", "tools", "-o", "jsonpath={.status.phase}") == "Running")
        let uid = try await sim.kubectlOK("get", "pod", "tools", "-o", "jsonpath={.metadata.uid}")
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: "\(sim.server.volumeRoot)/pods/\(uid)/volumes/kubernetes.io~empty-dir/scratch", isDirectory: &isDir))

        let workloads = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: nginx, image: nginx}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              replicas: 2
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: pg, image: postgres, volumeMounts: [{name: data, mountPath: /var/lib/data}]}]}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            """
        try await sim.kubectlOK("apply", "-f", try sim.write("workloads.yaml", workloads))
        try await sim.kubectlOK("rollout", "status", "deployment/web", "--timeout=30s")
        try await sim.kubectlOK("wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=30s")
        let rs = try await sim.kubectlOK("get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.ownerReferences[0].kind}")
        #expect(rs == "Deployment")
        let pods = try await sim.kubectlOK("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.ownerReferences[0].kind}")
        #expect(pods == "ReplicaSet ReplicaSet ReplicaSet")
        #expect(await SimFixture.eventually {
            (try? await sim.kubectlOK("get", "sts", "db", "-o", "jsonpath={.status.readyReplicas}")) == "2"
        })
        #expect(try await sim.kubectlOK("get", "pvc", "data-db-0", "-o", "jsonpath={.status.phase}") == "Bound")
        let pv = try await sim.kubectlOK("get", "pvc", "data-db-1", "-o", "jsonpath={.spec.volumeName}")
        let dbUID = try await sim.kubectlOK("get", "pod", "db-1", "-o", "jsonpath={.metadata.uid}")
        let mount = "\(sim.server.volumeRoot)/pods/\(dbUID)/volumes/kubernetes.io~csi/\(pv)/mount"
        #expect(await SimFixture.eventually { FileManager.default.fileExists(atPath: mount) })
        // exec writes through the mount; the file is a real file backup code can read.
        try await sim.kubectlOK("exec", "db-1", "--", "sh", "-c", "echo row > volumes/kubernetes.io~csi/\(pv)/mount/table")
        #expect(try String(contentsOfFile: "\(mount)/table", encoding: .utf8) == "row\n")

        try await sim.kubectlOK("scale", "deployment/web", "--replicas=1")
        #expect(await SimFixture.eventually {
            (try? await sim.kubectlOK("get", "pods", "-l", "app=web", "-o", "name"))?.split(separator: "\n").count == 1
        })
        try await sim.kubectlOK("delete", "deployment", "web")
        #expect(await SimFixture.eventually { (try? await sim.kubectlOK("get", "pods", "-l", "app=web", "-o", "name")) == "" })
    }

    @Test func tlsWithTokenAndWithClientCertificate() async throws {
        let withToken = try await SimFixture.start(KubeSimConfiguration(tokens: ["tls-token"], tls: true))
        defer { Task { await withToken.stop() } }
        #expect(withToken.server.url.hasPrefix("https://127.0.0.1:"))
        #expect(try await withToken.kubectlOK("get", "ns", "default", "-o", "name") == "namespace/default\n")
        let ca = try await withToken.kubectlOK("get", "cm", "kube-root-ca.crt", "-o", "jsonpath={.data.ca\\.crt}")
        #expect(ca.hasPrefix("-----BEGIN CERTIFICATE-----"))

        let withCert = try await SimFixture.start(KubeSimConfiguration(tls: true, clientCertificateAuthentication: true))
        defer { Task { await withCert.stop() } }
        #expect(try await withCert.kubectlOK("get", "ns", "kube-system", "-o", "name") == "namespace/kube-system\n")
        try await withCert.kubectlOK("apply", "-f", try withCert.write("pod.yaml", Self.pod))
        #expect(try await withCert.kubectlOK("exec", "tools", "--", "echo", "secure") == "secure\n")
        // Without the client certificate the handshake is refused.
        let caFile = try withCert.write("ca.crt", withCert.server.caCertificatePEM ?? "")
        let anonymous = try await ChildProcess.run(SimFixture.kubectl, [
            "--cache-dir", withCert.directory.appendingPathComponent("anon").path, "--kubeconfig", "/dev/null",
            "--server", withCert.server.url, "--certificate-authority", caFile, "get", "ns"])
        #expect(anonymous.status != 0)
    }

    @Test func olderAndNewerKubectlVersionsWork() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let versions = ["1.27", "1.30", "1.33"].map { "/usr/lib/google-cloud-sdk/bin/kubectl.\($0)" }
            .filter { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(!versions.isEmpty, "no versioned kubectl under /usr/lib/google-cloud-sdk/bin")
        let manifest = try sim.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: versioned}\ndata: {a: b}\n")
        for (index, kubectl) in versions.enumerated() {
            let args = ["--kubeconfig", sim.kubeconfig, "--cache-dir", sim.directory.appendingPathComponent("cache-\(index)").path]
            let applied = try await ChildProcess.run(kubectl, args + ["apply", "-f", manifest])
            #expect(applied.status == 0, "\(kubectl): \(applied.stderr)")
            let got = try await ChildProcess.run(kubectl, args + ["get", "cm", "versioned", "-o", "jsonpath={.data.a}"])
            #expect(got.stdout == "b", "\(kubectl): \(got.stderr)")
        }
    }
}
