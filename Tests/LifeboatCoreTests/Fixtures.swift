import Foundation
import LifeboatCore

/// Shorthands for building valid objects in tests; each test then breaks the one field it is about.
enum Fixture {
    static func backupSpec(cluster: String = "prod") -> BackupSpec {
        BackupSpec(cluster: ClusterName(uncheckedRawValue: cluster))
    }

    static func backup(_ name: String = "nightly", configure: (inout BackupSpec) -> Void = { _ in }) -> Backup {
        var spec = backupSpec()
        configure(&spec)
        return Backup(metadata: ObjectMeta(name: BackupName(uncheckedRawValue: name)), spec: spec)
    }

    static func restore(_ name: String = "nightly-restore", configure: (inout RestoreSpec) -> Void = { _ in }) -> Restore {
        var spec = RestoreSpec(backupName: BackupName(uncheckedRawValue: "nightly"))
        configure(&spec)
        return Restore(metadata: ObjectMeta(name: RestoreName(uncheckedRawValue: name)), spec: spec)
    }

    /// Returns the field of the `invalidArgument` that `body` throws, or nil when it does not throw one.
    static func invalidField(_ body: () throws(LifeboatError) -> Void) -> String? {
        do throws(LifeboatError) {
            try body()
            return nil
        } catch {
            if case .invalidArgument(let field, _) = error { return field }
            return nil
        }
    }
}
