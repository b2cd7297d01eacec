import Foundation
import NIOCore
import Testing

@testable import LifeboatKube

@Suite struct HTTPKubernetesClientTests {
    @Test func statusDocumentKeepsReasonAndMessage() {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#
        let error = HTTPKubernetesClient.statusError(code: 404, phrase: "Not Found", body: Array(body.utf8))
        #expect(error == .status(code: 404, reason: "NotFound", message: #"pods "x" not found"#))
    }

    @Test func bareErrorStatusGetsAReason() {
        #expect(HTTPKubernetesClient.statusError(code: 401, phrase: "Unauthorized", body: []).reason == "Unauthorized")
        #expect(HTTPKubernetesClient.statusError(code: 503, phrase: "Service Unavailable", body: Array("oops".utf8)).reason == "ServiceUnavailable")
    }

    @Test func unreachableServerIsATransportErrorWithoutTheToken() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let connection = ClusterConnection(server: URL(string: "http://127.0.0.1:1")!, bearerToken: "never-shown",
                                           limits: ClientLimits(maxRetries: 2))
        let client = try HTTPKubernetesClient(connection: connection, requestTimeout: .seconds(5))
        await #expect {
            _ = try await client.serverVersion()
        } throws: { error in
            guard case .transport(let server, _) = error as? KubernetesError else { return false }
            return server == "http://127.0.0.1:1" && !String(describing: error).contains("never-shown")
        }
        try await client.shutdown()
    }
}
