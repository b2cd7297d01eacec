import Foundation
import Testing
import KubeSim
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore
import Logging
import NIOCore

/// A kubesim, a client for it and a filesystem store in a temporary directory, for one engine test.
struct EngineHarness {
    let sim: KubeSimServer
    let client: HTTPKubernetesClient
    let store: FileSystemObjectStore
    let root: URL
    let layout = StorageLayout(prefix: "")
    var logger: Logger {
        var logger = Logger(label: "engine-test")
        logger.logLevel = .warning
        return logger
    }

    static func run<T>(
        _ configuration: KubeSimConfiguration = KubeSimConfiguration(tokens: ["test-token"]),
        limits: ClientLimits = ClientLimits(queriesPerSecond: 1000, burst: 1000, maxConcurrentRequests: 32),
        _ body: (EngineHarness) async throws -> T
    ) async throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let sim = try await KubeSimServer.start(configuration)
        let client: HTTPKubernetesClient
        do {
            var connection = try ClusterConnection(kubeconfig: KubeConfig(yaml: sim.kubeconfig()))
            connection.limits = limits
            client = try HTTPKubernetesClient(connection: connection)
        } catch {
            await sim.stop()
            throw error
        }
        let harness = EngineHarness(sim: sim, client: client, store: try FileSystemObjectStore(root: root), root: root)
        do {
            let result = try await body(harness)
            try await client.shutdown()
            await sim.stop()
            return result
        } catch {
            try? await client.shutdown()
            await sim.stop()
            throw error
        }
    }

    /// Creates every object (JSON documents), namespaces and CRDs being the caller's job to list first.
    func create(_ documents: [String]) async throws {
        let catalog = try await client.discover()
        for document in documents {
            let object = KubeObject(json: Array(document.utf8))
            guard let kind = object.kind, let apiVersion = object.apiVersion,
                  let resource = catalog.resource(forKind: kind, apiVersion: apiVersion) else {
                throw HarnessError("no resource serves \(object.apiVersion ?? "?") \(object.kind ?? "?")")
            }
            _ = try await client.create(resource, object)
        }
    }

    func backup(_ name: String, _ configure: (inout BackupSpec) -> Void = { _ in }) async throws -> BackupOutcome {
        var spec = BackupSpec(cluster: try ClusterName("sim"))
        spec.storageLocation = try LocationName("default")
        configure(&spec)
        var backup = Backup(metadata: ObjectMeta(name: try BackupName(name)), spec: spec)
        backup.status.startTimestamp = Date()
        return try await BackupEngine(backup: backup, client: client, store: store, layout: layout, logger: logger)
            .run(monitor: SilentMonitor())
    }

    func bytes(_ key: String) async throws -> [UInt8] {
        var buffer = try await store.getBytes(key: key, upTo: 512 << 20)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// The tarball of `backup`, indexed.
    func index(of backup: String) async throws -> BackupArchiveIndex {
        let keys = try layout.backup(backup)
        let download = try await store.get(key: keys.contents)
        return try await BackupArchiveReader.index(of: download.body.map { Array($0.readableBytesView) })
    }

    /// `namespace/name` (or `name`) of every item of `resource` in the index.
    static func names(_ index: BackupArchiveIndex, _ resource: String, group: String = "") -> [String] {
        index.items.keys.filter { $0.groupResource == GroupResource(resource: resource, group: group) }
            .map { key in key.namespace.map { "\($0)/\(key.name)" } ?? key.name }.sorted()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension EngineHarness {
    func restore(_ name: String, from backup: String, _ configure: (inout RestoreSpec) -> Void = { _ in }) async throws -> RestoreOutcome {
        var spec = RestoreSpec(backupName: try BackupName(backup))
        configure(&spec)
        var restore = Restore(metadata: ObjectMeta(name: try RestoreName(name)), spec: spec)
        restore.status.startTimestamp = Date()
        return try await RestoreEngine(restore: restore, backupName: backup, client: client, store: store, layout: layout, logger: logger)
            .run(monitor: SilentMonitor())
    }

    /// The live object, or nil when absent.
    func live(_ resource: String, _ name: String, namespace: String? = nil) async throws -> LifeboatKube.JSONValue? {
        let catalog = try await client.discover()
        let api = try #require(catalog.resolve(resource))
        do {
            return try await client.get(api, name: name, namespace: namespace).value()
        } catch let error as KubernetesError where error.isNotFound {
            return nil
        }
    }

    func delete(_ resource: String, _ name: String, namespace: String? = nil) async throws {
        let api = try #require(try await client.discover().resolve(resource))
        try await client.delete(api, name: name, namespace: namespace)
    }

    /// Waits until the object is gone (namespaces terminate before they disappear).
    func waitUntilGone(_ resource: String, _ name: String, namespace: String? = nil) async throws {
        for _ in 0..<200 {
            if try await live(resource, name, namespace: namespace) == nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("\(resource) \(name) did not go away")
    }
}
