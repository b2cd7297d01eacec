import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatServer
import OpenAPIRuntime
import Synchronization

/// An in-memory implementation of the operations the CLI tests exercise, served by the real HTTP stack.
///
/// It behaves as the contract says (write-only credentials stripped, 404/409 problems, backups and restores
/// finishing after creation) so the tests check the CLI's requests, output and exit codes end to end. The
/// catalog-backed handlers replace it in the server; this type exists only in tests.
struct TestCatalogAPI: APIProtocol {
    /// The objects, behind a lock: key paths into a plain struct can be passed around, unlike an actor's.
    final class Store: Sendable {
        struct State {
            var clusters: [String: Components.Schemas.Cluster] = [:]
            var locations: [String: Components.Schemas.BackupStorageLocation] = [:]
            var backups: [String: Components.Schemas.Backup] = [:]
            var restores: [String: Components.Schemas.Restore] = [:]
            var tokens: [String: Components.Schemas.Token] = [:]
            /// What clients sent, secrets included, so tests can check the CLI sent them.
            var receivedLocations: [Components.Schemas.BackupStorageLocation] = []
            var receivedClusters: [Components.Schemas.Cluster] = []
        }

        typealias Path<T> = any WritableKeyPath<State, [String: T]> & Sendable

        private let state = Mutex(State())

        func insert<T: Sendable>(_ value: T, name: String, into path: Path<T>, kind: String) throws {
            try state.withLock { state in
                guard state[keyPath: path][name] == nil else { throw LifeboatError.alreadyExists(kind: kind, name: name) }
                state[keyPath: path][name] = value
            }
        }

        func get<T: Sendable>(_ name: String, from path: Path<T>, kind: String) throws -> T {
            try state.withLock { state in
                guard let value = state[keyPath: path][name] else { throw LifeboatError.notFound(kind: kind, name: name) }
                return value
            }
        }

        func set<T: Sendable>(_ value: T, name: String, in path: Path<T>) {
            state.withLock { $0[keyPath: path][name] = value }
        }

        func remove<T: Sendable>(_ name: String, from path: Path<T>, kind: String) throws {
            try state.withLock { state in
                guard state[keyPath: path].removeValue(forKey: name) != nil else { throw LifeboatError.notFound(kind: kind, name: name) }
            }
        }

        func all<T: Sendable>(_ path: Path<T>) -> [T] {
            state.withLock { $0[keyPath: path].sorted { $0.key < $1.key }.map(\.value) }
        }

        func backup(named name: String) -> Components.Schemas.Backup? { state.withLock { $0.backups[name] } }
        func allRestores() -> [Components.Schemas.Restore] { all(\.restores) }
        var receivedLocations: [Components.Schemas.BackupStorageLocation] { state.withLock { $0.receivedLocations } }
        var receivedClusters: [Components.Schemas.Cluster] { state.withLock { $0.receivedClusters } }
        func record(location: Components.Schemas.BackupStorageLocation) { state.withLock { $0.receivedLocations.append(location) } }
        func record(cluster: Components.Schemas.Cluster) { state.withLock { $0.receivedClusters.append(cluster) } }
    }

    let store = Store()

    private static func stamp(_ metadata: inout Components.Schemas.ObjectMeta) {
        metadata.uid = UUID().uuidString.lowercased()
        metadata.creationTimestamp = Date()
    }

    private static func validateName(_ name: String) throws {
        let valid = !name.isEmpty && name.count <= 63 && name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
            && name.first != "-" && name.last != "-"
        guard valid else { throw LifeboatError.invalidArgument(field: "metadata.name", reason: "must be a DNS-1123 label") }
    }

    // MARK: - Server

    func getServerStatus(_ input: Operations.GetServerStatus.Input) async throws -> Operations.GetServerStatus.Output {
        let caller = RequestIdentity.current.map { Components.Schemas.Identity(name: $0.name, role: .init(rawValue: $0.role.rawValue)!) }
        return .ok(.init(body: .json(.init(serverVersion: "9.9.9-test", apiVersion: "v1", startTime: Date(), ready: true, workers: 2, caller: caller))))
    }

    // MARK: - Clusters

    func createCluster(_ input: Operations.CreateCluster.Input) async throws -> Operations.CreateCluster.Output {
        guard case .json(var cluster) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        try Self.validateName(cluster.metadata.name)
        store.record(cluster: cluster)
        Self.stamp(&cluster.metadata)
        let hadCredentials = cluster.spec.kubeconfig != nil || cluster.spec.token != nil
        cluster.spec.kubeconfig = nil
        cluster.spec.token = nil
        cluster.status = .init(phase: .ready, kubernetesVersion: "v1.31.0", lastCheckTime: Date(), credentialsConfigured: hadCredentials)
        try store.insert(cluster, name: cluster.metadata.name, into: \.clusters, kind: "cluster")
        return .created(.init(body: .json(cluster)))
    }

    func getCluster(_ input: Operations.GetCluster.Input) async throws -> Operations.GetCluster.Output {
        .ok(.init(body: .json(try store.get(input.path.name, from: \.clusters, kind: "cluster"))))
    }

    func listClusters(_ input: Operations.ListClusters.Input) async throws -> Operations.ListClusters.Output {
        .ok(.init(body: .json(.init(items: store.all(\.clusters)))))
    }

    func deleteCluster(_ input: Operations.DeleteCluster.Input) async throws -> Operations.DeleteCluster.Output {
        try store.remove(input.path.name, from: \.clusters, kind: "cluster")
        return .noContent(.init())
    }

    // MARK: - Locations

    func createBackupStorageLocation(_ input: Operations.CreateBackupStorageLocation.Input) async throws
        -> Operations.CreateBackupStorageLocation.Output
    {
        guard case .json(var location) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        try Self.validateName(location.metadata.name)
        store.record(location: location)
        Self.stamp(&location.metadata)
        let hadCredential = location.spec.credential != nil
        location.spec.credential = nil
        location.status = .init(phase: .available, lastValidationTime: Date(), credentialsConfigured: hadCredential)
        try store.insert(location, name: location.metadata.name, into: \.locations, kind: "backup storage location")
        return .created(.init(body: .json(location)))
    }

    func getBackupStorageLocation(_ input: Operations.GetBackupStorageLocation.Input) async throws -> Operations.GetBackupStorageLocation.Output {
        .ok(.init(body: .json(try store.get(input.path.name, from: \.locations, kind: "backup storage location"))))
    }

    func listBackupStorageLocations(_ input: Operations.ListBackupStorageLocations.Input) async throws
        -> Operations.ListBackupStorageLocations.Output
    {
        .ok(.init(body: .json(.init(items: store.all(\.locations)))))
    }

    func replaceBackupStorageLocation(_ input: Operations.ReplaceBackupStorageLocation.Input) async throws
        -> Operations.ReplaceBackupStorageLocation.Output
    {
        guard case .json(var location) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let current = try store.get(input.path.name, from: \.locations, kind: "backup storage location")
        location.metadata = current.metadata
        location.spec.credential = nil
        location.status = current.status
        store.set(location, name: input.path.name, in: \.locations)
        return .ok(.init(body: .json(location)))
    }

    // MARK: - Backups

    func createBackup(_ input: Operations.CreateBackup.Input) async throws -> Operations.CreateBackup.Output {
        guard case .json(var backup) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        try Self.validateName(backup.metadata.name)
        guard let cluster = backup.spec.cluster else { throw LifeboatError.invalidArgument(field: "spec.cluster", reason: "is required") }
        _ = try store.get(cluster, from: \.clusters, kind: "cluster")
        Self.stamp(&backup.metadata)
        backup.status = .init(phase: .new)
        try store.insert(backup, name: backup.metadata.name, into: \.backups, kind: "backup")
        return .created(.init(body: .json(backup)))
    }

    /// The first read after creation finds the backup finished, so `--wait` has something to wait for.
    func getBackup(_ input: Operations.GetBackup.Input) async throws -> Operations.GetBackup.Output {
        var backup = try store.get(input.path.name, from: \.backups, kind: "backup")
        if backup.status?.phase == .new {
            backup.status = .init(expiration: Date().addingTimeInterval(720 * 3600), phase: .completed,
                                  startTimestamp: Date(), completionTimestamp: Date(), progress: .init(totalItems: 3, itemsBackedUp: 3))
            store.set(backup, name: input.path.name, in: \.backups)
        }
        return .ok(.init(body: .json(backup)))
    }

    func listBackups(_ input: Operations.ListBackups.Input) async throws -> Operations.ListBackups.Output {
        var items = store.all(\.backups)
        if let cluster = input.query.cluster { items = items.filter { $0.spec.cluster == cluster } }
        return .ok(.init(body: .json(.init(items: items))))
    }

    func deleteBackup(_ input: Operations.DeleteBackup.Input) async throws -> Operations.DeleteBackup.Output {
        var backup = try store.get(input.path.name, from: \.backups, kind: "backup")
        backup.status?.phase = .deleting
        try store.remove(input.path.name, from: \.backups, kind: "backup")
        return .accepted(.init(body: .json(backup)))
    }

    func getBackupLogs(_ input: Operations.GetBackupLogs.Input) async throws -> Operations.GetBackupLogs.Output {
        _ = try store.get(input.path.name, from: \.backups, kind: "backup")
        return .ok(.init(body: .plainText(.init("level=info msg=\"Backup completed\" backup=\(input.path.name)\n"))))
    }

    // MARK: - Restores

    func createRestore(_ input: Operations.CreateRestore.Input) async throws -> Operations.CreateRestore.Output {
        guard case .json(var restore) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        try Self.validateName(restore.metadata.name)
        let backup = try store.get(restore.spec.backupName ?? "", from: \.backups, kind: "backup")
        restore.spec.cluster = restore.spec.cluster ?? backup.spec.cluster
        Self.stamp(&restore.metadata)
        restore.status = .init(phase: .new)
        try store.insert(restore, name: restore.metadata.name, into: \.restores, kind: "restore")
        return .created(.init(body: .json(restore)))
    }

    func getRestore(_ input: Operations.GetRestore.Input) async throws -> Operations.GetRestore.Output {
        var restore = try store.get(input.path.name, from: \.restores, kind: "restore")
        if restore.status?.phase == .new {
            restore.status = .init(phase: .completed, startTimestamp: Date(), completionTimestamp: Date())
            store.set(restore, name: input.path.name, in: \.restores)
        }
        return .ok(.init(body: .json(restore)))
    }

    func getRestoreItems(_ input: Operations.GetRestoreItems.Input) async throws -> Operations.GetRestoreItems.Output {
        _ = try store.get(input.path.name, from: \.restores, kind: "restore")
        return .ok(.init(body: .json(.init(preview: false, items: [
            .init(resource: "namespaces", kind: "v1/Namespace", name: "shop", outcome: .created),
            .init(resource: "deployments.apps", kind: "apps/v1/Deployment", namespace: "shop", targetNamespace: "shop2", name: "web",
                  outcome: .created),
            .init(resource: "configmaps", kind: "v1/ConfigMap", namespace: "shop", targetNamespace: "shop2", name: "settings",
                  outcome: .failed, reason: "admission webhook denied the request"),
        ]))))
    }

    // MARK: - Tokens

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(var token) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        try Self.validateName(token.metadata.name)
        Self.stamp(&token.metadata)
        token.token = nil
        try store.insert(token, name: token.metadata.name, into: \.tokens, kind: "token")
        token.token = "lbt_test_secret_\(token.metadata.name)"
        return .created(.init(body: .json(token)))
    }

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        .ok(.init(body: .json(.init(items: store.all(\.tokens)))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try store.remove(input.path.name, from: \.tokens, kind: "token")
        return .noContent(.init())
    }
}
