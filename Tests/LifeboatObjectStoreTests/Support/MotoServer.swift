import Foundation
import LifeboatObjectStore
import Logging

/// How to reach the moto server and the IAM key it accepts.
struct MotoEndpoint: Sendable {
    var url: URL
    var accessKeyID: String
    var secretAccessKey: String

    /// Environment for boto3 and the aws CLI, isolated from any configuration of the machine.
    func environment(home: URL) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_DEFAULT_REGION": "us-east-1",
            "S3_ENDPOINT": url.absoluteString, "HOME": home.path, "AWS_CONFIG_FILE": home.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("credentials").path, "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }
}

/// A moto server (signature checking on), started on first use; ``shared`` serves plain HTTP to the whole test process.
///
/// Tests isolate themselves with their own bucket. The launcher script exits when our end of its stdin
/// closes, which happens when this process exits, so no moto outlives the test run.
actor MotoServer {
    static let shared = MotoServer()

    /// PEM certificate (chain) and private key to serve HTTPS with; nil serves plain HTTP.
    let tls: (certFile: String, keyFile: String)?
    private var launch: Task<MotoEndpoint, any Error>?
    private var child: ChildProcess?

    /// - Parameter tls: Files the launcher reads once at start-up; they may be removed once ``endpoint()`` returned.
    init(tls: (certFile: String, keyFile: String)? = nil) {
        self.tls = tls
    }

    func endpoint() async throws -> MotoEndpoint {
        if let launch { return try await launch.value }
        let task = Task { try await self.start() }
        launch = task
        return try await task.value
    }

    private func start() async throws -> MotoEndpoint {
        var arguments = ["python3", TestSupport.script("moto_launcher.py")]
        if let tls { arguments += ["--ssl-cert", tls.certFile, "--ssl-key", tls.keyFile] }
        let child = try ChildProcess(arguments)
        self.child = child
        let line = try await child.firstLine(timeout: .seconds(180))
        struct Launched: Decodable {
            var endpoint: String
            var accessKeyId: String
            var secretAccessKey: String
        }
        let launched = try JSONDecoder().decode(Launched.self, from: Data(line.utf8))
        return MotoEndpoint(url: URL(string: launched.endpoint)!, accessKeyID: launched.accessKeyId, secretAccessKey: launched.secretAccessKey)
    }
}

enum TestSupport {
    /// Path of a helper script in Tests/LifeboatObjectStoreTests/Support.
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// A bucket name no other test uses.
    static func uniqueBucket(_ label: String) -> String {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return "lb-\(label)-\(suffix)"
    }

    /// A fresh temp directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-objectstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Logs only critical events: tests stay quiet without a no-op handler (style.md §12).
    static var logger: Logger {
        var logger = Logger(label: "lifeboat.objectstore.tests")
        logger.logLevel = .critical
        return logger
    }

    /// An S3 store on its own new bucket of the shared moto; shut down when `body` returns.
    @discardableResult
    static func withS3Store<T>(
        label: String, endpoint override: URL? = nil, secret: String? = nil, partSize: Int = S3Configuration.minimumPartSize,
        maxPartsInFlight: Int = 3, objectLock: Bool = false, createBucket: Bool = true,
        _ body: (S3ObjectStore, MotoEndpoint) async throws -> T
    ) async throws -> T {
        let moto = try await MotoServer.shared.endpoint()
        let bucket = uniqueBucket(label)
        if createBucket {
            try await withStore(S3Configuration(
                bucket: bucket, endpoint: moto.url, forcePathStyle: true,
                credentials: .staticKeys(S3Credentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey, source: "moto test key"))
            )) { try await $0.createBucket(objectLockEnabled: objectLock) }
        }
        let configuration = S3Configuration(
            bucket: bucket, endpoint: override ?? moto.url, forcePathStyle: true,
            credentials: .staticKeys(S3Credentials(
                accessKeyID: moto.accessKeyID, secretAccessKey: secret ?? moto.secretAccessKey, source: "static keys of test location \(label)")),
            partSize: partSize, maxPartsInFlight: maxPartsInFlight, retryBaseDelay: .milliseconds(20), retryMaxDelay: .milliseconds(500))
        return try await withStore(configuration) { try await body($0, moto) }
    }

    @discardableResult
    static func withStore<T>(
        _ configuration: S3Configuration, logger: Logger = TestSupport.logger, _ body: (S3ObjectStore) async throws -> T
    ) async throws -> T {
        let store = try S3ObjectStore(configuration: configuration, logger: logger)
        do {
            let result = try await body(store)
            try await store.shutdown()
            return result
        } catch {
            try? await store.shutdown()
            throw error
        }
    }

    /// Runs the boto3 helper against moto with the test key.
    @discardableResult
    static func boto3(_ arguments: [String], moto: MotoEndpoint, home: URL) async throws -> String {
        try await ChildProcess.run(["python3", script("s3_interop.py")] + arguments, environment: moto.environment(home: home))
    }
}
