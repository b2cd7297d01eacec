import Hummingbird

/// Echoes Hummingbird's request id as `X-Request-Id` on every response, errors included.
///
/// The same id is in every log line of the request (`hb.request.id`) and in problem documents' `instance`,
/// so a user's report leads straight to the logs.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Request-Id")!] = context.id
        return response
    }
}
