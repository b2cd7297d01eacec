import Foundation
import ArgumentParser
@testable import lifeboat
import LifeboatAPI
import Testing

@Suite struct ParsingTests {
    func parse<T>(_ arguments: [String], as type: T.Type) throws -> T {
        let command = try LifeboatCLI.parseAsRoot(arguments)
        return try #require(command as? T, "parsed \(Swift.type(of: command))")
    }

    @Test func backupCreateMapsEveryVeleroFlag() throws {
        let command = try parse([
            "backup", "create", "nightly", "--cluster", "prod", "--storage-location", "s3",
            "--include-namespaces", "shop,db-*", "--include-namespaces", "auth", "--exclude-namespaces", "kube-system",
            "--include-resources", "deployments,configmaps", "--exclude-resources", "events",
            "--include-cluster-resources=false", "-l", "app=web,tier notin (db)", "--ttl", "24h",
            "--labels", "team=a,env=prod", "--snapshot-volumes=false", "--ordered-resources", "pods=ns/a,ns/b;persistentvolumes=pv1",
            "--wait",
        ], as: BackupCommand.Create.self)
        let backup = try command.makeBackup()
        #expect(command.wait)
        #expect(backup.metadata.name == "nightly")
        #expect(backup.metadata.labels?.additionalProperties == ["team": "a", "env": "prod"])
        #expect(backup.spec.cluster == "prod")
        #expect(backup.spec.storageLocation == "s3")
        #expect(backup.spec.includedNamespaces == ["shop", "db-*", "auth"])
        #expect(backup.spec.excludedNamespaces == ["kube-system"])
        #expect(backup.spec.includedResources == ["deployments", "configmaps"])
        #expect(backup.spec.excludedResources == ["events"])
        #expect(backup.spec.includeClusterResources == false)
        #expect(backup.spec.labelSelector?.matchLabels?.additionalProperties == ["app": "web"])
        #expect(backup.spec.labelSelector?.matchExpressions == [.init(key: "tier", _operator: .notIn, values: ["db"])])
        #expect(backup.spec.ttl == "24h")
        #expect(backup.spec.snapshotVolumes == false)
        #expect(backup.spec.orderedResources?.additionalProperties == ["pods": "ns/a,ns/b", "persistentvolumes": "pv1"])
        #expect(backup.spec.orLabelSelectors == nil)
    }

    @Test func cancelTakesSeveralNames() throws {
        #expect(try parse(["backup", "cancel", "a", "b"], as: BackupCommand.Cancel.self).names == ["a", "b"])
        #expect(try parse(["restore", "cancel", "r"], as: RestoreCommand.Cancel.self).names == ["r"])
    }

    @Test func backupCreateWithoutFiltersSendsNoFilterFields() throws {
        let backup = try parse(["backup", "create", "b", "--cluster", "c"], as: BackupCommand.Create.self).makeBackup()
        #expect(backup.spec.includedNamespaces == nil)
        #expect(backup.spec.includeClusterResources == nil)
        #expect(backup.spec.labelSelector == nil)
        #expect(backup.metadata.labels == nil)
    }

    @Test func orSelectorBecomesSeveralSelectors() throws {
        let backup = try parse(["backup", "create", "b", "--cluster", "c", "--or-selector", "app=a or app=b"], as: BackupCommand.Create.self)
            .makeBackup()
        #expect(backup.spec.orLabelSelectors?.count == 2)
        #expect(backup.spec.orLabelSelectors?[1].matchLabels?.additionalProperties == ["app": "b"])
    }

    @Test func selectorAndOrSelectorAreExclusive() {
        #expect(throws: (any Error).self) {
            try LifeboatCLI.parseAsRoot(["backup", "create", "b", "-l", "a=b", "--or-selector", "c=d or e=f"])
        }
    }

    @Test func restoreCreateMapsItsFlags() throws {
        let command = try parse([
            "restore", "create", "--from-backup", "nightly", "--cluster", "staging", "--namespace-mappings", "shop:shop-copy,db:db2",
            "--existing-resource-policy", "update", "--include-namespaces", "shop,db", "--preview", "--status-include-resources", "widgets",
            "--wait",
        ], as: RestoreCommand.Create.self)
        let now = try Date("2026-03-04T05:06:07Z", strategy: .iso8601)
        let restore = try command.makeRestore(now: now)
        #expect(restore.metadata.name == "nightly-20260304050607")
        #expect(restore.spec.backupName == "nightly")
        #expect(restore.spec.cluster == "staging")
        #expect(restore.spec.namespaceMapping?.additionalProperties == ["shop": "shop-copy", "db": "db2"])
        #expect(restore.spec.existingResourcePolicy == .update)
        #expect(restore.spec.includedNamespaces == ["shop", "db"])
        #expect(restore.spec.preview == true)
        #expect(restore.spec.restoreStatus?.includedResources == ["widgets"])
        #expect(command.wait)
    }

    @Test(arguments: [
        ["restore", "create", "r"],  // no source
        ["restore", "create", "r", "--from-backup", "b", "--from-schedule", "s"],
        ["restore", "create", "r", "--from-backup", "b", "--existing-resource-policy", "merge"],
    ])
    func restoreCreateUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { try LifeboatCLI.parseAsRoot(arguments) }
    }

    @Test func badNamespaceMappingIsAnError() throws {
        let command = try parse(["restore", "create", "r", "--from-backup", "b", "--namespace-mappings", "a:b,c"], as: RestoreCommand.Create.self)
        #expect(throws: CLIError.self) { try command.makeRestore() }
    }

    @Test func scheduleCreateUsesTheBackupFlagsAsTemplate() throws {
        let schedule = try parse([
            "schedule", "create", "daily", "--schedule", "0 3 * * *", "--cluster", "prod", "--include-namespaces", "shop", "--ttl", "72h", "--paused",
        ], as: ScheduleCommand.Create.self).makeSchedule()
        #expect(schedule.spec.schedule == "0 3 * * *")
        #expect(schedule.spec.template.cluster == "prod")
        #expect(schedule.spec.template.includedNamespaces == ["shop"])
        #expect(schedule.spec.template.ttl == "72h")
        #expect(schedule.spec.paused == true)
    }

    @Test func clusterAddReadsTheKubeconfigContent() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/kubeconfig"
        try "apiVersion: v1\nkind: Config\n".write(toFile: path, atomically: true, encoding: .utf8)
        let cluster = try parse(["cluster", "add", "prod", "--kubeconfig", path, "--context", "admin@prod"], as: ClusterCommand.Add.self)
            .makeCluster()
        #expect(cluster.spec.kubeconfig == "apiVersion: v1\nkind: Config\n")
        #expect(cluster.spec.context == "admin@prod")
        #expect(cluster.spec.server == nil)
    }

    @Test func clusterAddFromServerAndTokenFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "secret-token\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let cluster = try parse([
            "cluster", "add", "edge", "--api-server", "https://10.0.0.1:6443", "--token-file", directory + "/token", "--insecure-skip-tls-verify",
        ], as: ClusterCommand.Add.self).makeCluster()
        #expect(cluster.spec.server == "https://10.0.0.1:6443")
        #expect(cluster.spec.token == "secret-token")
        #expect(cluster.spec.insecureSkipTLSVerify == true)
    }

    @Test(arguments: [
        ["cluster", "add", "c"],
        ["cluster", "add", "c", "--kubeconfig", "k", "--api-server", "https://x"],
        ["cluster", "add", "c", "--api-server", "https://x", "--context", "ctx"],
    ])
    func clusterAddUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { try LifeboatCLI.parseAsRoot(arguments) }
    }

    @Test func backupLocationCreateMapsVeleroFlags() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = "[default]\naws_access_key_id = minio\naws_secret_access_key = minio123\n"
        try credentials.write(toFile: directory + "/credentials-velero", atomically: true, encoding: .utf8)
        let location = try parse([
            "backup-location", "create", "default", "--provider", "s3", "--bucket", "velero", "--prefix", "cluster-a",
            "--config", "region=minio,s3Url=http://127.0.0.1:9000,s3ForcePathStyle=true", "--credentials-file", directory + "/credentials-velero",
            "--access-mode", "ReadOnly", "--default",
        ], as: BackupLocationCommand.Create.self).makeLocation()
        #expect(location.spec.provider == .s3)
        #expect(location.spec.objectStorage.bucket == "velero")
        #expect(location.spec.objectStorage.prefix == "cluster-a")
        #expect(location.spec.config?.additionalProperties == ["region": "minio", "s3Url": "http://127.0.0.1:9000", "s3ForcePathStyle": "true"])
        #expect(location.spec.credential?.awsSharedCredentials == credentials)
        #expect(location.spec.accessMode == .readOnly)
        #expect(location.spec._default == true)
    }

    @Test func filesystemLocationNeedsNoCredentials() throws {
        let location = try parse(["backup-location", "create", "local", "--provider", "filesystem", "--bucket", "/srv/backups"],
                                 as: BackupLocationCommand.Create.self).makeLocation()
        #expect(location.spec.provider == .filesystem)
        #expect(location.spec.credential == nil)
    }

    @Test(arguments: [
        ["backup-location", "create", "x", "--provider", "gcs", "--bucket", "b"],
        ["backup-location", "create", "x", "--provider", "s3", "--bucket", "b", "--access-mode", "WriteOnly"],
    ])
    func backupLocationUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { try LifeboatCLI.parseAsRoot(arguments) }
    }

    @Test func backupLocationSetChangesOnlyWhatIsGiven() throws {
        let current = Components.Schemas.BackupStorageLocation(
            metadata: .named("s3"),
            spec: .init(provider: .s3, objectStorage: .init(bucket: "b"), config: .init(additionalProperties: ["region": "eu"]), _default: true),
            status: .init(phase: .available))
        let updated = try parse(["backup-location", "set", "s3", "--default=false", "--config", "s3Url=http://x"], as: BackupLocationCommand.Set.self)
            .apply(to: current)
        #expect(updated.spec._default == false)
        #expect(updated.spec.config?.additionalProperties == ["region": "eu", "s3Url": "http://x"])
        #expect(updated.spec.credential == nil)  // absent: the server keeps the stored one
        #expect(updated.status == nil)
    }

    @Test func tokenCreate() throws {
        let token = try parse(["token", "create", "ci", "--role", "operator"], as: TokenCommand.Create.self).makeToken()
        #expect(token.metadata.name == "ci")
        #expect(token.spec.role == ._operator)
        #expect(throws: (any Error).self) { try LifeboatCLI.parseAsRoot(["token", "create", "ci", "--role", "root"]) }
    }

    @Test func connectionOptionsWorkBeforeAndAfterTheSubcommand() throws {
        let before = try parse(["--server", "http://a:1", "--token", "t1", "backup", "get"], as: BackupCommand.Get.self)
        #expect(before.client.server == "http://a:1")
        #expect(before.client.token == "t1")
        let after = try parse(["backup", "get", "--server", "http://b:2", "-o", "json"], as: BackupCommand.Get.self)
        #expect(after.client.server == "http://b:2")
        #expect(after.format.output == .json)
    }

    @Test func pluralAliasesWork() throws {
        _ = try parse(["backups", "get"], as: BackupCommand.Get.self)
        _ = try parse(["bsl", "get"], as: BackupLocationCommand.Get.self)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheCommands(shell: String) throws {
        let kind = try #require(CompletionShell(rawValue: shell))
        let script = LifeboatCLI.completionScript(for: kind)
        #expect(script.contains("backup-location"))
        #expect(script.contains("restore"))
    }
}

/// A fresh temporary directory per test.
func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
