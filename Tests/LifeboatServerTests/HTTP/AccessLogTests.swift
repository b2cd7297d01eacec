import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import LifeboatServer
import Logging
import Testing

/// The access log: one line per request, after it is answered, with how it ended.
@Suite struct AccessLogTests {
    @Test func eachRequestLogsItsMethodPathStatusDurationAndId() async throws {
        let logs = CapturedLogs()
        let server = try CatalogTestServer(logger: logs.logger())
        let ids = try await server.application().test(.router) { client in
            var ids: [String] = []
            for (uri, token) in [("/v1/backups?limit=5", RoleTokens.viewer), ("/v1/backups/missing", RoleTokens.viewer),
                                 ("/v1/backups", "lb_not-a-real-token"), ("/healthz", "")] {
                let response = try await client.execute(uri: uri, method: .get, headers: token.isEmpty ? [:] : .bearer(token))
                ids.append(try #require(response.headers[.init("X-Request-Id")!]))
            }
            return ids
        }
        let lines = logs.records.filter { $0.message == "Request" }
        #expect(lines.map { $0.metadata["hb.request.path"]?.description } == ["/v1/backups?limit=5", "/v1/backups/missing", "/v1/backups", "/healthz"])
        #expect(lines.map { $0.metadata["hb.response.status"]?.description } == ["200", "404", "401", "204"])
        #expect(lines.map { $0.metadata["hb.request.id"]?.description } == ids)
        #expect(lines.allSatisfy { $0.level == .info && $0.metadata["hb.request.method"]?.description == "GET" })
        for line in lines {
            let duration = try #require(line.metadata["hb.request.duration_ms"]?.description)
            #expect(Double(duration).map { $0 >= 0 && $0 < 60_000 } == true, "\(duration)")
        }
        #expect(!logs.all.contains("lb_not-a-real-token") && !logs.all.contains(RoleTokens.viewer))
    }

    @Test(arguments: [(0, "0.000"), (7, "0.007"), (1000, "1.000"), (12_345, "12.345"), (61_000_010, "61000.010")] as [(Int64, String)])
    func durationsHaveThreeDecimals(micros: Int64, text: String) {
        #expect(AccessLogMiddleware<AppRequestContext>.milliseconds(micros) == text)
    }
}
