/// Why a kubeconfig cannot be turned into a connection. Messages name fields and contexts, never values.
public enum KubeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(reason: String)
    case noContext
    case unknownContext(String)
    case unknownCluster(String)
    case unknownUser(String)
    case invalidServerURL(String)
    case insecureWithCertificateAuthority
    case certificateWithoutKey
    case invalidBase64(field: String)
    /// File references and exec plugins point into the machine the server runs on; kubeconfigs uploaded
    /// through the API must be self-contained.
    case localReferenceNotAllowed(field: String)
    case unreadableFile(field: String)
    /// In-cluster configuration was asked for outside a pod (no `KUBERNETES_SERVICE_HOST`/`_PORT`).
    case notInCluster
    case invalidProxyURL(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "kubeconfig is malformed: \(reason)"
        case .noContext: "kubeconfig has no current-context and no context was named"
        case .unknownContext(let name): "kubeconfig has no context named '\(name)'"
        case .unknownCluster(let name): "kubeconfig has no cluster named '\(name)'"
        case .unknownUser(let name): "kubeconfig has no user named '\(name)'"
        case .invalidServerURL(let server): "cluster server '\(server)' is not an http(s) URL"
        case .insecureWithCertificateAuthority:
            "specifying a root certificates file with the insecure flag is not allowed"
        case .certificateWithoutKey: "client certificate given without a client key"
        case .invalidBase64(let field): "\(field) is not valid base64"
        case .localReferenceNotAllowed(let field): "\(field) refers to a local file or program, which is not allowed here"
        case .unreadableFile(let field): "the file named by \(field) cannot be read"
        case .notInCluster: "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set"
        case .invalidProxyURL(let url): "proxy-url '\(url)' is not an http, https or socks5 URL"
        }
    }
}
