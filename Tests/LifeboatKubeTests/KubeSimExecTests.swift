import Foundation
import KubeSim
import Testing

@testable import LifeboatKube

/// Exec over WebSocket against KubeSim, which runs the command as a local process in the pod's sandbox.
@Suite struct KubeSimExecTests {
    static let pods = APIResource(group: "", version: "v1", name: "pods", singularName: "pod", kind: "Pod", namespaced: true,
                                  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"])

    static func pod(_ name: String, containers: [String] = ["app"]) -> KubeObject {
        KubeObject([
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["containers": .array(containers.map { ["name": .string($0), "image": "busybox"] })],
        ])
    }

    static func run(_ body: (HTTPKubernetesClient) async throws -> Void) async throws {
        let volumes = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: volumes) }
        try await KubeSimHarness.run(KubeSimConfiguration(tokens: ["exec-token"], volumeRoot: volumes.path)) { _, client in
            try await body(client)
        }
    }

    /// Under heavy load a KubeSim session occasionally ends without any frame (see the report); the client
    /// must say so instead of inventing exit code 0, and a hook caller may retry an idempotent command.
    static func exec(_ client: HTTPKubernetesClient, pod: String, container: String? = nil, command: [String]) async throws -> ExecResult {
        for _ in 0..<2 {
            do {
                return try await client.exec(pod: pod, container: container, command: command)
            } catch ExecError.endedWithoutStatus {
                continue
            }
        }
        return try await client.exec(pod: pod, container: container, command: command)
    }

    @Test(.timeLimit(.minutes(1)))
    func outputAndExitCodesAreCollected() async throws {
        try await Self.run { client in
            _ = try await client.create(Self.pods, Self.pod("worker"))
            let ok = try await Self.exec(client, pod: "worker", command: ["sh", "-c", "echo hello; echo to-stderr >&2"])
            #expect(ok.exitCode == 0)
            #expect(ok.stdoutString == "hello\n")
            #expect(ok.stderrString == "to-stderr\n")
            #expect(ok.subprotocol == "v5.channel.k8s.io")

            let failed = try await Self.exec(client, pod: "worker", container: "app", command: ["sh", "-c", "printf partial; exit 3"])
            #expect(failed.exitCode == 3)
            #expect(failed.stdoutString == "partial")

            // Arguments travel one `command` parameter each, spaces and quotes intact.
            let echoed = try await Self.exec(client, pod: "worker", command: ["sh", "-c", #"printf '%s|' "$@""#, "sh", "a b", "c'd", "$HOME"])
            #expect(echoed.stdoutString == "a b|c'd|$HOME|", "exit \(echoed.exitCode), stderr \(echoed.stderrString)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func timeoutEndsTheSession() async throws {
        try await Self.run { client in
            _ = try await client.create(Self.pods, Self.pod("sleeper"))
            let start = ContinuousClock.now
            await #expect(throws: ExecError.timedOut(seconds: 1)) {
                _ = try await client.exec(pod: "sleeper", command: ["sleep", "30"], timeout: .seconds(1))
            }
            #expect(ContinuousClock.now - start < .seconds(25))  // well before the command's own 30 s, even on a loaded machine
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func refusalsBeforeTheUpgradeAreStatusErrors() async throws {
        try await Self.run { client in
            await #expect {
                _ = try await client.exec(pod: "missing", command: ["true"])
            } throws: { error in
                (error as? KubernetesError)?.isNotFound == true
            }
            _ = try await client.create(Self.pods, Self.pod("two", containers: ["a", "b"]))
            await #expect {
                _ = try await client.exec(pod: "two", command: ["true"])
            } throws: { error in
                (error as? KubernetesError)?.code == 400
            }
        }
    }
}
