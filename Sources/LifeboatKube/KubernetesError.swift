/// A failed Kubernetes API call, keeping what the API server said (its `Status` reason, code and message)
/// so callers can tell NotFound from Conflict from Forbidden.
public enum KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a `Status` failure (or a bare HTTP error status).
    case status(code: Int, reason: String, message: String)
    /// No HTTP answer at all: connection refused, TLS failure, timeout.
    case transport(server: String, reason: String)
    /// The answer was not what the API promises (e.g. `/version` without JSON).
    case unexpectedResponse(String)
    /// No credential could be obtained (exec plugin failed, token file unreadable). Never holds the secret.
    case credentials(String)

    public var description: String {
        switch self {
        case .status(let code, let reason, let message):
            message.isEmpty ? "Kubernetes API answered \(code) \(reason)" : "Kubernetes API answered \(code) \(reason): \(message)"
        case .transport(let server, let reason): "cannot reach \(server): \(reason)"
        case .unexpectedResponse(let what): "unexpected answer from the Kubernetes API: \(what)"
        case .credentials(let what): "cannot obtain cluster credentials: \(what)"
        }
    }

    /// The Status reason, when the server gave one (`NotFound`, `Unauthorized`, ...).
    public var reason: String? {
        if case .status(_, let reason, _) = self { return reason }
        return nil
    }

    /// The HTTP status code, when the server answered.
    public var code: Int? {
        if case .status(let code, _, _) = self { return code }
        return nil
    }

    public var isNotFound: Bool { reason == "NotFound" }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    public var isConflict: Bool { reason == "Conflict" }
    /// A stale continue token or watch resourceVersion: the caller must list again.
    public var isExpired: Bool { code == 410 || reason == "Expired" || reason == "Gone" }
}
