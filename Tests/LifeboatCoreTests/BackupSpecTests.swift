import Foundation
import LifeboatCore
import Testing

@Suite struct BackupSpecTests {
    @Test func aFullSpecIsValid() throws {
        let backup = Fixture.backup { spec in
            spec.includedNamespaces = ["app-*", "db"]
            spec.excludedNamespaces = ["app-test"]
            spec.includedResources = ["deployments", "configmaps"]
            spec.includeClusterResources = false
            spec.labelSelector = try? LabelSelector(parsing: "app=web")
            spec.ttl = "72h"
            spec.csiSnapshotTimeout = "10m"
            spec.orderedResources = ["pods": "ns1/a,ns1/b"]
            spec.hooks = BackupHooks(resources: [
                BackupResourceHookSpec(name: "freeze").with { $0.pre = [BackupResourceHook(exec: ExecHook(command: ["fsfreeze", "-f", "/data"], onError: .fail, timeout: "30s"))] },
            ])
        }
        try backup.validate()
        #expect(try backup.spec.effectiveTTL().description == "72h0m0s")
        #expect(try Fixture.backup().spec.effectiveTTL() == BackupSpec.defaultTTL)
    }

    @Test(arguments: [
        ("spec.includedNamespaces[1]", { @Sendable (spec: inout BackupSpec) in spec.includedNamespaces = ["ok", "Not_OK"] }),
        ("spec.includedNamespaces[0]", { @Sendable (spec: inout BackupSpec) in spec.includedNamespaces = ["[abc"] }),
        ("spec.excludedNamespaces[0]", { @Sendable (spec: inout BackupSpec) in spec.excludedNamespaces = ["*"] }),
        ("spec.excludedNamespaces[0]", { @Sendable (spec: inout BackupSpec) in spec.includedNamespaces = ["a"]; spec.excludedNamespaces = ["a"] }),
        ("spec.includedResources", { @Sendable (spec: inout BackupSpec) in spec.includedResources = ["*", "pods"] }),
        ("spec.includedResources", { @Sendable (spec: inout BackupSpec) in spec.includedResources = ["pods"]; spec.includedNamespaceScopedResources = ["pods"] }),
        ("spec.includedResources", { @Sendable (spec: inout BackupSpec) in spec.includeClusterResources = true; spec.excludedClusterScopedResources = ["nodes"] }),
        ("spec.orLabelSelectors", { @Sendable (spec: inout BackupSpec) in
            spec.labelSelector = LabelSelector(matchLabels: ["a": "b"]); spec.orLabelSelectors = [LabelSelector(matchLabels: ["c": "d"])] }),
        ("spec.labelSelector.matchLabels", { @Sendable (spec: inout BackupSpec) in spec.labelSelector = LabelSelector(matchLabels: ["bad key": "x"]) }),
        ("spec.orLabelSelectors[1].matchLabels[a]", { @Sendable (spec: inout BackupSpec) in
            spec.orLabelSelectors = [LabelSelector(matchLabels: ["a": "b"]), LabelSelector(matchLabels: ["a": "not valid"])] }),
        ("spec.ttl", { @Sendable (spec: inout BackupSpec) in spec.ttl = "30 days" }),
        ("spec.ttl", { @Sendable (spec: inout BackupSpec) in spec.ttl = "-1h" }),
        ("spec.itemOperationTimeout", { @Sendable (spec: inout BackupSpec) in spec.itemOperationTimeout = "4hours" }),
        ("spec.volumeSnapshotLocations[0]", { @Sendable (spec: inout BackupSpec) in spec.volumeSnapshotLocations = ["Bad"] }),
        ("spec.hooks.resources[0].name", { @Sendable (spec: inout BackupSpec) in spec.hooks = BackupHooks(resources: [BackupResourceHookSpec(name: "")]) }),
        ("spec.hooks.resources[0].pre[0].exec.command", { @Sendable (spec: inout BackupSpec) in
            spec.hooks = BackupHooks(resources: [BackupResourceHookSpec(name: "h").with { $0.pre = [BackupResourceHook(exec: ExecHook(command: []))] }]) }),
        ("spec.hooks.resources[0].post[0].exec.timeout", { @Sendable (spec: inout BackupSpec) in
            spec.hooks = BackupHooks(resources: [BackupResourceHookSpec(name: "h").with { $0.post = [BackupResourceHook(exec: ExecHook(command: ["x"], timeout: "soon"))] }]) }),
        ("spec.orderedResources[pods]", { @Sendable (spec: inout BackupSpec) in spec.orderedResources = ["pods": ""] }),
    ] as [(String, @Sendable (inout BackupSpec) -> Void)])
    func invalidSpecsNameTheirField(field: String, breakSpec: @Sendable (inout BackupSpec) -> Void) {
        let backup = Fixture.backup(configure: breakSpec)
        #expect(Fixture.invalidField { () throws(LifeboatError) in try backup.validate() } == field)
    }

    @Test func scheduleTemplatePathsArePrefixed() {
        var spec = Fixture.backupSpec()
        spec.ttl = "never"
        let schedule = Schedule(metadata: ObjectMeta(name: ScheduleName(uncheckedRawValue: "daily")),
                                spec: ScheduleSpec(schedule: "0 1 * * *", template: spec))
        #expect(Fixture.invalidField { () throws(LifeboatError) in try schedule.validate() } == "spec.template.ttl")
    }

    @Test func metadataLabelsAreValidated() {
        var backup = Fixture.backup()
        backup.metadata.labels = ["team": "a b"]
        #expect(Fixture.invalidField { () throws(LifeboatError) in try backup.validate() } == "metadata.labels[team]")
    }

    @Test func veleroJSONNamesRoundTrip() throws {
        let backup = Fixture.backup { spec in
            spec.includedNamespaces = ["a"]
            spec.storageLocation = LocationName(uncheckedRawValue: "default")
            spec.ttl = "720h0m0s"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(backup.spec), as: UTF8.self)
        #expect(json == #"{"cluster":"prod","includedNamespaces":["a"],"storageLocation":"default","ttl":"720h0m0s"}"#)
        let decoded = try JSONDecoder().decode(Backup.self, from: try JSONEncoder().encode(backup))
        #expect(decoded == backup)
    }
}

extension BackupResourceHookSpec {
    func with(_ change: (inout BackupResourceHookSpec) -> Void) -> BackupResourceHookSpec {
        var copy = self
        change(&copy)
        return copy
    }
}
