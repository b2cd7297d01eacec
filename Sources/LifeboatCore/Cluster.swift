import Foundation

/// A registered Kubernetes cluster: how to reach its API. The kubeconfig or bearer token lives in a sealed
/// credential that `spec.credential` refers to; the spec itself holds nothing secret.
public struct Cluster: CatalogObject {
    public static let kind = "cluster"

    public var metadata: ObjectMeta<ClusterName>
    public var spec: ClusterSpec
    public var status: ClusterStatus

    public init(metadata: ObjectMeta<ClusterName>, spec: ClusterSpec, status: ClusterStatus = ClusterStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Validates metadata and spec; the first problem is thrown with its JSON field path.
    public func validate() throws(LifeboatError) {
        try metadata.validate()
        try spec.validate()
    }
}

/// How a cluster is reached.
public struct ClusterSpec: Sendable, Hashable, Codable {
    /// Where the connection details come from.
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// The credential is a kubeconfig; `context` picks one of its contexts (default: its current context).
        case kubeconfig
        /// `server` + the credential as a bearer token + optional `caBundle`.
        case token
    }

    public var source: Source
    /// The kubeconfig context to use (`source == .kubeconfig`).
    public var context: String?
    /// The API server URL (`source == .token`).
    public var server: String?
    /// PEM CA bundle for the API server (`source == .token`); not secret.
    public var caBundle: String?
    public var insecureSkipTLSVerify: Bool?
    /// The sealed kubeconfig or token.
    public var credential: CredentialID?

    public init(source: Source, context: String? = nil, server: String? = nil, caBundle: String? = nil,
                insecureSkipTLSVerify: Bool? = nil, credential: CredentialID? = nil) {
        self.source = source
        self.context = context
        self.server = server
        self.caBundle = caBundle
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.credential = credential
    }

    /// Checks that the fields fit the source.
    public func validate() throws(LifeboatError) {
        switch source {
        case .kubeconfig:
            if server != nil { throw .invalidArgument(field: "spec.server", reason: "must not be set for a kubeconfig cluster; the kubeconfig names the server") }
            if let context, context.isEmpty || context.count > 253 {
                throw .invalidArgument(field: "spec.context", reason: "must be 1-253 characters")
            }
        case .token:
            guard let server else { throw .invalidArgument(field: "spec.server", reason: "is required for a token cluster") }
            try URLValidation.validateHTTPURL(server, field: "spec.server")
            if context != nil { throw .invalidArgument(field: "spec.context", reason: "only applies to a kubeconfig cluster") }
        }
        if let caBundle, !caBundle.contains("-----BEGIN CERTIFICATE-----") {
            throw .invalidArgument(field: "spec.caBundle", reason: "must be PEM encoded certificates")
        }
    }
}

/// Whether the last check reached the cluster.
public enum ClusterPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case ready = "Ready"
    case unreachable = "Unreachable"
}

/// The result of the last cluster check; `phase` is unset until the first check ran.
public struct ClusterStatus: Sendable, Hashable, Codable {
    public var phase: ClusterPhase?
    /// `gitVersion` from `/version`, e.g. `v1.31.2`.
    public var kubernetesVersion: String?
    /// Why the cluster is unreachable (never contains credentials).
    public var message: String?
    public var lastCheckTime: Date?

    public init(phase: ClusterPhase? = nil, kubernetesVersion: String? = nil, message: String? = nil, lastCheckTime: Date? = nil) {
        self.phase = phase
        self.kubernetesVersion = kubernetesVersion
        self.message = message
        self.lastCheckTime = lastCheckTime
    }
}

/// Shared URL checks for user-supplied endpoints.
enum URLValidation {
    static func validateHTTPURL(_ text: String, field: String) throws(LifeboatError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty
        else { throw .invalidArgument(field: field, reason: "must be an http or https URL") }
        if url.user != nil || url.password != nil {
            throw .invalidArgument(field: field, reason: "must not embed credentials; use the credential instead")
        }
    }
}
