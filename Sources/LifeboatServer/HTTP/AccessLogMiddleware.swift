import Hummingbird
import Logging

/// One log line per request once it is answered: method, path with query, status and how long it took.
///
/// Written when the response is ready rather than on arrival (Hummingbird's `LogRequestsMiddleware`), so the line
/// says how the request ended: an operator looking for the 4xx, the 5xx or the slow requests finds them in the log.
/// The duration ends when the response head is ready; a streamed body (a backup download) goes on after it. The
/// request id is on the line through the request's logger (`hb.request.id`). The query carries no secrets: tokens
/// travel in `Authorization`, which is not logged.
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    public init(_ level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - start).components
        let micros = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        context.logger.log(level: level, "Request", metadata: [
            "hb.request.method": .string(request.method.rawValue),
            "hb.request.path": .stringConvertible(request.uri),
            "hb.response.status": .stringConvertible(status),
            "hb.request.duration_ms": .string(Self.milliseconds(micros)),
        ])
    }

    /// `12.345` for 12,345 µs: three decimals without Foundation's formatter, which is slow on a per-request path.
    static func milliseconds(_ micros: Int64) -> String {
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
