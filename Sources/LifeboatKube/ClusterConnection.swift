import Foundation

/// Everything needed to open a connection to one Kubernetes API server, resolved from a kubeconfig
/// context or given directly (server URL + token + CA).
///
/// Holds secret material (token, client key): it is deliberately not `CustomStringConvertible`, and its
/// `description` would never be logged; log `server` alone.
public struct ClusterConnection: Sendable {
    public var server: URL
    /// PEM bundle of CAs to trust; nil means the system roots.
    public var certificateAuthorityPEM: [UInt8]?
    public var insecureSkipTLSVerify: Bool
    public var tlsServerName: String?
    public var bearerToken: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// The context's namespace, `default` when unset, as kubectl does.
    public var namespace: String

    public init(
        server: URL, certificateAuthorityPEM: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil, bearerToken: String? = nil, clientCertificatePEM: [UInt8]? = nil,
        clientKeyPEM: [UInt8]? = nil, namespace: String = "default"
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.bearerToken = bearerToken
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.namespace = namespace
    }

    /// Resolves `context` (or the kubeconfig's current context).
    ///
    /// - Parameters:
    ///   - kubeconfig: the parsed file.
    ///   - context: a context name; nil uses `current-context`.
    ///   - allowLocalReferences: whether `certificate-authority`, `client-certificate`, `client-key` and
    ///     `tokenFile` paths may be read. False for kubeconfigs uploaded through the API, whose paths would
    ///     name files on the server's machine.
    public init(kubeconfig: KubeConfig, context: String? = nil, allowLocalReferences: Bool = false) throws(KubeConfigError) {
        guard let contextName = context ?? kubeconfig.currentContext, !contextName.isEmpty else { throw .noContext }
        guard let namedContext = kubeconfig.contexts.first(where: { $0.name == contextName }) else {
            throw .unknownContext(contextName)
        }
        guard let cluster = kubeconfig.clusters.first(where: { $0.name == namedContext.context.cluster })?.cluster else {
            throw .unknownCluster(namedContext.context.cluster)
        }
        var user = KubeConfig.User()
        if let userName = namedContext.context.user, !userName.isEmpty {
            guard let found = kubeconfig.users.first(where: { $0.name == userName })?.user else { throw .unknownUser(userName) }
            user = found
        }
        guard let url = URL(string: cluster.server), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host != nil
        else { throw .invalidServerURL(cluster.server) }

        func material(data: String?, path: String?, field: String) throws(KubeConfigError) -> [UInt8]? {
            if let data {
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    throw .invalidBase64(field: "\(field)-data")
                }
                return Array(decoded)
            }
            guard let path else { return nil }
            guard allowLocalReferences else { throw .localReferenceNotAllowed(field: field) }
            guard let contents = FileManager.default.contents(atPath: path) else { throw .unreadableFile(field: field) }
            return Array(contents)
        }

        let ca = try material(
            data: cluster.certificateAuthorityData, path: cluster.certificateAuthority, field: "certificate-authority")
        if cluster.insecureSkipTLSVerify == true && ca != nil { throw .insecureWithCertificateAuthority }
        let certificate = try material(
            data: user.clientCertificateData, path: user.clientCertificate, field: "client-certificate")
        let key = try material(data: user.clientKeyData, path: user.clientKey, field: "client-key")
        if certificate != nil && key == nil { throw .certificateWithoutKey }

        var token = user.token
        if token == nil, let tokenFile = user.tokenFile {
            guard allowLocalReferences else { throw .localReferenceNotAllowed(field: "tokenFile") }
            guard let contents = FileManager.default.contents(atPath: tokenFile), let text = String(data: contents, encoding: .utf8)
            else { throw .unreadableFile(field: "tokenFile") }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if user.exec != nil && token == nil && certificate == nil {
            // Exec plugins run programs on this machine; the Kubernetes client issue adds them for local
            // kubeconfig files. Uploaded kubeconfigs never may.
            throw .localReferenceNotAllowed(field: "exec")
        }

        self.init(
            server: url, certificateAuthorityPEM: ca, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            tlsServerName: cluster.tlsServerName, bearerToken: token, clientCertificatePEM: certificate,
            clientKeyPEM: key, namespace: namedContext.context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }
}
