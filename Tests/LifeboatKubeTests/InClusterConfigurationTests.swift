import Foundation
import Testing

@testable import LifeboatKube

@Suite struct InClusterConfigurationTests {
    @Test func serviceAccountMountIsRead() throws {
        let directory = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("sa-token\n".utf8).write(to: directory.appendingPathComponent("token"))
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: directory.appendingPathComponent("ca.crt"))
        try Data("backup-system".utf8).write(to: directory.appendingPathComponent("namespace"))
        let connection = try ClusterConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: directory.path)
        #expect(connection.server.absoluteString == "https://10.0.0.1:443")
        #expect(connection.bearerToken == "sa-token")
        #expect(connection.namespace == "backup-system")
        #expect(connection.tokenFile == directory.appendingPathComponent("token").path)
        #expect(connection.certificateAuthorityPEM == Array("-----BEGIN CERTIFICATE-----\n".utf8))
    }

    @Test func outsideAPodIsNotInCluster() {
        #expect(throws: KubeConfigError.notInCluster) { try ClusterConnection.inCluster(environment: [:]) }
    }

    @Test func rotatedTokenFileIsPickedUpAfterA401() async throws {
        let directory = try KubeSimHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token")
        try Data("old".utf8).write(to: file)
        let provider = CredentialProvider(source: .tokenFile(path: file.path, fallback: "old"))
        #expect(try await provider.authorization() == "Bearer old")
        try Data("new\n".utf8).write(to: file)
        #expect(try await provider.authorization() == "Bearer old")  // cached for a minute
        await provider.invalidate()
        #expect(try await provider.authorization() == "Bearer new")
    }

    @Test func proxyURLIsValidated() throws {
        let good = try KubeConfig(yaml: ClusterConnectionTests.kubeconfig().replacingOccurrences(
            of: "    server: https://127.0.0.1:6443\n", with: "    server: https://127.0.0.1:6443\n    proxy-url: socks5://127.0.0.1:1080\n"))
        #expect(try ClusterConnection(kubeconfig: good).proxyURL?.absoluteString == "socks5://127.0.0.1:1080")
        let bad = try KubeConfig(yaml: ClusterConnectionTests.kubeconfig().replacingOccurrences(
            of: "    server: https://127.0.0.1:6443\n", with: "    server: https://127.0.0.1:6443\n    proxy-url: ftp://x\n"))
        #expect(throws: KubeConfigError.invalidProxyURL("ftp://x")) { try ClusterConnection(kubeconfig: bad) }
    }
}
