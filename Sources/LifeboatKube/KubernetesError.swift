/// A failed Kubernetes API call, keeping what the API server said (its `Status` reason, code and message)
/// so callers can tell NotFound from Conflict from Forbidden.
public enum KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a `Status` failure (or a bare HTTP error status).
    case status(code: Int, reason: String, message: String)
    /// No HTTP answer at all: connection refused, TLS failure, timeout.
    case transport(server: String, reason: String)
    /// The answer was not what the API promises (e.g. `/version` without JSON).
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .status(let code, let reason, let message):
            message.isEmpty ? "Kubernetes API answered \(code) \(reason)" : "Kubernetes API answered \(code) \(reason): \(message)"
        case .transport(let server, let reason): "cannot reach \(server): \(reason)"
        case .unexpectedResponse(let what): "unexpected answer from the Kubernetes API: \(what)"
        }
    }

    /// The Status reason, when the server gave one (`NotFound`, `Unauthorized`, ...).
    public var reason: String? {
        if case .status(_, let reason, _) = self { return reason }
        return nil
    }
}
