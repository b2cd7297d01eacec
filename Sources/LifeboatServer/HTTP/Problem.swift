import Foundation
import HTTPTypes
import Hummingbird
import LifeboatAPI
import LifeboatCore
import Logging
import OpenAPIRuntime

/// The wire shape of every error: the generated RFC 9457 type, so it cannot drift from the spec.
typealias Problem = Components.Schemas.Problem

/// An HTTP-level failure that is not a domain error: authentication, authorization, unknown routes.
public struct HTTPProblem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var slug: String
    public var detail: String?
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, slug: String, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers
    }

    /// 401 with the `WWW-Authenticate` challenge RFC 6750 asks for.
    public static func unauthorized(_ detail: String) -> HTTPProblem {
        HTTPProblem(status: .unauthorized, slug: "unauthorized", detail: detail, headers: [.wwwAuthenticate: "Bearer realm=\"lifeboat\""])
    }
}

extension Problem {
    init(status: HTTPResponse.Status, slug: String, detail: String? = nil, errors: [Components.Schemas.FieldError]? = nil) {
        self.init(_type: "/problems/\(slug)", title: status.reasonPhrase, status: status.code, detail: detail, errors: errors)
    }

    /// The mapping of style.md §8.
    init(_ error: LifeboatError) {
        switch error {
        case let .notFound(kind, name):
            self.init(status: .notFound, slug: "not-found", detail: "\(kind) '\(name)' does not exist")
        case let .alreadyExists(kind, name):
            self.init(status: .conflict, slug: "already-exists", detail: "\(kind) '\(name)' already exists")
        case let .invalidArgument(field, reason):
            self.init(status: .unprocessableContent, slug: "invalid-argument", detail: "\(field): \(reason)",
                      errors: [.init(field: field, reason: reason)])
        case let .conflict(reason):
            self.init(status: .conflict, slug: "conflict", detail: reason)
        case let .unavailable(dependency):
            self.init(status: .serviceUnavailable, slug: "unavailable", detail: "\(dependency) is unavailable")
        }
    }

    /// Maps any thrown error to a problem; OpenAPI handlers hand us a `ServerError` wrapping the real cause.
    ///
    /// Unknown errors become an opaque 500 and are logged with the request id; their text could hold anything,
    /// secrets included, so it never reaches the client.
    init(rendering error: any Error, requestID: String, logger: Logger) {
        var cause = error
        var wireStatus: HTTPResponse.Status? = nil
        if let serverError = error as? ServerError {
            cause = serverError.underlyingError
            wireStatus = serverError.httpStatus
        }
        switch cause {
        case let known as LifeboatError:
            self.init(known)
        case let problem as HTTPProblem:
            self.init(status: problem.status, slug: problem.slug, detail: problem.detail)
        case let http as any HTTPResponseError:
            self.init(status: http.status, slug: "http-\(http.status.code)")
        case let decoding as DecodingError:
            let (field, reason) = Self.describe(decoding)
            self.init(status: .badRequest, slug: "bad-request", detail: field.isEmpty ? reason : "\(field): \(reason)",
                      errors: field.isEmpty ? nil : [.init(field: field, reason: reason)])
        case _ where wireStatus.map({ (400..<500).contains($0.code) }) ?? false:
            let status = wireStatus ?? .badRequest
            let detail = (error as? ServerError)?.causeDescription
            self.init(status: status, slug: status == .badRequest ? "bad-request" : "http-\(status.code)", detail: detail)
        default:
            logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: cause))"])
            self.init(status: .internalServerError, slug: "internal")
        }
        instance = "urn:lifeboat:request:\(requestID)"
    }

    /// The JSON path of a decoding failure (`spec.includedNamespaces[1]`) and what was wrong there.
    static func describe(_ error: DecodingError) -> (field: String, reason: String) {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case let .keyNotFound(key, context):
            return (path(context.codingPath + [key]), "is required")
        case let .typeMismatch(type, context):
            return (path(context.codingPath), "must be \(Self.jsonTypeName(type))")
        case let .valueNotFound(type, context):
            return (path(context.codingPath), "must be \(Self.jsonTypeName(type)), not null")
        case let .dataCorrupted(context):
            return (path(context.codingPath), context.underlyingError == nil ? context.debugDescription : "is not valid JSON")
        @unknown default:
            return ("", "the request body could not be decoded")
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: "a \(type)".replacingOccurrences(of: "Swift.", with: "")
        }
    }
}

/// Renders every error below it as `application/problem+json`: the one place errors become responses.
///
/// It sits inside the metrics and logging middleware, so they record the final status.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(rendering: error, requestID: context.id, logger: context.logger)
            var headers: HTTPFields = [.contentType: "application/problem+json"]
            if let extra = (error as? HTTPProblem)?.headers { headers.append(contentsOf: extra) }
            return Response(status: .init(code: problem.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(bytes: try Self.encode(problem))))
        }
    }

    /// Sorted keys and unescaped slashes: stable for tests, readable (`/problems/…`) for people.
    static func encode(_ problem: Problem) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(problem)
    }
}
