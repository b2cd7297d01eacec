import Foundation
import Testing

@testable import LifeboatKube

@Suite struct ClusterConnectionTests {
    static let secretToken = "s3cr3t-token-value"
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    static func kubeconfig(
        currentContext: String = "sim", clusterExtra: String = "", userBody: String? = nil
    ) -> String {
        let caData = Data(caPEM.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Config
            current-context: \(currentContext)
            clusters:
            - name: sim-cluster
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: \(caData)
            \(clusterExtra)
            - name: other
              cluster:
                server: http://127.0.0.1:8080
            contexts:
            - name: sim
              context: {cluster: sim-cluster, user: admin, namespace: apps}
            - name: plain
              context: {cluster: other}
            users:
            - name: admin
              user:
            \(userBody ?? "    token: \(secretToken)")
            """
    }

    @Test func resolvesCurrentContext() throws {
        let connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: Self.kubeconfig()))
        #expect(connection.server.absoluteString == "https://127.0.0.1:6443")
        #expect(connection.bearerToken == Self.secretToken)
        #expect(connection.certificateAuthorityPEM == Array(Self.caPEM.utf8))
        #expect(connection.namespace == "apps")
    }

    @Test func resolvesNamedContextWithoutUser() throws {
        let connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: Self.kubeconfig()), context: "plain")
        #expect(connection.server.absoluteString == "http://127.0.0.1:8080")
        #expect(connection.bearerToken == nil)
        #expect(connection.namespace == "default")
    }

    @Test func unknownContextIsNamed() throws {
        let config = try KubeConfig(yaml: Self.kubeconfig())
        #expect(throws: KubeConfigError.unknownContext("prod")) { try ClusterConnection(kubeconfig: config, context: "prod") }
    }

    @Test func insecureTogetherWithCertificateAuthorityIsRefused() throws {
        let yaml = Self.kubeconfig().replacingOccurrences(
            of: "    server: https://127.0.0.1:6443\n", with: "    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true\n")
        #expect(throws: KubeConfigError.insecureWithCertificateAuthority) {
            try ClusterConnection(kubeconfig: KubeConfig(yaml: yaml))
        }
    }

    @Test(arguments: ["    tokenFile: /etc/passwd", "    client-certificate: /tmp/c.pem\n    client-key: /tmp/k.pem",
                      "    exec:\n      command: /bin/sh\n      args: [-c, 'echo hi']"])
    func uploadedKubeconfigsMayNotReferenceLocalFiles(userBody: String) throws {
        let config = try KubeConfig(yaml: Self.kubeconfig(userBody: userBody))
        #expect {
            try ClusterConnection(kubeconfig: config)
        } throws: { error in
            guard case .localReferenceNotAllowed = error as? KubeConfigError else { return false }
            return true
        }
    }

    @Test func tokenFileIsReadWhenLocalReferencesAreAllowed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try Data("from-file\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try KubeConfig(yaml: Self.kubeconfig(userBody: "    tokenFile: \(file.path)"))
        let connection = try ClusterConnection(kubeconfig: config, allowLocalReferences: true)
        #expect(connection.bearerToken == "from-file")
    }

    @Test func certificateWithoutKeyIsRefused() throws {
        let data = Data("cert".utf8).base64EncodedString()
        let config = try KubeConfig(yaml: Self.kubeconfig(userBody: "    client-certificate-data: \(data)"))
        #expect(throws: KubeConfigError.certificateWithoutKey) { try ClusterConnection(kubeconfig: config) }
    }

    @Test func malformedKubeconfigErrorNeverQuotesTheDocument() {
        let yaml = "clusters: [{name: x, cluster: {server: 5}}]\nusers: \(Self.secretToken)"
        #expect {
            try KubeConfig(yaml: yaml)
        } throws: { error in
            !String(describing: error).contains(Self.secretToken)
        }
    }

    @Test func nonHTTPServerIsRefused() throws {
        let yaml = Self.kubeconfig().replacingOccurrences(of: "https://127.0.0.1:6443", with: "ftp://host")
        #expect(throws: KubeConfigError.invalidServerURL("ftp://host")) { try ClusterConnection(kubeconfig: KubeConfig(yaml: yaml)) }
    }
}
