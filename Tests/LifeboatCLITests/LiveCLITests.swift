import LifeboatCore
import Foundation
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
import LifeboatServer
import Logging
import Testing

/// Fixed tokens for the live server, one per role.
struct LiveTokens: TokenAuthenticator {
    static let admin = "live-admin"
    static let viewer = "live-viewer"

    func authenticate(token: String) async throws -> Identity? {
        switch token {
        case Self.admin: Identity(name: "admin", role: .admin)
        case Self.viewer: Identity(name: "viewer", role: .viewer)
        default: nil
        }
    }
}

/// What one run of the `lifeboat` binary did.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `lifeboat` binary against the real HTTP stack on an ephemeral port.
///
/// Each harness has its own config path and HOME in a fresh temp directory, so tests running in parallel never
/// share a file or an environment variable.
struct CLIHarness {
    let directory: String
    let port: Int
    var server: String { "http://127.0.0.1:\(port)" }

    /// The `lifeboat` executable next to the test bundle (`swift build` puts every product there).
    static var binary: URL {
        let testBinaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [testBinaryDirectory, testBinaryDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("lifeboat")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/lifeboat")
    }

    /// Runs `lifeboat` with `arguments`; the environment holds only what the test gives it.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLIResult {
        let environment = ["HOME": directory, "LIFEBOAT_CONFIG": directory + "/config.yaml", "PATH": "/usr/bin:/bin"]
            .merging(extra) { _, new in new }
        return try await runProgram(Self.binary.path, arguments, directory: directory, environment: environment)
    }

    /// `run` as admin against this server.
    func admin(_ arguments: [String]) async throws -> CLIResult {
        try await run(["--server", server, "--token", LiveTokens.admin] + arguments)
    }
}

/// Starts the application with ``TestCatalogAPI`` on port 0 and hands the test a harness.
func withLiveServer(_ body: @escaping @Sendable (CLIHarness, TestCatalogAPI) async throws -> Void) async throws {
    let api = TestCatalogAPI()
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "cli-test")
    logger.logLevel = .critical
    var configuration = ServerConfiguration()
    configuration.port = 0
    let app = try buildApplication(
        configuration: configuration, dependencies: HTTPDependencies(authenticator: LiveTokens(), api: api), logger: logger)
    try await app.test(.live) { client in
        let port = try #require(client.port)
        try await body(CLIHarness(directory: directory, port: port), api)
    }
}

@Suite(.timeLimit(.minutes(2))) struct LiveCLITests {
    @Test func backupCreateWaitPrintsTheFinishedObjectAsJSON() async throws {
        try await withLiveServer { cli, api in
            let kubeconfig = cli.directory + "/kubeconfig"
            try "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: KUBE-SECRET}}]\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            let added = try await cli.admin(["cluster", "add", "prod", "--kubeconfig", kubeconfig, "-o", "json"])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(!added.stdout.contains("KUBE-SECRET"))
            let cluster = try JSONDecoder().decode(ClusterProbe.self, from: Data(added.stdout.utf8))
            #expect(cluster.status.phase == "Ready")
            #expect(api.store.receivedClusters.first?.spec.kubeconfig?.contains("KUBE-SECRET") == true)

            let created = try await cli.admin([
                "backup", "create", "nightly", "--cluster", "prod", "--storage-location", "default",
                "--include-namespaces", "shop,db", "--include-cluster-resources=false", "-l", "app=web", "--ttl", "24h", "--wait", "-o", "json",
            ])
            #expect(created.status == 0, "\(created.stderr)")
            let backup = try JSONDecoder().decode(BackupProbe.self, from: Data(created.stdout.utf8))
            #expect(backup.metadata.name == "nightly")
            #expect(backup.status.phase == "Completed")
            let stored = try #require(api.store.backup(named: "nightly"))
            #expect(stored.spec.includedNamespaces == ["shop", "db"])
            #expect(stored.spec.includeClusterResources == false)
            #expect(stored.spec.labelSelector?.matchLabels?.additionalProperties == ["app": "web"])
        }
    }

    @Test func tablesYamlAndLogs() async throws {
        try await withLiveServer { cli, _ in
            let kubeconfig = cli.directory + "/kubeconfig"
            try "apiVersion: v1\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            #expect(try await cli.admin(["cluster", "add", "prod", "--kubeconfig", kubeconfig]).status == 0)
            #expect(try await cli.admin(["backup", "create", "a", "--cluster", "prod"]).stdout.contains("Backup request \"a\" submitted successfully."))

            let table = try await cli.admin(["backup", "get"])
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("NAME   CLUSTER   STATUS") == true)
            #expect(lines.count == 2)

            let yaml = try await cli.admin(["backup", "get", "a", "-o", "yaml"])
            #expect(yaml.stdout.contains("name: a"))
            #expect(yaml.stdout.contains("phase: Completed"))

            let logs = try await cli.admin(["backup", "logs", "a"])
            #expect(logs.stdout == "level=info msg=\"Backup completed\" backup=a\n")

            let describe = try await cli.admin(["backup", "describe", "a"])
            #expect(describe.stdout.contains("Phase:"))
            #expect(describe.stdout.contains("Completed"))
        }
    }

    @Test func problemsPrintOneLineAndExitNonZero() async throws {
        try await withLiveServer { cli, _ in
            let missing = try await cli.admin(["backup", "get", "ghost"])
            #expect(missing.status != 0)
            #expect(missing.stderr == "Error: Not Found (404): backup 'ghost' does not exist\n")

            let invalid = try await cli.admin(["backup", "create", "Bad_Name", "--cluster", "prod"])
            #expect(invalid.status != 0)
            #expect(invalid.stderr == "Error: Unprocessable Content (422): metadata.name: must be a DNS-1123 label\n")

            let anonymous = try await cli.run(["--server", cli.server, "backup", "get"])
            #expect(anonymous.status != 0)
            #expect(anonymous.stderr == "Error: Unauthorized (401): missing bearer token\n")

            let viewer = try await cli.run(["--server", cli.server, "--token", LiveTokens.viewer, "token", "create", "x", "--role", "admin"])
            #expect(viewer.status != 0)
            #expect(viewer.stderr.hasPrefix("Error: Forbidden (403): role viewer may not write tokens"))
            #expect(viewer.stderr.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test func unreachableServerIsOneLine() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let result = try await CLIHarness(directory: directory, port: 1).admin(["backup", "get"])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("Error: "))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func tokenCreatePrintsTheSecretOnceInJSON() async throws {
        try await withLiveServer { cli, _ in
            let created = try await cli.admin(["token", "create", "ci", "--role", "viewer", "-o", "json"])
            #expect(created.status == 0, "\(created.stderr)")
            let token = try JSONDecoder().decode(TokenProbe.self, from: Data(created.stdout.utf8))
            #expect(token.token == "lbt_test_secret_ci")
            let listed = try await cli.admin(["token", "list"])
            #expect(listed.stdout.contains("ci"))
            #expect(!listed.stdout.contains("lbt_test_secret"))
            #expect(try await cli.admin(["token", "revoke", "ci"]).status == 0)
        }
    }

    @Test func backupLocationSendsCredentialsButNeverShowsThem() async throws {
        try await withLiveServer { cli, api in
            let credentials = cli.directory + "/credentials-velero"
            try "[default]\naws_access_key_id = minio\naws_secret_access_key = S3-SECRET-123\n".write(toFile: credentials, atomically: true, encoding: .utf8)
            let created = try await cli.admin([
                "backup-location", "create", "default", "--provider", "s3", "--bucket", "velero",
                "--config", "region=minio,s3Url=http://127.0.0.1:9000,s3ForcePathStyle=true", "--credentials-file", credentials, "--default", "-o", "json",
            ])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(!created.stdout.contains("S3-SECRET-123"))
            let location = try JSONDecoder().decode(LocationProbe.self, from: Data(created.stdout.utf8))
            #expect(location.status.phase == "Available")
            #expect(api.store.receivedLocations.first?.spec.credential?.awsSharedCredentials?.contains("S3-SECRET-123") == true)

            let set = try await cli.admin(["backup-location", "set", "default", "--access-mode", "ReadOnly"])
            #expect(set.status == 0, "\(set.stderr)")
            let table = try await cli.admin(["backup-location", "get"])
            #expect(table.stdout.contains("ReadOnly"))
            #expect(table.stdout.contains("velero"))
        }
    }

    @Test func restoreCreateWaitsAndDefaultsItsName() async throws {
        try await withLiveServer { cli, api in
            let kubeconfig = cli.directory + "/kubeconfig"
            try "apiVersion: v1\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            #expect(try await cli.admin(["cluster", "add", "prod", "--kubeconfig", kubeconfig]).status == 0)
            #expect(try await cli.admin(["backup", "create", "b1", "--cluster", "prod", "--wait"]).status == 0)
            let restored = try await cli.admin([
                "restore", "create", "--from-backup", "b1", "--namespace-mappings", "shop:shop2", "--existing-resource-policy", "update", "--wait",
            ])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("Restore completed with status: Completed"))
            let restores = api.store.allRestores()
            #expect(restores.count == 1)
            #expect(restores.first?.metadata.name.hasPrefix("b1-") == true)
            #expect(restores.first?.spec.namespaceMapping?.additionalProperties == ["shop": "shop2"])
        }
    }

    @Test func restoreDescribeCountsItemOutcomesAndDetailsListsThem() async throws {
        try await withLiveServer { cli, _ in
            let kubeconfig = cli.directory + "/kubeconfig"
            try "apiVersion: v1\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            #expect(try await cli.admin(["cluster", "add", "prod", "--kubeconfig", kubeconfig]).status == 0)
            #expect(try await cli.admin(["backup", "create", "b1", "--cluster", "prod", "--wait"]).status == 0)
            #expect(try await cli.admin(["restore", "create", "r1", "--from-backup", "b1"]).status == 0)

            let summary = try await cli.admin(["restore", "describe", "r1"])
            #expect(summary.status == 0, "\(summary.stderr)")
            #expect(summary.stdout.contains("Items: 2 created, 1 failed\n"))
            #expect(!summary.stdout.contains("RESOURCE"))

            let details = try await cli.admin(["restore", "describe", "r1", "--details"])
            #expect(details.status == 0, "\(details.stderr)")
            let lines = details.stdout.split(separator: "\n").map(String.init)
            let header = try #require(lines.firstIndex { $0.hasPrefix("RESOURCE") })
            #expect(lines[header - 1] == "Restore Items:")
            #expect(lines[header].hasPrefix("RESOURCE           NAMESPACE   TARGET NAMESPACE   NAME       OUTCOME   REASON"))
            #expect(lines[header + 3].hasPrefix("configmaps         shop        shop2              settings   failed    admission webhook"))
        }
    }

    @Test func configFileSuppliesServerAndToken() async throws {
        try await withLiveServer { cli, _ in
            let set = try await cli.run(["config", "set", "server=\(cli.server)", "token=\(LiveTokens.admin)"])
            #expect(set.status == 0, "\(set.stderr)")
            let version = try await cli.run(["version"])
            #expect(version.status == 0, "\(version.stderr)")
            #expect(version.stdout.contains("9.9.9-test"))
            #expect(version.stdout.contains("admin (admin)"))
            let get = try await cli.run(["config", "get"])
            #expect(get.stdout.contains("token: <set>"))
            #expect(!get.stdout.contains(LiveTokens.admin))
            // The environment overrides the file.
            let anonymous = try await cli.run(["version"], environment: ["LIFEBOAT_TOKEN": "wrong"])
            #expect(anonymous.stderr == "Error: Unauthorized (401): invalid or revoked token\n")
        }
    }
}

/// Just the fields tests read from `-o json` output, decoded independently of the generated types.
struct ClusterProbe: Decodable { struct Status: Decodable { var phase: String }; var status: Status }
struct LocationProbe: Decodable { struct Status: Decodable { var phase: String }; var status: Status }
struct BackupProbe: Decodable {
    struct Metadata: Decodable { var name: String }
    struct Status: Decodable { var phase: String }
    var metadata: Metadata
    var status: Status
}
struct TokenProbe: Decodable { var token: String }
