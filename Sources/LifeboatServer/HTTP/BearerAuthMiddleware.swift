import Foundation
import HTTPTypes
import Hummingbird
import LifeboatCore
import Logging

/// Requires `Authorization: Bearer <token>` on protected paths and checks the role against the method.
///
/// Protected: the API (`/v1/…`) and `/metrics`. Public: `/healthz`, `/readyz`, the contract and the dashboard's
/// static files, which carry no data. No token or an unknown one is 401; a known token whose role is too
/// small is 403. The token itself never reaches a log or an error message.
public struct BearerAuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let authenticator: any TokenAuthenticator

    public init(authenticator: any TokenAuthenticator) {
        self.authenticator = authenticator
    }

    /// Whether `path` needs a token.
    public static func isProtected(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || path == "/metrics"
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard Self.isProtected(path) else { return try await next(request, context) }
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            throw HTTPProblem.unauthorized("missing bearer token")
        }
        guard let identity = try await authenticator.authenticate(token: token) else {
            throw HTTPProblem.unauthorized("invalid or revoked token")
        }
        let (access, resource) = Role.requirement(method: request.method, path: path)
        guard identity.role.allows(access, on: resource) else {
            throw HTTPProblem(status: .forbidden, slug: "forbidden",
                              detail: "role \(identity.role.rawValue) may not \(access.rawValue) \(resource.rawValue)")
        }
        var context = context
        context.identity = identity
        context.logger[metadataKey: "auth.name"] = "\(identity.name)"
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110).
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
