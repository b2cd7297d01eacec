import Foundation
import LifeboatCore
import Testing

@Suite struct RestoreSpecTests {
    @Test func aMappedRestoreIsValid() throws {
        try Fixture.restore { spec in
            spec.namespaceMapping = ["prod": "staging"]
            spec.includedNamespaces = ["prod"]
            spec.existingResourcePolicy = .update
            spec.restoreStatus = RestoreStatusSpec(includedResources: ["deployments"])
        }.validate()
    }

    @Test(arguments: [
        ("spec.backupName", { @Sendable (spec: inout RestoreSpec) in spec.backupName = nil }),
        ("spec.scheduleName", { @Sendable (spec: inout RestoreSpec) in spec.scheduleName = ScheduleName(uncheckedRawValue: "daily") }),
        ("spec.namespaceMapping[prod]", { @Sendable (spec: inout RestoreSpec) in spec.namespaceMapping = ["prod": "Staging"] }),
        ("spec.namespaceMapping[b]", { @Sendable (spec: inout RestoreSpec) in spec.namespaceMapping = ["a": "x", "b": "x"] }),
        ("spec.namespaceMapping[prod]", { @Sendable (spec: inout RestoreSpec) in spec.namespaceMapping = ["prod": "x"]; spec.excludedNamespaces = ["prod"] }),
        ("spec.includedResources[0]", { @Sendable (spec: inout RestoreSpec) in spec.includedResources = ["nodes"] }),
        ("spec.orLabelSelectors", { @Sendable (spec: inout RestoreSpec) in
            spec.labelSelector = LabelSelector(matchLabels: ["a": "b"]); spec.orLabelSelectors = [LabelSelector(matchLabels: ["a": "c"])] }),
        ("spec.restoreStatus.excludedResources[0]", { @Sendable (spec: inout RestoreSpec) in spec.restoreStatus = RestoreStatusSpec(excludedResources: ["*"]) }),
        ("spec.itemOperationTimeout", { @Sendable (spec: inout RestoreSpec) in spec.itemOperationTimeout = "1 hour" }),
    ] as [(String, @Sendable (inout RestoreSpec) -> Void)])
    func invalidSpecsNameTheirField(field: String, breakSpec: @Sendable (inout RestoreSpec) -> Void) {
        let restore = Fixture.restore(configure: breakSpec)
        #expect(Fixture.invalidField { () throws(LifeboatError) in try restore.validate() } == field)
    }
}

@Suite struct ScheduleTests {
    func schedule(_ name: String = "daily", cron: String = "0 1 * * *") -> Schedule {
        Schedule(metadata: ObjectMeta(name: ScheduleName(uncheckedRawValue: name)), spec: ScheduleSpec(schedule: cron, template: Fixture.backupSpec()))
    }

    @Test func cronIsValidatedAtSpecSchedule() throws {
        try schedule().validate()
        #expect(Fixture.invalidField { () throws(LifeboatError) in try schedule(cron: "0 25 * * *").validate() } == "spec.schedule")
    }

    @Test func backupNamesAreTimestamped() throws {
        let name = schedule().backupName(at: Date(timeIntervalSince1970: 1_768_472_430))  // 2026-01-15 10:20:30 UTC
        #expect(name.rawValue == "daily-20260115102030")
        #expect(DNSLabel.isValid(name.rawValue))
    }

    @Test func longScheduleNamesAreRejectedBecauseBackupNamesWouldNotFit() {
        #expect(Fixture.invalidField { () throws(LifeboatError) in try schedule(String(repeating: "a", count: 50)).validate() } == "metadata.name")
    }
}

@Suite struct ClusterAndLocationSpecTests {
    @Test func clusterSourcesAreChecked() throws {
        try ClusterSpec(source: .kubeconfig, context: "kind-dev", credential: CredentialID()).validate()
        try ClusterSpec(source: .token, server: "https://10.0.0.1:6443", credential: CredentialID()).validate()
        #expect(Fixture.invalidField { () throws(LifeboatError) in try ClusterSpec(source: .token).validate() } == "spec.server")
        #expect(Fixture.invalidField { () throws(LifeboatError) in try ClusterSpec(source: .token, server: "ftp://x").validate() } == "spec.server")
        #expect(Fixture.invalidField { () throws(LifeboatError) in
            try ClusterSpec(source: .token, server: "https://user:pw@host").validate() } == "spec.server")
        #expect(Fixture.invalidField { () throws(LifeboatError) in
            try ClusterSpec(source: .kubeconfig, server: "https://host").validate() } == "spec.server")
        #expect(Fixture.invalidField { () throws(LifeboatError) in
            try ClusterSpec(source: .token, server: "https://host", caBundle: "not pem").validate() } == "spec.caBundle")
    }

    @Test func locationSpecsAreChecked() throws {
        try BackupStorageLocationSpec(provider: .s3, objectStorage: ObjectStorageLocation(bucket: "velero", prefix: "prod"),
                                      config: ["region": "minio", "s3Url": "http://127.0.0.1:9000", "s3ForcePathStyle": "true"]).validate()
        try BackupStorageLocationSpec(provider: .filesystem, objectStorage: ObjectStorageLocation(bucket: "/var/backups")).validate()
        let cases: [(BackupStorageLocationSpec, String)] = [
            (.init(provider: .s3, objectStorage: .init(bucket: "")), "spec.objectStorage.bucket"),
            (.init(provider: .s3, objectStorage: .init(bucket: "a/b")), "spec.objectStorage.bucket"),
            (.init(provider: .filesystem, objectStorage: .init(bucket: "relative")), "spec.objectStorage.bucket"),
            (.init(provider: .filesystem, objectStorage: .init(bucket: "/a/../etc")), "spec.objectStorage.bucket"),
            (.init(provider: .s3, objectStorage: .init(bucket: "velero", prefix: "../x")), "spec.objectStorage.prefix"),
            (.init(provider: .s3, objectStorage: .init(bucket: "velero"), config: ["regoin": "x"]), "spec.config[regoin]"),
            (.init(provider: .s3, objectStorage: .init(bucket: "velero"), config: ["s3ForcePathStyle": "yes"]), "spec.config[s3ForcePathStyle]"),
            (.init(provider: .s3, objectStorage: .init(bucket: "velero"), config: ["s3Url": "minio:9000"]), "spec.config[s3Url]"),
        ]
        for (spec, field) in cases {
            #expect(Fixture.invalidField { () throws(LifeboatError) in try spec.validate() } == field)
        }
        var sync = BackupStorageLocationSpec(provider: .s3, objectStorage: .init(bucket: "velero"))
        sync.backupSyncPeriod = "often"
        #expect(Fixture.invalidField { () throws(LifeboatError) in try sync.validate() } == "spec.backupSyncPeriod")
        #expect(sync.effectiveAccessMode == .readWrite)
    }
}

@Suite struct RoleTests {
    @Test(arguments: Role.Resource.allCases)
    func everyRoleButViewerWritesOnlyWhatTheMatrixSays(resource: Role.Resource) {
        #expect(Role.admin.allows(.read, on: resource))
        #expect(Role.admin.allows(.write, on: resource))
        #expect(!Role.viewer.allows(.write, on: resource))
        #expect(Role.viewer.allows(.read, on: resource) == (resource != .tokens))
        let operatorWrites: Set<Role.Resource> = [.backups, .restores, .schedules]
        #expect(Role.operator.allows(.write, on: resource) == operatorWrites.contains(resource))
        #expect(Role.operator.allows(.read, on: resource) == (resource != .tokens))
    }

    @Test func rolesAreOrdered() {
        #expect(Role.viewer < .operator && Role.operator < .admin)
    }
}

@Suite struct JobValueTests {
    @Test func backupsAndRestoresAreNeverRetriedAfterACrash() {
        #expect(!JobKind.backup.isSafeToRetryAfterCrash)
        #expect(!JobKind.restore.isSafeToRetryAfterCrash)
        #expect(JobKind.clusterCheck.isSafeToRetryAfterCrash)
        #expect(JobKind.locationValidation.isSafeToRetryAfterCrash)
    }

    @Test func outcomesMapToStates() {
        #expect(JobOutcome.succeeded.state == .succeeded)
        #expect(JobOutcome.failed(reason: "x").state == .failed)
        #expect(JobOutcome.cancelled.state == .cancelled)
        #expect(JobState.allCases.filter(\.isFinished) == [.succeeded, .failed, .cancelled])
    }

    @Test func sealedCredentialDescriptionHidesBytes() {
        let sealed = SealedCredential(id: CredentialID(), sealedBox: Data("opaque".utf8))
        #expect(!"\(sealed)".contains("opaque"))
    }
}
