import Foundation
import HTTPTypes
import LifeboatAPI
import OpenAPIRuntime

/// Turns every non-2xx response into a thrown ``APIFailure`` before the generated client sees it.
///
/// Commands can then read `output.ok.body.json` directly: the one place that understands problem documents is
/// here, and every command prints errors the same way.
struct ProblemResponseMiddleware: ClientMiddleware {
    /// Problem documents are small; a larger error body is cut, not buffered whole.
    static let maximumProblemBytes = 64 * 1024

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.kind != .successful else { return (response, responseBody) }
        var data = Data()
        if let responseBody {
            for try await chunk in responseBody {
                data.append(contentsOf: chunk)
                if data.count > Self.maximumProblemBytes { break }
            }
        }
        throw APIFailure(status: response.status.code, body: data)
    }
}

/// A non-success response, rendered as one line: `<title> (<status>): <detail>`.
struct APIFailure: Error, CustomStringConvertible, Equatable {
    let status: Int
    let problem: Components.Schemas.Problem?

    init(status: Int, problem: Components.Schemas.Problem?) {
        self.status = status
        self.problem = problem
    }

    /// Decodes the body as a problem document when it is one; otherwise only the status is kept.
    init(status: Int, body: Data) {
        self.init(status: status, problem: try? JSONDecoder().decode(Components.Schemas.Problem.self, from: body))
    }

    var description: String {
        guard let problem else { return "HTTP \(status)" }
        var line = "\(problem.title) (\(problem.status))"
        if let detail = problem.detail, !detail.isEmpty { line += ": \(detail)" }
        let fieldErrors = (problem.errors ?? []).map { "\($0.field): \($0.reason)" }
        if !fieldErrors.isEmpty, problem.detail.map({ detail in !fieldErrors.allSatisfy(detail.contains) }) ?? true {
            line += (problem.detail == nil ? ": " : "; ") + fieldErrors.joined(separator: "; ")
        }
        // One line, whatever the server put in the document.
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
