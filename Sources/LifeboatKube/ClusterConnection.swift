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
    /// A file to re-read the bearer token from (projected service-account tokens rotate); `bearerToken` is
    /// its content at load time.
    public var tokenFile: String?
    /// An exec credential plugin that issues the token; only ever set for local kubeconfigs.
    public var execPlugin: KubeConfig.ExecConfig?
    /// The kubeconfig's directory, against which a relative exec command resolves.
    public var execBaseDirectory: String?
    /// `proxy-url`: an http(s) proxy (CONNECT for https servers) or a socks5 proxy.
    public var proxyURL: URL?
    /// Client-side QPS, concurrency and retry settings for this cluster.
    public var limits: ClientLimits

    public init(
        server: URL, certificateAuthorityPEM: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil, bearerToken: String? = nil, clientCertificatePEM: [UInt8]? = nil,
        clientKeyPEM: [UInt8]? = nil, namespace: String = "default", tokenFile: String? = nil,
        execPlugin: KubeConfig.ExecConfig? = nil, execBaseDirectory: String? = nil, proxyURL: URL? = nil,
        limits: ClientLimits = ClientLimits()
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.bearerToken = bearerToken
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.namespace = namespace
        self.tokenFile = tokenFile
        self.execPlugin = execPlugin
        self.execBaseDirectory = execBaseDirectory
        self.proxyURL = proxyURL
        self.limits = limits
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

        func resolve(_ path: String) -> String {
            guard !path.hasPrefix("/"), let base = kubeconfig.baseDirectory else { return path }
            return URL(fileURLWithPath: base).appendingPathComponent(path).path
        }

        func material(data: String?, path: String?, field: String) throws(KubeConfigError) -> [UInt8]? {
            if let data {
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    throw .invalidBase64(field: "\(field)-data")
                }
                return Array(decoded)
            }
            guard let path else { return nil }
            guard allowLocalReferences else { throw .localReferenceNotAllowed(field: field) }
            guard let contents = FileManager.default.contents(atPath: resolve(path)) else { throw .unreadableFile(field: field) }
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
        var tokenFilePath: String?
        if token == nil, let tokenFile = user.tokenFile {
            guard allowLocalReferences else { throw .localReferenceNotAllowed(field: "tokenFile") }
            tokenFilePath = resolve(tokenFile)
            guard let contents = FileManager.default.contents(atPath: tokenFilePath!), let text = String(data: contents, encoding: .utf8)
            else { throw .unreadableFile(field: "tokenFile") }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var execPlugin: KubeConfig.ExecConfig?
        if let exec = user.exec, token == nil && certificate == nil {
            // Exec plugins run programs on this machine: allowed for local kubeconfig files only, never for
            // kubeconfigs uploaded through the API.
            guard allowLocalReferences else { throw .localReferenceNotAllowed(field: "exec") }
            execPlugin = exec
        }
        var proxy: URL?
        if let proxyText = cluster.proxyURL, !proxyText.isEmpty {
            guard let url = URL(string: proxyText), let scheme = url.scheme?.lowercased(),
                ["http", "https", "socks5"].contains(scheme), url.host != nil
            else { throw .invalidProxyURL(proxyText) }
            proxy = url
        }

        self.init(
            server: url, certificateAuthorityPEM: ca, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            tlsServerName: cluster.tlsServerName, bearerToken: token, clientCertificatePEM: certificate,
            clientKeyPEM: key, namespace: namedContext.context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            tokenFile: tokenFilePath, execPlugin: execPlugin, execBaseDirectory: kubeconfig.baseDirectory, proxyURL: proxy)
    }

    /// The service-account configuration a pod gets (client-go `rest.InClusterConfig`).
    ///
    /// - Parameters:
    ///   - environment: where `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are read.
    ///   - serviceAccountDirectory: holds `token` (re-read while running, it rotates), `ca.crt` and `namespace`;
    ///     tests point it at a temporary directory.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) throws(KubeConfigError) -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { throw .notInCluster }
        let hostPart = host.contains(":") ? "[\(host)]" : host  // IPv6 service addresses need brackets
        guard let url = URL(string: "https://\(hostPart):\(port)") else { throw .invalidServerURL("https://\(hostPart):\(port)") }
        let tokenPath = serviceAccountDirectory + "/token"
        guard let tokenData = FileManager.default.contents(atPath: tokenPath) else { throw .unreadableFile(field: "service-account token") }
        let token = String(decoding: tokenData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let ca = FileManager.default.contents(atPath: serviceAccountDirectory + "/ca.crt") else {
            throw .unreadableFile(field: "service-account ca.crt")
        }
        let namespace = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClusterConnection(server: url, certificateAuthorityPEM: Array(ca), bearerToken: token, namespace: namespace, tokenFile: tokenPath)
    }
}
