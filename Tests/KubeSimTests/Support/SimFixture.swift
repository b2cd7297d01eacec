import Foundation
import Testing
@testable import KubeSim

/// One KubeSim per test, with its own temp directory, kubeconfig and kubectl cache directory.
struct SimFixture {
    let server: KubeSimServer
    let directory: URL
    let kubeconfig: String
    let kubectlPath: String

    static let kubectl = "/usr/bin/kubectl"

    static func start(_ configuration: KubeSimConfiguration = KubeSimConfiguration(), kubectl: String = kubectl) async throws -> SimFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await KubeSimServer.start(configuration)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        return SimFixture(server: server, directory: directory, kubeconfig: kubeconfig, kubectlPath: kubectl)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var kubectlBaseArguments: [String] {
        ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path]
    }

    /// Runs kubectl and returns its result (never throws on a non-zero exit).
    func kubectl(_ arguments: String..., timeout: Duration = .seconds(120)) async throws -> ChildProcess.Result {
        try await ChildProcess.run(kubectlPath, kubectlBaseArguments + arguments, timeout: timeout)
    }

    /// Runs kubectl and records an issue with its stderr when it fails.
    @discardableResult
    func kubectlOK(_ arguments: String..., timeout: Duration = .seconds(120),
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await ChildProcess.run(kubectlPath, kubectlBaseArguments + arguments, timeout: timeout)
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
