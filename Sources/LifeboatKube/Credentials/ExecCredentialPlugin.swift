import Foundation

/// Runs a kubeconfig `exec` credential plugin (`client.authentication.k8s.io/v1`) and reads its answer.
///
/// The plugin gets `KUBERNETES_EXEC_INFO` with `interactive: false` (a server has no terminal) and must
/// print an `ExecCredential`. Its stderr and stdout are never put into errors: plugins print tokens.
struct ExecCredentialPlugin: Sendable {
    struct Credential: Sendable {
        var token: String?
        var clientCertificatePEM: [UInt8]?
        var clientKeyPEM: [UInt8]?
        var expiration: Date?
    }

    let config: KubeConfig.ExecConfig
    /// Relative commands with a `/` resolve against the kubeconfig's directory, as in client-go.
    let baseDirectory: String?
    let timeout: Duration

    func run() async throws -> Credential {
        let process = Process()
        process.executableURL = try resolveExecutable()
        process.arguments = config.args ?? []
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        let apiVersion = config.apiVersion ?? "client.authentication.k8s.io/v1"
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice

        // Exit is awaited through an AsyncStream so the wait can race the timeout without blocking a thread.
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw KubernetesError.credentials("exec plugin \(config.command) could not be started")
        }
        let timeout = self.timeout
        let exitStatus: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await status in exits { return status }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let status = exitStatus else {
            process.terminate()
            throw KubernetesError.credentials("exec plugin \(config.command) did not finish within \(timeout)")
        }
        // Credentials are a few kilobytes, far below a pipe's buffer, so reading after exit cannot deadlock.
        let bytes = Array((try? output.fileHandleForReading.readToEnd()) ?? Data())
        guard status == 0 else {
            throw KubernetesError.credentials("exec plugin \(config.command) exited with status \(status)")
        }
        return try parse(bytes)
    }

    func parse(_ bytes: [UInt8]) throws -> Credential {
        guard let document = try? JSONParser.parse(bytes), document["kind"]?.stringValue == "ExecCredential",
            let status = document["status"]
        else {
            throw KubernetesError.credentials("exec plugin \(config.command) did not print an ExecCredential")
        }
        var credential = Credential()
        credential.token = status["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        credential.clientCertificatePEM = status["clientCertificateData"]?.stringValue.map { Array($0.utf8) }
        credential.clientKeyPEM = status["clientKeyData"]?.stringValue.map { Array($0.utf8) }
        if let stamp = status["expirationTimestamp"]?.stringValue {
            guard let date = try? Date(stamp, strategy: .iso8601) else {
                throw KubernetesError.credentials("exec plugin \(config.command) printed an invalid expirationTimestamp")
            }
            credential.expiration = date
        }
        guard credential.token != nil || credential.clientCertificatePEM != nil else {
            throw KubernetesError.credentials("exec plugin \(config.command) returned neither a token nor a certificate")
        }
        return credential
    }

    private func resolveExecutable() throws -> URL {
        let command = config.command
        if command.hasPrefix("/") { return URL(fileURLWithPath: command) }
        if command.contains("/") {
            let base = baseDirectory ?? FileManager.default.currentDirectoryPath
            return URL(fileURLWithPath: base).appendingPathComponent(command)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw KubernetesError.credentials("exec plugin \(command) was not found in PATH")
    }
}
