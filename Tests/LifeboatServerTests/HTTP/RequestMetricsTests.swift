import Foundation
import HTTPTypes
import Hummingbird
@testable import HummingbirdCore
import HummingbirdTesting
@testable import LifeboatServer
import Logging
import Prometheus
import Testing

/// The request metrics on `/metrics`, and that recording them leaves a response's body as it was.
@Suite struct RequestMetricsTests {
    @Test func countsRequestsByRouteMethodAndStatusWithTheirDurations() async throws {
        let registry = PrometheusCollectorRegistry()
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = try buildApplication(
            configuration: configuration, dependencies: HTTPDependencies(authenticator: RoleTokens(), metrics: registry),
            logger: quietLogger())
        let text = try await app.test(.router) { client in
            for uri in ["/healthz", "/healthz", "/no-such-route", "/metrics"] {
                _ = try await client.execute(uri: uri, method: .get)
            }
            return try await client.execute(uri: "/metrics", method: .get, headers: .bearer(RoleTokens.viewer)) { response in
                String(buffer: response.body)
            }
        }
        func series(_ route: String, _ status: Int) -> String {
            #"{http_route="\#(route)",http_request_method="GET",http_response_status_code="\#(status)"}"#
        }
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("hb_requests\(series("/healthz", 204)) 2"))
        #expect(lines.contains("hb_requests\(series("NotFound", 404)) 1"))
        #expect(lines.contains("hb_requests\(series("/metrics", 401)) 1"))
        #expect(lines.contains("http_server_request_duration_count\(series("/healthz", 204)) 2"))
        #expect(lines.contains("http_server_request_duration_count\(series("/metrics", 401)) 1"))
        // The scrape itself is the one request in flight while the registry renders.
        #expect(lines.contains(#"http_server_active_requests{http_request_method="GET"} 1.0"#))
        let sum = try #require(lines.first { $0.hasPrefix("http_server_request_duration_sum\(series("/healthz", 204)) ") })
        let seconds = try #require(Double(sum.split(separator: " ").last ?? ""))
        #expect(seconds > 0 && seconds < 60, "\(sum)")
        // ProblemMiddleware below renders every error, so none reaches the metrics unhandled.
        #expect(!text.contains("hb_request_errors{"))
    }

    /// Hummingbird's `MetricsMiddleware` wrapped every body in a closure to record after the write, which made the
    /// server send head, body and end of an in-memory response as three writes. This one must not touch the body.
    @Test func aResponseHeldInMemoryStaysOneBuffer() async throws {
        let middleware = RequestMetricsMiddleware<PlainContext>(factory: PrometheusMetricsFactory(registry: .init()))
        let request = Request(head: .init(method: .get, scheme: "http", authority: "localhost", path: "/v1/backups"), body: .init(buffer: .init()))
        let context = PlainContext(source: .init(logger: quietLogger()))
        let response = try await middleware.handle(request, context: context) { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"items":[]}"#)))
        }
        guard case .byteBuffer(let buffer) = response.body._backing else {
            Issue.record("the body was wrapped: \(response.body._backing)")
            return
        }
        #expect(String(buffer: buffer) == #"{"items":[]}"#)
    }

    @Test func anErrorThatReachesItIsCountedAndRethrown() async throws {
        let registry = PrometheusCollectorRegistry()
        let middleware = RequestMetricsMiddleware<PlainContext>(factory: PrometheusMetricsFactory(registry: registry))
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/v1/backups"), body: .init(buffer: .init()))
        let context = PlainContext(source: .init(logger: quietLogger()))
        await #expect(throws: HTTPError.self) {
            _ = try await middleware.handle(request, context: context) { _, _ in throw HTTPError(.conflict) }
        }
        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"hb_request_errors{http_route="NotFound",http_request_method="POST",error_type="409"} 1"#))
        #expect(text.contains(#"hb_requests{http_route="NotFound",http_request_method="POST",http_response_status_code="409"} 1"#))
        #expect(text.contains(#"http_server_active_requests{http_request_method="POST"} 0.0"#))
    }
}

/// A request context made without a channel, for calling a middleware directly.
private struct PlainContext: RequestContext {
    struct Source: RequestContextSource {
        let logger: Logger
    }

    var coreContext: CoreRequestContextStorage

    init(source: Source) {
        coreContext = .init(source: source)
    }
}
