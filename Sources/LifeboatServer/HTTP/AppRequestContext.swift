import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage plus the authenticated identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware`` on protected paths; nil on public ones.
    public var identity: Identity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }
}

/// The current request's identity and id, for `APIProtocol` handlers, which receive only their `Input`.
///
/// Bound by ``RequestIdentityMiddleware``, the template's `OpenAPIRequestContextMiddleware` trick: a task-local
/// set around the rest of the middleware chain. It does not cross `Task.detached`.
public enum RequestIdentity {
    @TaskLocal public static var current: Identity?
    @TaskLocal public static var requestID: String?

    /// `auth.name` of the caller in every log line written below ``RequestIdentityMiddleware``; give it to the log
    /// handler at bootstrap. Read when a line is written, not set on each request's logger: a metadata change costs
    /// every request (swift-log's `StreamLogHandler` re-renders all of a logger's metadata on each one) even when
    /// nothing is logged.
    public static let loggingMetadata = Logger.MetadataProvider {
        guard let identity = current else { return [:] }
        return ["auth.name": "\(identity.name)"]
    }
}

/// Binds ``RequestIdentity`` and the request's logger (`Logger.current`, with its `hb.request.id`) for everything
/// after it; it must be the last middleware.
public struct RequestIdentityMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        try await RequestIdentity.$current.withValue(context.identity) {
            try await RequestIdentity.$requestID.withValue(context.id) {
                try await withLogger(context.logger) { _ in try await next(request, context) }
            }
        }
    }
}
