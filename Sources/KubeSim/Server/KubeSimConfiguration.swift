/// How a KubeSim instance behaves. Every knob of the `kubesim` executable maps to one field.
public struct KubeSimConfiguration: Sendable {
    /// Address to bind; port 0 lets the OS pick one.
    public var host: String
    public var port: Int
    /// Bearer tokens with full access. Empty (and no client-certificate auth) means no authentication.
    public var tokens: [String]
    /// Bearer tokens that may only get, list and watch; other verbs answer 403 Forbidden.
    public var readOnlyTokens: [String]
    /// Serve HTTPS with a freshly generated CA and server certificate.
    public var tls: Bool
    /// With `tls`, require a client certificate signed by the generated CA; such a certificate
    /// authenticates the request (bearer tokens are then not needed).
    public var clientCertificateAuthentication: Bool
    /// Delay added to every API request.
    public var latency: Duration
    /// Requests per second above which the server answers 429 with `Retry-After`.
    public var rateLimit: Int?
    /// Probability (0…1) of answering a resource request with an injected 500 or 503.
    public var failRate: Double
    /// Seed of the fault-injection generator, so runs are reproducible.
    public var failSeed: UInt64
    /// Simulate the kubelet and controllers: pods become Running and Ready, Deployments own ReplicaSets
    /// that own Pods, StatefulSets own ordinal Pods and their claims, claims bind to generated volumes.
    public var podLifecycle: Bool
    /// Where pod sandboxes and volume directories live (kubelet layout); a temporary directory when nil.
    public var volumeRoot: String?
    /// State is loaded from here at start and saved here on shutdown.
    public var dataDirectory: String?
    /// Every YAML manifest in this directory is applied at start (namespaces and CRDs first).
    public var seedDirectory: String?

    public init(host: String = "127.0.0.1", port: Int = 0, tokens: [String] = [], readOnlyTokens: [String] = [],
                tls: Bool = false, clientCertificateAuthentication: Bool = false, latency: Duration = .zero,
                rateLimit: Int? = nil, failRate: Double = 0, failSeed: UInt64 = 1, podLifecycle: Bool = false,
                volumeRoot: String? = nil, dataDirectory: String? = nil, seedDirectory: String? = nil) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.readOnlyTokens = readOnlyTokens
        self.tls = tls
        self.clientCertificateAuthentication = clientCertificateAuthentication
        self.podLifecycle = podLifecycle
        self.volumeRoot = volumeRoot
        self.latency = latency
        self.rateLimit = rateLimit
        self.failRate = failRate
        self.failSeed = failSeed
        self.dataDirectory = dataDirectory
        self.seedDirectory = seedDirectory
    }
}
