import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import LifeboatServer
import Prometheus
import Testing

@Suite struct RoutesTests {
    @Test func metricsNeedATokenAndServePrometheusText() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(name: "lifeboat_test_total").increment()
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = try buildApplication(
            configuration: configuration, dependencies: HTTPDependencies(authenticator: RoleTokens(), metrics: registry),
            logger: quietLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: .bearer(RoleTokens.viewer)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(String(buffer: response.body).contains("lifeboat_test_total 1"))
            }
        }
    }

    @Test func servesTheContractAndStaticFilesWithoutToken() async throws {
        let directory = try makeTemporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "<h1>Lifeboat</h1>".write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
        try "openapi: 3.1.0\n".write(toFile: directory + "/spec.yaml", atomically: true, encoding: .utf8)
        try await makeTestApplication(webAssets: directory, spec: directory + "/spec.yaml").test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(String(buffer: response.body) == "openapi: 3.1.0\n")
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "<h1>Lifeboat</h1>")
            }
            // The API stays protected even with a dashboard in front of it.
            try await client.execute(uri: "/v1/backups", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func liveServerAnswersOverASocket() async throws {
        try await makeTestApplication().test(.live) { client in
            #expect(client.port != nil)
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] != nil)
            }
        }
    }
}
