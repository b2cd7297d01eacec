import ArgumentParser
import Foundation
import KubeSim

@main
struct KubeSimMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubesim", abstract: "A Kubernetes API emulator that the real kubectl accepts.")

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen = "127.0.0.1:0"

    @Option(help: "Write a kubeconfig for this server to FILE.")
    var kubeconfigOut: String?

    @Option(help: "A bearer token with full access (repeatable). Without tokens, authentication is off.")
    var token: [String] = []

    @Option(help: "A bearer token that may only get, list and watch (repeatable).")
    var readOnlyToken: [String] = []

    @Flag(help: "Serve HTTPS with a generated CA and server certificate (the kubeconfig carries the CA).")
    var tls = false

    @Flag(help: "With --tls, require a client certificate signed by the generated CA (written into the kubeconfig).")
    var clientCertAuth = false

    @Flag(help: "Simulate kubelet and controllers: pods become Running and Ready, workloads get pods.")
    var podLifecycle = false

    @Option(help: "Directory for pod sandboxes and volume directories (kubelet layout).")
    var volumeRoot: String?

    @Option(help: "Apply every YAML manifest in DIR at start (namespaces and CRDs first).")
    var seed: String?

    @Option(help: "Load state from DIR at start and save it there on shutdown.")
    var dataDir: String?

    @Option(help: "Milliseconds of latency added to every API request.")
    var latency: Int = 0

    @Option(help: "Requests per second above which the server answers 429 with Retry-After.")
    var rateLimit: Int?

    @Option(help: "Probability (0-1) of an injected 500/503 on resource requests.")
    var failRate: Double = 0

    @Option(help: "Seed for fault injection.")
    var failSeed: UInt64 = 1

    func validate() throws {
        guard listen.split(separator: ":").count == 2, Int(listen.split(separator: ":")[1]) != nil else {
            throw ValidationError("--listen must be HOST:PORT")
        }
        if clientCertAuth && !tls { throw ValidationError("--client-cert-auth needs --tls") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
    }

    func run() async throws {
        let parts = listen.split(separator: ":")
        let config = KubeSimConfiguration(
            host: String(parts[0]), port: Int(parts[1])!, tokens: token, readOnlyTokens: readOnlyToken, tls: tls,
            clientCertificateAuthentication: clientCertAuth, latency: .milliseconds(latency), rateLimit: rateLimit,
            failRate: failRate, failSeed: failSeed, podLifecycle: podLifecycle, volumeRoot: volumeRoot,
            dataDirectory: dataDir, seedDirectory: seed)
        let server = try await KubeSimServer.start(config)
        if let kubeconfigOut { try server.writeKubeconfig(to: kubeconfigOut) }
        // One parseable line on stdout, written unbuffered so a parent process sees it at once.
        FileHandle.standardOutput.write(Data("kubesim listening on \(server.url)\n".utf8))
        await ShutdownSignal.wait()
        await server.stop()
    }
}
