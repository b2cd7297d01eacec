import Foundation
import Testing

/// The whole product end to end, through the CLI only: a real server, two kubesims seeded with the shared corpus
/// (and an empty one), moto S3 with signature checks and a filesystem location, and the real kubectl as the
/// referee. Every corpus object must come back equal after removing what the API server sets
/// (`Support/corpus_state.py` says exactly what), into the same cluster, into mapped namespaces, into a second
/// cluster, and over existing objects under both policies.
@Suite(.serialized, .timeLimit(.minutes(10))) struct CorpusRoundTripTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    static let stateScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/corpus_state.py").path
    static let motoLauncher = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LifeboatObjectStoreTests/Support/moto_launcher.py").path
    /// The corpus PV with reclaim policy Delete: without a volume snapshot Velero (and so Lifeboat) leaves it to be
    /// re-provisioned, so it is checked to be skipped for that reason rather than compared.
    static let reprovisionedVolume = "v1/PersistentVolume//fileserver"

    struct Environment {
        let directory: String
        let cli: CLIHarness
        let token: String

        func lifeboat(_ arguments: [String]) async throws -> CLIResult {
            try await cli.run(["--server", cli.server, "--token", token] + arguments)
        }

        /// `lifeboat …` that must succeed; answers stdout.
        @discardableResult
        func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let result = try await lifeboat(arguments)
            try #require(result.status == 0, "lifeboat \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            return result.stdout
        }

        func state(_ arguments: [String]) async throws -> CLIResult {
            try await runProgram("/usr/bin/env", ["python3", CorpusRoundTripTests.stateScript] + arguments, directory: directory)
        }

        func snapshot(_ kubeconfig: String, _ name: String, _ extra: [String] = []) async throws -> String {
            let out = "\(directory)/\(name).json"
            let result = try await state(["snapshot", kubeconfig, "\(directory)/identities.json", out] + extra)
            try #require(result.status == 0, "snapshot: \(result.stderr)")
            return out
        }

        /// Asserts the two snapshots are equal object for object.
        func expectEqual(_ before: String, _ after: String, _ extra: [String] = [], _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let result = try await state(["compare", before, after, "--except", CorpusRoundTripTests.reprovisionedVolume] + extra)
            #expect(result.status == 0, "\(what): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        }

        func phase(_ kind: String, _ name: String) async throws -> String {
            let json = try await ok([kind, "get", name, "-o", "json"])
            return try JSONDecoder().decode(BackupProbe.self, from: Data(json.utf8)).status.phase
        }

        /// Expects `kind name` in `phase`; otherwise records its description and the errors of its log.
        func expectPhase(_ kind: String, _ name: String, _ phase: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let actual = try await self.phase(kind, name)
            guard actual != phase else { return }
            let described = try await lifeboat([kind, "describe", name])
            let log = try await lifeboat([kind, "logs", name])
            let problems = log.stdout.split(separator: "\n").filter { $0.contains("level=error") || $0.contains("level=warning") }.prefix(20)
            Issue.record("\(kind) \(name) is \(actual), not \(phase):\n\(described.stdout)\n\(problems.joined(separator: "\n"))",
                         sourceLocation: sourceLocation)
        }

        func items(ofRestore name: String) async throws -> [RestoreItemProbe] {
            let json = try await ok(["restore", "describe", name, "--details", "-o", "json"])
            return try JSONDecoder().decode(RestoreDetailsProbe.self, from: Data(json.utf8)).items.items ?? []
        }
    }

    @Test func everyCorpusObjectSurvivesBackupDeleteAndRestore() async throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let prepared = try await runProgram("/usr/bin/env", ["python3", Self.stateScript, "prepare", Self.corpus, "\(work)/seed", "\(work)/identities.json"],
                                            directory: work)
        try #require(prepared.status == 0, "\(prepared.stderr)")

        let kubesim = CLIHarness.binary.deletingLastPathComponent().appendingPathComponent("kubesim").path
        let source = try BackgroundProcess(kubesim, ["--listen", "127.0.0.1:0", "--tls", "--token", "source-token", "--seed", "\(work)/seed",
                                                     "--kubeconfig-out", "\(work)/source.kubeconfig"], directory: work, name: "kubesim-source")
        let target = try BackgroundProcess(kubesim, ["--listen", "127.0.0.1:0", "--tls", "--token", "target-token",
                                                     "--kubeconfig-out", "\(work)/target.kubeconfig"], directory: work, name: "kubesim-target")
        let moto = try BackgroundProcess("/usr/bin/env", ["python3", Self.motoLauncher], directory: work, name: "moto")
        defer {
            source.stop()
            target.stop()
            moto.stop()
        }
        _ = try await source.line(containing: "listening on")
        _ = try await target.line(containing: "listening on")
        struct Moto: Decodable { var endpoint: String; var accessKeyId: String; var secretAccessKey: String }
        let motoLine = try await moto.line(containing: "accessKeyId", timeout: .seconds(180))
        let s3 = try JSONDecoder().decode(Moto.self, from: Data(motoLine.utf8))
        let bucket = "lifeboat-corpus"
        let made = try await runProgram("/usr/bin/env", ["python3", "-c", """
            import boto3, sys
            boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3],
                         region_name="us-east-1").create_bucket(Bucket=sys.argv[4])
            """, s3.endpoint, s3.accessKeyId, s3.secretAccessKey, bucket], directory: work)
        try #require(made.status == 0, "\(made.stderr)")
        try "[default]\naws_access_key_id = \(s3.accessKeyId)\naws_secret_access_key = \(s3.secretAccessKey)\n"
            .write(toFile: "\(work)/s3-credentials", atomically: true, encoding: .utf8)

        try await RealServerCLITests.withRealServer { cli, token in
            let env = Environment(directory: work, cli: cli, token: token)
            try await env.ok(["cluster", "add", "source", "--kubeconfig", "\(work)/source.kubeconfig", "--wait"])
            try await env.ok(["cluster", "add", "target", "--kubeconfig", "\(work)/target.kubeconfig", "--wait"])
            try FileManager.default.createDirectory(atPath: "\(work)/bucket", withIntermediateDirectories: true)
            try await env.ok(["backup-location", "create", "local", "--provider", "filesystem", "--bucket", "\(work)/bucket", "--wait"])
            try await env.ok(["backup-location", "create", "s3", "--provider", "s3", "--bucket", bucket, "--prefix", "lifeboat",
                              "--config", "region=us-east-1,s3ForcePathStyle=true,s3Url=\(s3.endpoint)",
                              "--credentials-file", "\(work)/s3-credentials", "--wait"])
            #expect(try await env.phase("cluster", "source") == "Ready")
            #expect(try await env.phase("backup-location", "s3") == "Available")

            let before = try await env.snapshot("\(work)/source.kubeconfig", "before")
            for (name, location) in [("full-local", "local"), ("full-s3", "s3")] {
                try await env.ok(["backup", "create", name, "--cluster", "source", "--storage-location", location, "--wait"])
                try await env.expectPhase("backup", name, "Completed")
            }

            // Disaster: every corpus object deleted with kubectl, then restored from the filesystem location.
            let deleted = try await env.state(["delete", "\(work)/source.kubeconfig", "\(work)/identities.json"])
            try #require(deleted.status == 0, "\(deleted.stdout)\(deleted.stderr)")
            let gone = try await env.state(["snapshot", "\(work)/source.kubeconfig", "\(work)/identities.json", "\(work)/gone.json"])
            #expect(gone.stdout.hasPrefix("0 of 792"), "\(gone.stdout)")
            try await env.ok(["restore", "create", "after-disaster", "--from-backup", "full-local", "--wait"])
            try await env.expectPhase("restore", "after-disaster", "Completed")
            let restored = try await env.snapshot("\(work)/source.kubeconfig", "restored")
            try await env.expectEqual(before, restored, [], "restore after deleting")
            let items = try await env.items(ofRestore: "after-disaster")
            #expect(items.contains { $0.name == "fileserver" && $0.outcome == "skipped" && ($0.reason ?? "").contains("reclaim policy Delete") })
            #expect(!items.contains { $0.outcome == "failed" }, "\(items.filter { $0.outcome == "failed" }.prefix(5))")

            // Existing objects: policy none changes nothing; policy update puts a changed object back.
            try await env.ok(["restore", "create", "over-existing", "--from-backup", "full-s3", "--wait"])
            try await env.expectPhase("restore", "over-existing", "Completed")
            #expect(try await env.items(ofRestore: "over-existing").filter { $0.outcome == "created" }.isEmpty)
            let patched = try await runProgram("/usr/bin/kubectl", ["--kubeconfig", "\(work)/source.kubeconfig", "patch", "configmap", "blackbox-exporter-configuration",
                                                                    "-n", "monitoring", "--type", "merge", "-p", #"{"metadata":{"labels":{"changed":"yes"}}}"#],
                                               directory: work)
            #expect(patched.status == 0, "\(patched.stderr)")
            try await env.ok(["restore", "create", "keep-changed", "--from-backup", "full-s3", "--include-namespaces", "monitoring", "--wait"])
            #expect(try await env.items(ofRestore: "keep-changed").contains { $0.name == "blackbox-exporter-configuration" && $0.outcome == "skipped" })
            try await env.ok(["restore", "create", "put-back", "--from-backup", "full-s3", "--include-namespaces", "monitoring",
                              "--existing-resource-policy", "update", "--wait"])
            #expect(try await env.items(ofRestore: "put-back").contains { $0.name == "blackbox-exporter-configuration" && $0.outcome == "updated" })
            let putBack = try await env.snapshot("\(work)/source.kubeconfig", "put-back")
            try await env.expectEqual(before, putBack, [], "after policy update")

            // Preview: the plan against the live cluster, nothing written.
            try await env.ok(["restore", "create", "peek", "--from-backup", "full-s3", "--include-namespaces", "monitoring",
                              "--namespace-mappings", "monitoring:monitoring-peek", "--preview", "--wait"])
            let peek = try await env.items(ofRestore: "peek")
            #expect(peek.contains { $0.name == "blackbox-exporter-configuration" && $0.outcome == "wouldCreate" })
            #expect(peek.allSatisfy { ["wouldCreate", "wouldSkip", "wouldUpdate", "conflict"].contains($0.outcome) })
            let notCreated = try await runProgram("/usr/bin/kubectl", ["--kubeconfig", "\(work)/source.kubeconfig", "get", "namespace",
                                                                       "monitoring-peek"], directory: work)
            #expect(notCreated.status != 0 && notCreated.stderr.contains("NotFound"), "a preview creates nothing")

            // Mapped namespaces: monitoring restored as monitoring-copy beside the original.
            try await env.ok(["restore", "create", "copy", "--from-backup", "full-s3", "--include-namespaces", "monitoring",
                              "--namespace-mappings", "monitoring:monitoring-copy", "--wait"])
            try await env.expectPhase("restore", "copy", "Completed")
            let monitoring = try await env.snapshot("\(work)/source.kubeconfig", "monitoring", ["--namespaces", "monitoring", "--skip-cluster"])
            let copy = try await env.snapshot("\(work)/source.kubeconfig", "monitoring-copy",
                                              ["--namespaces", "monitoring", "--skip-cluster", "--map", "monitoring:monitoring-copy"])
            try await env.expectEqual(monitoring, copy, [], "mapped namespace")

            // Migration: the S3 backup restored into the second, empty cluster.
            try await env.ok(["restore", "create", "migrate", "--from-backup", "full-s3", "--cluster", "target", "--wait"])
            try await env.expectPhase("restore", "migrate", "Completed")
            let migrated = try await env.snapshot("\(work)/target.kubeconfig", "migrated")
            try await env.expectEqual(before, migrated, [], "migration")
        }
    }
}

struct RestoreItemProbe: Decodable, CustomStringConvertible {
    var resource: String
    var namespace: String?
    var name: String
    var outcome: String
    var reason: String?
    var description: String { "\(resource) \(namespace ?? "")/\(name) \(outcome) \(reason ?? "")" }
}

struct RestoreDetailsProbe: Decodable {
    struct Items: Decodable { var items: [RestoreItemProbe]? }
    var items: Items
}
