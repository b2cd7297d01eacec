import Foundation
import KubeSim
import Testing

@testable import LifeboatKube

/// Each way a kubeconfig can authenticate, against a KubeSim that checks bearer tokens.
@Suite struct KubeSimAuthenticationTests {
    @Test(.timeLimit(.minutes(1)))
    func tokenFromTheKubeconfigIsAccepted() async throws {
        try await KubeSimHarness.run(KubeSimConfiguration(tokens: ["good-token"])) { _, client in
            let version = try await client.serverVersion()
            #expect(!version.gitVersion.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func badTokenIsAClearUnauthorizedErrorWithoutTheToken() async throws {
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["good-token"]))
        defer { Task { await sim.stop() } }
        let connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: sim.kubeconfig(token: "wrong-secret-token")))
        let client = try HTTPKubernetesClient(connection: connection)
        await #expect {
            _ = try await client.discover()
        } throws: { error in
            guard let error = error as? KubernetesError, error.code == 401, error.reason == "Unauthorized" else { return false }
            return !error.description.contains("wrong-secret-token")
        }
        try await client.shutdown()
        await sim.stop()
    }

    /// A credential plugin written as a shell script: it counts its runs and prints `ExecCredential`s.
    static func writePlugin(in directory: URL, tokens: [String], expiresIn seconds: Int) throws -> URL {
        let script = directory.appendingPathComponent("credential-plugin.sh")
        let expiry = Date().addingTimeInterval(TimeInterval(seconds)).formatted(.iso8601)
        let tokenList = tokens.joined(separator: " ")
        let text = """
            #!/bin/sh
            # Prints the Nth token on the Nth run (the last one from then on).
            dir="$(dirname "$0")"
            count=$(cat "$dir/runs" 2>/dev/null || echo 0)
            count=$((count + 1))
            echo "$count" > "$dir/runs"
            case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ;; *) exit 7 ;; esac
            set -- \(tokenList)
            index=$count
            while [ "$index" -gt 1 ] && [ "$#" -gt 1 ]; do shift; index=$((index - 1)); done
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' "$1" "\(expiry)"
            """
        try Data(text.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        return script
    }

    static func execKubeconfig(server: String, command: String) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: sim
        clusters:
        - name: sim
          cluster: {server: "\(server)"}
        contexts:
        - name: sim
          context: {cluster: sim, user: plugin}
        users:
        - name: plugin
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(command)
              interactiveMode: Never
        """
    }

    static func runs(in directory: URL) -> Int {
        (try? String(contentsOf: directory.appendingPathComponent("runs"), encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    @Test(.timeLimit(.minutes(1)))
    func execPluginTokenIsCachedUntilExpiry() async throws {
        let directory = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try Self.writePlugin(in: directory, tokens: ["plugin-token"], expiresIn: 3600)
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["plugin-token"]))
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(Self.execKubeconfig(server: sim.url, command: script.path).utf8).write(to: kubeconfig)
        let connection = try ClusterConnection(kubeconfig: KubeConfig(contentsOfFile: kubeconfig.path), allowLocalReferences: true)
        let client = try HTTPKubernetesClient(connection: connection)
        do {
            _ = try await client.serverVersion()
            _ = try await client.discover()
            #expect(Self.runs(in: directory) == 1)
        } catch {
            Issue.record(error)
        }
        try await client.shutdown()
        await sim.stop()
    }

    @Test(.timeLimit(.minutes(1)))
    func execPluginRunsAgainAfterExpiryAndAfter401() async throws {
        let directory = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Already expired: every request runs the plugin. The first token is refused, so the client must
        // re-run the plugin on the 401 and succeed with the second.
        let script = try Self.writePlugin(in: directory, tokens: ["stale-token", "fresh-token"], expiresIn: -10)
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["fresh-token"]))
        // A relative command resolves against the kubeconfig's directory.
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(Self.execKubeconfig(server: sim.url, command: "./credential-plugin.sh").utf8).write(to: kubeconfig)
        let connection = try ClusterConnection(kubeconfig: KubeConfig(contentsOfFile: kubeconfig.path), allowLocalReferences: true)
        let client = try HTTPKubernetesClient(connection: connection)
        do {
            _ = try await client.serverVersion()
            #expect(Self.runs(in: directory) == 2)
            _ = try await client.serverVersion()
            #expect(Self.runs(in: directory) == 3)
        } catch {
            Issue.record(error)
        }
        try await client.shutdown()
        await sim.stop()
    }

    @Test func failingPluginIsAClearError() async throws {
        let directory = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("broken.sh")
        try Data("#!/bin/sh\necho 'secret-ish output' >&2\nexit 3\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        let config = try KubeConfig(yaml: Self.execKubeconfig(server: "http://127.0.0.1:1", command: script.path))
        let client = try HTTPKubernetesClient(connection: ClusterConnection(kubeconfig: config, allowLocalReferences: true))
        await #expect {
            _ = try await client.serverVersion()
        } throws: { error in
            guard case .credentials(let message) = error as? KubernetesError else { return false }
            return message.contains("status 3") && !message.contains("secret-ish")
        }
        try await client.shutdown()
    }
}
