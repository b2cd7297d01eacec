import Crypto
import Foundation
import LifeboatObjectStore
import Logging
import NIOCore
import Synchronization
import Testing

/// The S3 store against moto over real HTTPS (signature checking on), with a certificate from a CA made for the test run:
/// trusted through the configured CA bundle or with verification skipped, rejected with a typed error otherwise.
@Suite struct S3TLSTests {
    static let mebibyte = 1024 * 1024

    @Test func everyOperationWorksWithTheCABundle() async throws {
        try await Self.withTLSStore(label: "tlsca", trust: .testCA) { store, _ in
            let small = ByteBuffer(string: "over TLS, verified against the bundle")
            #expect(try await store.put(key: "tls/small.txt", bytes: small).parts == 1)

            // Two full 8 MiB parts and a short third, streamed in uneven chunks.
            let generated = GeneratedBytes(size: 2 * S3Configuration.minimumPartSize + 3 * Self.mebibyte + 17, seed: 41)
            var expected = ByteBuffer()
            for try await chunk in generated { expected.writeImmutableBuffer(chunk) }
            let result = try await store.put(key: "tls/multi/object.bin", body: generated)
            #expect(result.parts == 3)
            #expect(result.size == Int64(generated.size))

            #expect(try await store.getBytes(key: "tls/small.txt") == small)
            let download = try await store.get(key: "tls/multi/object.bin")
            #expect(download.info.size == Int64(generated.size))
            #expect(download.info.etag.hasSuffix("-3"))
            var hasher = SHA256()
            for try await chunk in download.body { hasher.update(data: chunk.readableBytesView) }
            #expect(hasher.finalize().map { String(format: "%02x", $0) }.joined() == (try await generated.sha256()))

            // A range across the boundary of the first two parts.
            let offset = S3Configuration.minimumPartSize - 100
            let ranged = try await store.get(key: "tls/multi/object.bin", range: ByteRange(offset: Int64(offset), length: 300))
            #expect(ranged.range == Int64(offset)..<Int64(offset + 300))
            #expect(try await ranged.body.collect(upTo: 1024) == expected.getSlice(at: offset, length: 300))

            let page = try await store.list(prefix: "tls/", delimiter: "/", maxKeys: 100, continuationToken: nil)
            #expect(page.objects.map(\.key) == ["tls/small.txt"])
            #expect(page.commonPrefixes == ["tls/multi/"])
            #expect(try await store.listAll(prefix: "tls/").objects.map(\.size) == [Int64(generated.size), Int64(small.readableBytes)])

            try await store.delete(key: "tls/small.txt")
            #expect(try await store.delete(keys: ["tls/multi/object.bin"]).isEmpty)
            #expect(try await store.listAll(prefix: "tls/").objects.isEmpty)
        }
    }

    /// By name the client also sends SNI, which it leaves out for an IP address.
    @Test func theServerCanBeReachedByItsHostName() async throws {
        try await Self.withTLSStore(label: "tlsname", trust: .testCA, host: "localhost") { store, _ in
            try await store.put(key: "named.txt", bytes: ByteBuffer(string: "by name"))
            #expect(String(buffer: try await store.getBytes(key: "named.txt")) == "by name")
        }
    }

    @Test(arguments: [Trust.systemRoots, .unrelatedCA])
    func anUntrustedCertificateIsATypedErrorAtOnceAndWithoutCredentials(trust: Trust) async throws {
        let logs = CapturedLogs()
        // A short connect timeout bounds how long the HTTP client keeps redoing the refused handshake.
        try await Self.withTLSStore(label: "tlsuntrusted", trust: trust, connectTimeout: .seconds(1), logs: logs) { store, moto in
            let expected = ObjectStoreError.untrustedCertificate(
                endpoint: "127.0.0.1:\(moto.url.port ?? 443)",
                reason: trust == .systemRoots
                    ? "it does not verify against the system's trusted CAs; set the CA bundle (caCert) to the CA that signed it"
                    : "it does not verify against the configured CA bundle (caCert)")
            for operation in ["put", "multipart put", "get", "list"] {
                let error = await #expect(throws: expected, "\(operation)") {
                    switch operation {
                    case "put": try await store.put(key: "k", bytes: ByteBuffer(string: "v"))
                    case "multipart put": try await store.put(key: "big", body: GeneratedBytes(size: 9 * Self.mebibyte, seed: 3))
                    case "get": _ = try await store.get(key: "k")
                    default: _ = try await store.list(prefix: "", delimiter: "/", maxKeys: 10, continuationToken: nil)
                    }
                }
                for text in [String(describing: error), String(reflecting: error), error.map { "\($0.lifeboatError)" } ?? ""] {
                    #expect(text.contains("TLS certificate"))
                    #expect(!text.contains(moto.secretAccessKey))
                    #expect(!text.contains(moto.accessKeyID))
                }
            }
        }
        // Not retried: the same certificate would be refused again.
        #expect(!logs.all.contains("retrying"))
        #expect(!logs.all.contains(try await TLSMotoServer.shared.running().moto.secretAccessKey))
    }

    @Test func skippingVerificationWorksWithoutACABundle() async throws {
        try await Self.withTLSStore(label: "tlsskip", trust: .skipVerification) { store, _ in
            try await store.put(key: "skip/a.txt", bytes: ByteBuffer(string: "unverified but encrypted"))
            #expect(String(buffer: try await store.getBytes(key: "skip/a.txt", range: ByteRange(offset: 15))) == "encrypted")
            #expect(try await store.listAll(prefix: "skip/").objects.map(\.key) == ["skip/a.txt"])
            try await store.delete(key: "skip/a.txt")
            #expect(try await store.exists(key: "skip/a.txt") == false)
        }
    }

    @Test func aWrongSecretIsStillSignatureDoesNotMatchOverTLS() async throws {
        let wrongSecret = "not-the-secret-over-tls-0123456789abcdefgh"
        try await Self.withTLSStore(label: "tlswrongsecret", trust: .testCA, secret: wrongSecret) { store, _ in
            let source = "static keys of test location tlswrongsecret"
            let error = await #expect(throws: ObjectStoreError.signatureDoesNotMatch(bucket: store.configuration.bucket, credentialSource: source)) {
                try await store.put(key: "k", bytes: ByteBuffer(string: "v"))
            }
            #expect(!String(reflecting: error).contains(wrongSecret))
        }
    }

    // MARK: - Fixture

    /// Which certificates the client trusts.
    enum Trust: Sendable, CustomTestStringConvertible {
        /// The CA that signed moto's certificate, as the PEM bundle (`caCert`).
        case testCA
        /// No bundle: the system roots, which do not know the test CA.
        case systemRoots
        /// A bundle with a CA that did not sign moto's certificate.
        case unrelatedCA
        /// No bundle, verification off (`insecureSkipTLSVerify`).
        case skipVerification

        var testDescription: String {
            switch self {
            case .testCA: "the test CA"
            case .systemRoots: "the system roots"
            case .unrelatedCA: "an unrelated CA"
            case .skipVerification: "no verification"
            }
        }
    }

    /// An S3 store on its own new bucket of the HTTPS moto; shut down when `body` returns.
    static func withTLSStore<T>(
        label: String, trust: Trust, secret: String? = nil, host: String = "127.0.0.1", connectTimeout: Duration = .seconds(10),
        logs: CapturedLogs? = nil, _ body: (S3ObjectStore, MotoEndpoint) async throws -> T
    ) async throws -> T {
        let tls = try await TLSMotoServer.shared.running()
        let moto = tls.moto
        let bucket = TestSupport.uniqueBucket(label)
        try await TestSupport.withStore(S3Configuration(
            bucket: bucket, endpoint: moto.url, forcePathStyle: true,
            credentials: .staticKeys(S3Credentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey, source: "moto test key")),
            caBundlePEM: tls.caPEM
        )) { try await $0.createBucket() }

        var endpoint = try #require(URLComponents(url: moto.url, resolvingAgainstBaseURL: false))
        endpoint.host = host
        let caBundle: String? =
            switch trust {
            case .testCA: tls.caPEM
            case .unrelatedCA: tls.unrelatedCAPEM
            case .systemRoots, .skipVerification: nil
            }
        let configuration = S3Configuration(
            bucket: bucket, endpoint: try #require(endpoint.url), forcePathStyle: true,
            credentials: .staticKeys(S3Credentials(
                accessKeyID: moto.accessKeyID, secretAccessKey: secret ?? moto.secretAccessKey, source: "static keys of test location \(label)")),
            caBundlePEM: caBundle, insecureSkipTLSVerify: trust == .skipVerification,
            retryBaseDelay: .milliseconds(20), retryMaxDelay: .milliseconds(500), connectTimeout: connectTimeout)
        return try await TestSupport.withStore(configuration, logger: logs?.logger() ?? TestSupport.logger) { try await body($0, moto) }
    }
}

/// Every line a logger wrote, with its metadata, for tests that check what was (not) logged.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "lifeboat.objectstore.tests.captured") { _ in Handler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    private struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
        }
    }
}

/// One moto over HTTPS for this test process, with a server certificate from a CA generated on first use.
actor TLSMotoServer {
    static let shared = TLSMotoServer()

    struct Running: Sendable {
        var moto: MotoEndpoint
        /// The CA that signed the server's certificate (SAN `IP:127.0.0.1`, `DNS:localhost`).
        var caPEM: String
        /// A CA that signed nothing the server presents.
        var unrelatedCAPEM: String
    }

    private var launch: Task<Running, any Error>?
    /// Held so that the launcher's stdin stays open, and moto running, until the process exits.
    private var server: MotoServer?

    func running() async throws -> Running {
        if let launch { return try await launch.value }
        let task = Task { try await self.start() }
        launch = task
        return try await task.value
    }

    private func start() async throws -> Running {
        let directory = try TestSupport.temporaryDirectory()
        // The launcher has loaded the certificate and key by the time it prints its endpoint.
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) async throws {
            try await ChildProcess.run(["openssl"] + arguments, timeout: .seconds(60))
        }
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "unrelated-ca"] {
            try await openssl(["req", "-x509"] + newKey + [
                "-keyout", file("\(ca).key"), "-out", file("\(ca).pem"), "-days", "2", "-subj", "/CN=Lifeboat test \(ca) \(UUID().uuidString)",
            ])
        }
        try await openssl(["req", "-new"] + newKey + ["-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"])
        try """
            subjectAltName = IP:127.0.0.1, DNS:localhost
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth

            """.write(toFile: file("server.ext"), atomically: true, encoding: .utf8)
        try await openssl([
            "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-set_serial", "1", "-days", "2",
            "-extfile", file("server.ext"), "-out", file("server.pem"),
        ])
        let server = MotoServer(tls: (certFile: file("server.pem"), keyFile: file("server.key")))
        self.server = server
        return Running(
            moto: try await server.endpoint(), caPEM: try String(contentsOfFile: file("ca.pem"), encoding: .utf8),
            unrelatedCAPEM: try String(contentsOfFile: file("unrelated-ca.pem"), encoding: .utf8))
    }
}
