import LifeboatCore

/// Why an object-store operation failed, with a message safe to show an operator.
///
/// Messages name the store, bucket, key and the *source* of credentials ("profile default in
/// /etc/credentials"), never a secret value.
public enum ObjectStoreError: Error, Sendable, Hashable {
    /// The key does not exist.
    case noSuchKey(bucket: String, key: String)
    /// The bucket (or filesystem root) does not exist.
    case noSuchBucket(bucket: String)
    /// The credentials are valid but not allowed to do this.
    case accessDenied(bucket: String, key: String?, message: String)
    /// The server computed a different signature: wrong secret key, clock skew or a proxy rewriting the request.
    case signatureDoesNotMatch(bucket: String, credentialSource: String)
    /// The access key is unknown to the server.
    case invalidAccessKey(bucket: String, credentialSource: String)
    /// No usable credentials could be loaded.
    case credentialsUnavailable(source: String, reason: String)
    /// A key the store refuses (absolute, `..`, NUL, too long, ...).
    case invalidKey(key: String, reason: String)
    /// A bad argument or configuration value.
    case invalidArgument(reason: String)
    /// The requested byte range starts past the end of the object.
    case invalidRange(key: String)
    /// The object changed while it was being read (its ETag moved under a resumed download).
    case objectChanged(key: String)
    /// The store does not support this operation (e.g. Object Lock on a filesystem).
    case unsupported(operation: String)
    /// Data did not verify: a checksum or length mismatch.
    case integrity(key: String, reason: String)
    /// The server's TLS certificate was rejected: it does not verify against the trusted CAs, or is not for this host.
    /// Not retried: the same certificate would be rejected again.
    case untrustedCertificate(endpoint: String, reason: String)
    /// The server or network kept failing after all retries.
    case unavailable(endpoint: String, reason: String)
    /// Any other error response from the server.
    case server(status: Int, code: String, message: String, requestID: String?)
}

extension ObjectStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .noSuchKey(let bucket, let key): "object \(key) does not exist in bucket \(bucket)"
        case .noSuchBucket(let bucket): "bucket \(bucket) does not exist"
        case .accessDenied(let bucket, let key, let message):
            "access denied to \(key.map { "object \($0) in " } ?? "")bucket \(bucket): \(message)"
        case .signatureDoesNotMatch(let bucket, let source):
            "the request signature does not match for bucket \(bucket): check the secret key of \(source) and the clock"
        case .invalidAccessKey(let bucket, let source):
            "the access key of \(source) is not known to the server of bucket \(bucket)"
        case .credentialsUnavailable(let source, let reason): "no credentials from \(source): \(reason)"
        case .invalidKey(let key, let reason): "invalid object key \(String(reflecting: key)): \(reason)"
        case .invalidArgument(let reason): "invalid argument: \(reason)"
        case .invalidRange(let key): "the requested range is outside object \(key)"
        case .objectChanged(let key): "object \(key) changed while it was being read"
        case .unsupported(let operation): "\(operation) is not supported by this store"
        case .integrity(let key, let reason): "integrity check failed for \(key): \(reason)"
        case .untrustedCertificate(let endpoint, let reason): "the TLS certificate of object storage at \(endpoint) was rejected: \(reason)"
        case .unavailable(let endpoint, let reason): "object storage at \(endpoint) is unavailable: \(reason)"
        case .server(let status, let code, let message, let requestID):
            "object storage answered \(status) \(code): \(message)\(requestID.map { " (request id \($0))" } ?? "")"
        }
    }
}

extension ObjectStoreError {
    /// The closest `LifeboatError`, for callers that report to API clients.
    public var lifeboatError: LifeboatError {
        switch self {
        case .noSuchKey(_, let key): .notFound(kind: "object", name: key)
        case .noSuchBucket(let bucket): .notFound(kind: "bucket", name: bucket)
        case .invalidKey(_, let reason): .invalidArgument(field: "key", reason: reason)
        case .invalidArgument(let reason): .invalidArgument(field: "objectStore", reason: reason)
        case .invalidRange: .invalidArgument(field: "range", reason: description)
        case .objectChanged, .integrity: .conflict(reason: description)
        case .unsupported: .invalidArgument(field: "objectStore", reason: description)
        case .accessDenied, .signatureDoesNotMatch, .invalidAccessKey, .credentialsUnavailable, .untrustedCertificate, .unavailable, .server:
            .unavailable(dependency: description)
        }
    }
}
