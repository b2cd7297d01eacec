import Foundation
import Hummingbird
import HummingbirdTesting
import LifeboatServer
import Logging
import Testing

/// The built `lifeboat` binary against the real server composition (`buildServer`): catalog on disk, sealed
/// credentials, the bootstrap admin token, the worker pool and its check jobs.
@Suite(.timeLimit(.minutes(2))) struct RealServerCLITests {
    /// Starts `buildServer` on port 0 with a fresh data directory and runs `body` with a harness and the admin token.
    static func withRealServer(_ body: @escaping @Sendable (CLIHarness, String) async throws -> Void) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "cli-real-server")
        logger.logLevel = .critical
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = directory + "/data"
        configuration.workers = 2
        configuration.webAssetsDirectory = nil
        configuration.openAPISpecPath = nil
        let app = try await buildServer(configuration: configuration, metrics: nil, logger: logger)
        let adminToken = try String(contentsOfFile: directory + "/data/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(CLIHarness(directory: directory, port: port), adminToken)
        }
    }

    /// Polls `lifeboat <arguments> -o json` until `.status.phase` is one of `phases`.
    static func waitForPhase(_ cli: CLIHarness, token: String, _ arguments: [String], in phases: Set<String>) async throws -> String {
        while true {
            let result = try await cli.run(["--server", cli.server, "--token", token] + arguments + ["-o", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let status = try JSONDecoder().decode(CheckedStatusProbe.self, from: Data(result.stdout.utf8)).status
            // A location shows Unavailable until its first validation (Velero's default), so wait for the check itself.
            let checked = status.lastValidationTime != nil || status.lastCheckTime != nil
            if checked, let phase = status.phase, phases.contains(phase) { return phase }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls `lifeboat backup get NAME -o json` until the backup has finished; answers its phase.
    static func waitForFinish(_ cli: CLIHarness, token: String, _ name: String) async throws -> String {
        while true {
            let result = try await cli.run(["--server", cli.server, "--token", token, "backup", "get", name, "-o", "json"])
            let phase = try JSONDecoder().decode(BackupProbe.self, from: Data(result.stdout.utf8)).status.phase
            if ["Completed", "PartiallyFailed", "Failed"].contains(phase) { return phase }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func registerCheckValidateAndQueueABackupThroughTheCLI() async throws {
        try await Self.withRealServer { cli, admin in
            let run: @Sendable ([String]) async throws -> CLIResult = { try await cli.run(["--server", cli.server, "--token", admin] + $0) }
            // A cluster nothing answers for: the check job records it Unreachable with the reason.
            let tokenFile = cli.directory + "/cluster-token"
            try "cluster-bearer-1f8e\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let added = try await run(["cluster", "add", "prod", "--api-server", "http://127.0.0.1:1", "--token-file", tokenFile, "-o", "json"])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(!added.stdout.contains("cluster-bearer-1f8e"))
            #expect(try await Self.waitForPhase(cli, token: admin, ["cluster", "get", "prod"], in: ["Ready", "Unreachable"]) == "Unreachable")
            let described = try await run(["cluster", "describe", "prod"])
            #expect(described.status == 0)
            #expect(!described.stdout.contains("cluster-bearer-1f8e"))

            // A filesystem location in an existing directory is validated Available; one with a foreign
            // top-level directory is Unavailable, as Velero judges it.
            let root = cli.directory + "/bucket"
            try FileManager.default.createDirectory(atPath: root + "/backups", withIntermediateDirectories: true)
            #expect(try await run(["backup-location", "create", "local", "--provider", "filesystem", "--bucket", root, "--default"]).status == 0)
            #expect(try await Self.waitForPhase(cli, token: admin, ["backup-location", "get", "local"], in: ["Available", "Unavailable"]) == "Available")
            let foreign = cli.directory + "/foreign"
            try FileManager.default.createDirectory(atPath: foreign + "/photos", withIntermediateDirectories: true)
            // An object `photos/cat.jpg` as the filesystem store lays it out (object files carry a `%obj` suffix).
            try "jpeg".write(toFile: foreign + "/photos/cat.jpg%obj", atomically: true, encoding: .utf8)
            #expect(try await run(["backup-location", "create", "foreign", "--provider", "filesystem", "--bucket", foreign]).status == 0)
            #expect(try await Self.waitForPhase(cli, token: admin, ["backup-location", "get", "foreign"], in: ["Available", "Unavailable"]) == "Unavailable")

            // Backups are accepted and queued in phase New.
            let created = try await run(["backup", "create", "nightly", "--cluster", "prod", "--include-namespaces", "shop", "--ttl", "24h", "-o", "json"])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try JSONDecoder().decode(BackupProbe.self, from: Data(created.stdout.utf8)).status.phase == "New")
            let listed = try await run(["backup", "get"])
            #expect(listed.stdout.contains("nightly"))
            // Its job runs against the unreachable cluster: Failed, with the reason, and no token in it.
            #expect(try await Self.waitForFinish(cli, token: admin, "nightly") == "Failed")
            let failed = try await run(["backup", "describe", "nightly"])
            #expect(failed.stdout.contains("cannot reach") || failed.stdout.contains("connection"), "\(failed.stdout)")
            #expect(!failed.stdout.contains("cluster-bearer-1f8e"))

            // Errors: one readable line and a non-zero exit.
            let missing = try await run(["backup", "get", "ghost"])
            #expect(missing.status != 0)
            #expect(missing.stderr.split(separator: "\n").count == 1)
            #expect(missing.stderr.contains("backup 'ghost' does not exist"))
            let unknownCluster = try await run(["backup", "create", "orphan", "--cluster", "nowhere"])
            #expect(unknownCluster.status != 0)
            #expect(unknownCluster.stderr.contains("spec.cluster"))

            // A viewer token reads but cannot write.
            let issued = try await run(["token", "create", "reader", "--role", "viewer", "-o", "json"])
            #expect(issued.status == 0, "\(issued.stderr)")
            let viewer = try JSONDecoder().decode(TokenProbe.self, from: Data(issued.stdout.utf8)).token
            let read = try await cli.run(["--server", cli.server, "--token", viewer, "backup", "get", "nightly"])
            #expect(read.status == 0, "\(read.stderr)")
            let write = try await cli.run(["--server", cli.server, "--token", viewer, "backup", "create", "x", "--cluster", "prod"])
            #expect(write.status != 0)
            #expect(write.stderr.contains("403"))
            #expect(try await run(["token", "revoke", "reader"]).status == 0)
            let revoked = try await cli.run(["--server", cli.server, "--token", viewer, "backup", "get"])
            #expect(revoked.status != 0)
            #expect(revoked.stderr.contains("401"))
        }
    }

    @Test func scheduleTriggerQueuesABackupFromTheTemplateAndWaitReportsItsEnd() async throws {
        try await Self.withRealServer { cli, admin in
            let run: @Sendable ([String]) async throws -> CLIResult = { try await cli.run(["--server", cli.server, "--token", admin] + $0) }
            let tokenFile = cli.directory + "/cluster-token"
            try "t\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            #expect(try await run(["cluster", "add", "prod", "--api-server", "http://127.0.0.1:1", "--token-file", tokenFile]).status == 0)
            // Without a location the trigger is refused up front, naming the field.
            #expect(try await run(["schedule", "create", "nowhere", "--schedule", "@daily", "--cluster", "prod", "--paused"]).status == 0)
            let unplaced = try await run(["schedule", "trigger", "nowhere"])
            #expect(unplaced.status != 0)
            #expect(unplaced.stderr.contains("spec.template.storageLocation"), "\(unplaced.stderr)")
            try FileManager.default.createDirectory(atPath: cli.directory + "/bucket", withIntermediateDirectories: true)
            #expect(try await run(["backup-location", "create", "local", "--provider", "filesystem", "--bucket", cli.directory + "/bucket",
                                   "--default"]).status == 0)
            let created = try await run(["schedule", "create", "daily", "--schedule", "0 1 * * *", "--cluster", "prod",
                                         "--include-namespaces", "shop", "--paused"])
            #expect(created.status == 0, "\(created.stderr)")

            // A paused schedule can still be run by hand, as `velero backup create --from-schedule` can.
            let triggered = try await run(["schedule", "trigger", "daily", "-o", "json"])
            #expect(triggered.status == 0, "\(triggered.stderr)")
            let backup = try JSONDecoder().decode(BackupProbe.self, from: Data(triggered.stdout.utf8))
            #expect(backup.metadata.name.range(of: #"^daily-[0-9]{14}$"#, options: .regularExpression) != nil, "\(backup.metadata.name)")
            let described = try await run(["backup", "get", backup.metadata.name, "-o", "json"])
            #expect(described.stdout.contains("\"shop\""), "the template's namespaces: \(described.stdout)")

            // --wait follows the backup to its end; against an unreachable cluster that is Failed and a non-zero exit.
            // One backup of a schedule at a time: the next trigger waits until this one has ended.
            let busy = try await run(["schedule", "trigger", "daily"])
            #expect(busy.status != 0)
            #expect(busy.stderr.contains("has not finished"), "\(busy.stderr)")
            #expect(try await Self.waitForFinish(cli, token: admin, backup.metadata.name) == "Failed")
            try await Task.sleep(for: .seconds(1))  // names carry the second: a trigger within it would reuse the name
            let waited = try await run(["schedule", "trigger", "daily", "--wait"])
            #expect(waited.status != 0)
            #expect(waited.stdout.contains("submitted successfully."), "\(waited.stderr)")
            #expect(waited.stdout.contains("Backup completed with status: Failed"), "\(waited.stdout)")
            #expect(waited.stderr.split(separator: "\n").count == 1, "\(waited.stderr)")

            let missing = try await run(["schedule", "trigger", "ghost"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("ghost"))
        }
    }
}

/// The status fields that tell a finished check from the default phase.
struct CheckedStatusProbe: Decodable {
    struct Status: Decodable {
        var phase: String?
        var lastValidationTime: String?
        var lastCheckTime: String?
    }
    var status: Status
}
