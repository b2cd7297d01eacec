/// Failures a client can be told about.
///
/// Adapters (SQLite, Kubernetes, object storage) translate their own errors into these at the module
/// boundary; anything that is not a `LifeboatError` becomes an opaque 500 at the API edge. Messages
/// never carry secret material: callers name a credential's source, never its value.
public enum LifeboatError: Error, Sendable, Equatable {
    case notFound(kind: String, name: String)
    case alreadyExists(kind: String, name: String)
    case invalidArgument(field: String, reason: String)
    case conflict(reason: String)
    case unavailable(dependency: String)
}
