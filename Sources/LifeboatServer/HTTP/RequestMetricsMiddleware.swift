import Hummingbird
import Metrics
import Synchronization

/// Request metrics for `/metrics`: requests by route, method and status, their duration, and requests in flight.
///
/// It replaces Hummingbird's `MetricsMiddleware` and keeps its metric names and dimensions (`hb_requests`,
/// `http_server_request_duration`, `http_server_active_requests`, `hb_request_errors`). Hummingbird's version records
/// from a closure run after the body is written, and wrapping the body that way turns a response held in memory into
/// a streamed one: its head, body and end then leave as three separate writes, each a hop to the event loop and a
/// syscall. For a cached list page that was a fifth of the server's throughput (`benchmarks/api/README.md`).
///
/// So this records when the response is ready, like ``AccessLogMiddleware``: the duration is the time to the
/// response head. A streamed body (a backup download) goes on after it, and its transfer is not in the number.
/// `hb_request_errors` counts errors that reach it unhandled; below it `ProblemMiddleware` renders every error as a
/// response, so a 4xx or 5xx is counted in `hb_requests` under its status.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics: RequestMetrics

    /// - Parameter factory: Where the metrics go; the registry `/metrics` renders, so tests can read their own.
    public init(factory: any MetricsFactory) {
        self.metrics = RequestMetrics(factory: factory)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let active = metrics.active(method: request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            metrics.record(route: context.endpointPath ?? "NotFound", method: request.method, status: response.status.code,
                           duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            let route = context.endpointPath ?? "NotFound"
            metrics.record(route: route, method: request.method, status: status, duration: ContinuousClock.now - start)
            metrics.error(route: route, method: request.method, status: status)
            throw error
        }
    }
}

/// The metric handles, created once per route, method and status: creating one goes through the factory's lock and
/// label lookup, which a request should not pay.
private final class RequestMetrics: Sendable {
    private struct Endpoint: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct EndpointMetrics: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
    }

    private let factory: any MetricsFactory
    private let endpoints = Mutex<[Endpoint: EndpointMetrics]>([:])
    private let actives = Mutex<[HTTPRequest.Method: Meter]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func active(method: HTTPRequest.Method) -> Meter {
        actives.withLock { meters in
            if let meter = meters[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)],
                              factory: factory)
            meters[method] = meter
            return meter
        }
    }

    func record(route: String, method: HTTPRequest.Method, status: Int, duration: Duration) {
        let endpoint = Endpoint(route: route, method: method, status: status)
        let metrics = endpoints.withLock { endpoints in
            if let metrics = endpoints[endpoint] { return metrics }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue),
                              ("http.response.status_code", String(status))]
            let metrics = EndpointMetrics(
                requests: Counter(label: "hb.requests", dimensions: dimensions, factory: factory),
                duration: Metrics.Timer(label: "http.server.request.duration", dimensions: dimensions,
                                        preferredDisplayUnit: .seconds, factory: factory))
            endpoints[endpoint] = metrics
            return metrics
        }
        metrics.requests.increment()
        metrics.duration.record(duration: duration)
    }

    /// Rare (an error no middleware below rendered), so the handle is not kept.
    func error(route: String, method: HTTPRequest.Method, status: Int) {
        Counter(label: "hb.request.errors",
                dimensions: [("http.route", route), ("http.request.method", method.rawValue), ("error.type", String(status))],
                factory: factory).increment()
    }
}
