import Foundation
import KubeSim
import Testing

@testable import LifeboatKube

/// HTTPS with KubeSim's generated CA: tokens and client certificates, and what happens without trust.
@Suite struct KubeSimTLSTests {
    @Test(.timeLimit(.minutes(1)))
    func clientCertificateOverTLSWithACustomCA() async throws {
        try await KubeSimHarness.run(KubeSimConfiguration(tls: true, clientCertificateAuthentication: true)) { sim, client in
            #expect(sim.url.hasPrefix("https://"))
            #expect(client.connection.clientCertificatePEM != nil && client.connection.bearerToken == nil)
            _ = try await client.serverVersion()
            let configMaps = KubeSimHarness.configMaps
            _ = try await client.create(configMaps, KubeSimHarness.configMap("over-tls"))
            #expect(try await client.get(configMaps, name: "over-tls").name == "over-tls")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func tokenOverTLS() async throws {
        try await KubeSimHarness.run(KubeSimConfiguration(tokens: ["tls-token"], tls: true)) { _, client in
            #expect(client.connection.certificateAuthorityPEM != nil)
            let catalog = try await client.discover()
            #expect(catalog.resolve("deploy") != nil)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func serverSignedByAnUnknownCAIsRefused() async throws {
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["tls-token"], tls: true))
        var connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: sim.kubeconfig()))
        connection.certificateAuthorityPEM = nil  // system roots do not know KubeSim's CA
        connection.limits = ClientLimits(maxRetries: 1)
        let client = try HTTPKubernetesClient(connection: connection)
        await #expect {
            _ = try await client.serverVersion()
        } throws: { error in
            guard case .transport(_, let reason) = error as? KubernetesError else { return false }
            return reason.contains("TLS") && !String(describing: error).contains("tls-token")
        }
        try await client.shutdown()
        await sim.stop()
    }

    @Test(.timeLimit(.minutes(1)))
    func missingClientCertificateIsAClearError() async throws {
        let sim = try await KubeSimServer.start(KubeSimConfiguration(tls: true, clientCertificateAuthentication: true))
        var connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: sim.kubeconfig()))
        connection.clientCertificatePEM = nil
        connection.clientKeyPEM = nil
        connection.limits = ClientLimits(maxRetries: 1)
        let client = try HTTPKubernetesClient(connection: connection)
        await #expect {
            _ = try await client.serverVersion()
        } throws: { error in
            switch error as? KubernetesError {
            case .status(401, _, _): return true  // the handshake passed, the request was refused
            case .transport(_, let reason): return reason.contains("TLS") || reason.contains("closed")
            default: return false
            }
        }
        try await client.shutdown()
        await sim.stop()
    }
}
