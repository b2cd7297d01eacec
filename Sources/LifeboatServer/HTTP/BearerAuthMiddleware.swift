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
        return try await next(request, context)
    }

    private static let scheme = Array("bearer".utf8)

    /// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110).
    static func bearerToken(_ header: String?) -> String? {
        // On the UTF-8 bytes, as this runs on every request: `lowercased()` and Foundation's trimming both went
        // through Unicode tables and bridging, several percent of a cached list response's CPU.
        guard var header else { return nil }
        return header.withUTF8 { bytes -> String? in
            func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var start = bytes.startIndex, end = bytes.endIndex
            while start < end, isBlank(bytes[start]) { start += 1 }
            let scheme = Self.scheme
            guard end - start > scheme.count,
                  zip(bytes[start..<start + scheme.count], scheme).allSatisfy({ $0 | 0x20 == $1 }),
                  isBlank(bytes[start + scheme.count]) else { return nil }
            start += scheme.count
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            return start < end ? String(decoding: bytes[start..<end], as: UTF8.self) : nil
        }
    }
}
