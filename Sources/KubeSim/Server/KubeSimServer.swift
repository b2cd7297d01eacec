import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A running KubeSim: start one in-process on port 0, learn its URL, write a kubeconfig, stop it.
///
/// ```swift
/// let sim = try await KubeSimServer.start(KubeSimConfiguration(tokens: ["t0k"]))
/// try sim.writeKubeconfig(to: "/tmp/kc")
/// // … run kubectl --kubeconfig /tmp/kc …
/// await sim.stop()
/// ```
public final class KubeSimServer: Sendable {
    /// `http://127.0.0.1:PORT` or `https://…` with `tls`.
    public let url: String
    public let port: Int
    /// PEM of the generated CA when TLS is on (also published as `kube-root-ca.crt` in every namespace).
    public let caCertificatePEM: String?
    /// A client certificate and key (PEM) signed by the CA (CN `kubesim-admin`, O `system:masters`).
    public let clientCertificatePEM: String?
    public let clientKeyPEM: String?
    /// Root of pod sandboxes and volume directories: `<root>/pods/<pod uid>/volumes/…`.
    public let volumeRoot: String
    public let configuration: KubeSimConfiguration
    let cluster: KubeCluster
    private let task: Mutex<Task<Void, any Error>?>
    private let lifecycle: PodLifecycle
    private let ownsVolumeRoot: Bool

    private init(url: String, port: Int, certificates: Certificates?, volumeRoot: String, ownsVolumeRoot: Bool,
                 configuration: KubeSimConfiguration, cluster: KubeCluster, task: Task<Void, any Error>, lifecycle: PodLifecycle) {
        self.url = url
        self.port = port
        self.caCertificatePEM = certificates?.caPEM
        self.clientCertificatePEM = certificates?.clientCertificatePEM
        self.clientKeyPEM = certificates?.clientKeyPEM
        self.volumeRoot = volumeRoot
        self.ownsVolumeRoot = ownsVolumeRoot
        self.configuration = configuration
        self.cluster = cluster
        self.task = Mutex(task)
        self.lifecycle = lifecycle
    }

    /// Starts a server and returns once it accepts connections.
    public static func start(_ configuration: KubeSimConfiguration = KubeSimConfiguration(),
                             logger: Logger = Logger(label: "kubesim")) async throws -> KubeSimServer {
        let certificates = configuration.tls ? try Certificates.generate(host: configuration.host) : nil
        let cluster = KubeCluster(caPEM: certificates?.caPEM ?? "")
        let volumeRoot = configuration.volumeRoot
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: volumeRoot, withIntermediateDirectories: true)
        if let dataDirectory = configuration.dataDirectory {
            try StatePersistence.load(into: cluster, from: dataDirectory)
        }
        if let seed = configuration.seedDirectory {
            try Seeder.apply(directory: seed, to: cluster)
        }
        cluster.withState { state in
            for key in Array(state.tables.keys) { _ = state.tables[key]?.sortedKeys() }  // build list indexes up front
        }
        #if os(Linux)
        // Seeding and state loading parse large documents whose freed pages glibc would otherwise keep.
        _ = glibcMallocTrim(0)
        #endif
        let lifecycle = PodLifecycle(cluster: cluster, runControllers: configuration.podLifecycle, root: volumeRoot)
        let guards = RequestGuards(rateLimit: configuration.rateLimit, failRate: configuration.failRate, failSeed: configuration.failSeed)
        let address = Mutex<String>("\(configuration.host):\(configuration.port)")
        let responder = APIResponder(cluster: cluster, configuration: configuration, guards: guards, podsRoot: lifecycle.podsDirectory,
                                     serverAddress: { address.withLock { $0 } })
        let server = try ServerFactory.make(responder: responder, certificates: certificates, configuration: configuration)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var quietLogger = logger
        quietLogger.logLevel = .critical  // cancelling the server on stop() is expected, not an error
        let app = Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quietLogger)
        let task = Task { try await app.run() }
        var port = 0
        for await value in portStream { port = value }
        guard port != 0 else {
            task.cancel()
            _ = try await task.value
            throw KubeSimError.startFailed("the server did not start")
        }
        address.withLock { $0 = "\(configuration.host):\(port)" }
        let scheme = configuration.tls ? "https" : "http"
        return KubeSimServer(url: "\(scheme)://\(configuration.host):\(port)", port: port, certificates: certificates,
                             volumeRoot: volumeRoot, ownsVolumeRoot: configuration.volumeRoot == nil, configuration: configuration,
                             cluster: cluster, task: task, lifecycle: lifecycle)
    }

    /// Stops serving: ends open watches, saves state when a data directory is configured.
    public func stop() async {
        lifecycle.stop()
        let continuations = cluster.withState { state in
            let all = state.watchers.values.map(\.continuation)
            state.watchers.removeAll()
            return all
        }
        for continuation in continuations { continuation.finish() }
        if let dataDirectory = configuration.dataDirectory {
            try? StatePersistence.save(cluster, to: dataDirectory)
        }
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        _ = try? await running?.value
        if ownsVolumeRoot { try? FileManager.default.removeItem(atPath: volumeRoot) }
    }

    /// A kubeconfig for this server: a bearer token (the first configured one unless given), else the
    /// generated client certificate when client-certificate auth is on; the CA when TLS is on.
    public func kubeconfig(token: String? = nil, namespace: String = "default") -> String {
        var cluster = "    server: \(url)\n"
        if let ca = caCertificatePEM { cluster += "    certificate-authority-data: \(Data(ca.utf8).base64EncodedString())\n" }
        var user = ""
        if let token = token ?? configuration.tokens.first {
            user = "    token: \(token)\n"
        } else if configuration.clientCertificateAuthentication, let cert = clientCertificatePEM, let key = clientKeyPEM {
            user = "    client-certificate-data: \(Data(cert.utf8).base64EncodedString())\n    client-key-data: \(Data(key.utf8).base64EncodedString())\n"
        }
        return """
            apiVersion: v1
            kind: Config
            current-context: kubesim
            clusters:
            - name: kubesim
              cluster:
            \(cluster)contexts:
            - name: kubesim
              context:
                cluster: kubesim
                user: kubesim
                namespace: \(namespace)
            users:
            - name: kubesim
              user:
            \(user.isEmpty ? "    {}\n" : user)
            """
    }

    /// Writes `kubeconfig(token:)` to `path` with owner-only permissions (it may hold a secret).
    public func writeKubeconfig(to path: String, token: String? = nil) throws {
        let url = URL(fileURLWithPath: path)
        try Data(kubeconfig(token: token).utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    // MARK: Test knobs

    /// Makes every continue token issued so far answer 410 Expired, as after an etcd compaction.
    public func expireContinueTokens() {
        cluster.withState { $0.compactedRevision = $0.revision + 1 }
    }

    /// The current global resourceVersion.
    public var resourceVersion: UInt64 { cluster.withState { $0.revision } }

    /// Number of stored objects in all resources.
    public var objectCount: Int { cluster.withState { $0.tables.values.reduce(0) { $0 + $1.count } } }
}

/// Startup failures.
public enum KubeSimError: Error, CustomStringConvertible {
    case startFailed(String)
    case invalidManifest(String)

    public var description: String {
        switch self {
        case .startFailed(let reason): "kubesim failed to start: \(reason)"
        case .invalidManifest(let reason): "invalid manifest: \(reason)"
        }
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (declared in `<malloc.h>`, which the Glibc module does not expose).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
