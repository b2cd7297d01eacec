import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import Logging
@testable import LifeboatServer
import NIOCore
import Testing

/// A catalog test server with a filesystem location (bucket = a fresh temporary directory, under a prefix) and
/// helpers that write a backup's and a restore's artifacts into it by hand, the way the engine lays them out.
struct ArtifactFixtures {
    static let prefix = "team-a"

    let server: CatalogTestServer
    let root: String
    let store: FileSystemObjectStore
    let layout = StorageLayout(prefix: Self.prefix)

    init(logger: Logger = quietLogger()) throws {
        server = try CatalogTestServer(logger: logger)
        root = try makeTemporaryPath()
        store = try FileSystemObjectStore(root: URL(fileURLWithPath: root, isDirectory: true), createIfMissing: false)
    }

    static func location(root: String, accessMode: String = "ReadWrite") -> String {
        #"""
        {"metadata":{"name":"local"},"spec":{"provider":"filesystem","objectStorage":{"bucket":"\#(root)","prefix":"\#(prefix)"},
         "default":true,"accessMode":"\#(accessMode)"}}
        """#
    }

    /// A cluster, the location and a backup `name` in phase New.
    func prepare(_ client: some TestClientProtocol, backup name: String = "nightly") async throws {
        try await client.send(.post, "/v1/clusters", json: Fixtures.cluster()) { #expect($0.status == .created) }
        try await client.send(.post, "/v1/backup-locations", json: Self.location(root: root)) { #expect($0.status == .created) }
        try await client.send(.post, "/v1/backups", json: Fixtures.backup(name)) { #expect($0.status == .created) }
    }

    func put(_ key: String, _ bytes: [UInt8]) async throws {
        try await store.put(key: key, bytes: ByteBuffer(bytes: bytes))
    }

    func keys(under prefix: String) async throws -> [String] {
        try await store.listAll(prefix: prefix).objects.map(\.key).sorted()
    }

    // MARK: - Documents

    /// Log text big enough that its gzip spans several 1 MiB chunks of the filesystem store (UUIDs barely compress).
    static func logText(lines: Int = 60_000) -> String {
        (0..<lines).map { "time=\"2026-01-02T03:04:05Z\" level=info msg=\"Backed up item\" n=\($0) id=\(UUID().uuidString)\n" }.joined()
    }

    static let resourceList = ResourceList(entries: [
        "apps/v1/Deployment": ["shop/web"], "v1/ConfigMap": ["shop/settings", "shop/web-env"], "v1/Namespace": ["shop"],
    ])

    static var results: OperationResults {
        var results = OperationResults()
        results.warnings.add(namespace: "shop", "configmaps/web-env: annotation dropped")
        results.warnings.velero.append("volume snapshots are not supported")
        results.errors.add(namespace: nil, "clusterroles/edit: forbidden")
        return results
    }

    static let itemResults = RestoreItemResults(preview: false, items: [
        RestoreItemResult(resource: "namespaces", kind: "v1/Namespace", namespace: nil, targetNamespace: nil, name: "shop", outcome: .created),
        RestoreItemResult(resource: "deployments.apps", kind: "apps/v1/Deployment", namespace: "shop", targetNamespace: "shop-copy",
                          name: "web", outcome: .created),
        RestoreItemResult(resource: "configmaps", kind: "v1/ConfigMap", namespace: "shop", targetNamespace: "shop-copy", name: "settings",
                          outcome: .skipped, reason: "already exists and differs; existingResourcePolicy is none"),
        RestoreItemResult(resource: "services", kind: "v1/Service", namespace: "shop", targetNamespace: "shop-copy", name: "web",
                          outcome: .failed, reason: "admission webhook denied the request"),
    ])

    /// A real format-1.1.0 tarball with a few items, one of them large and incompressible so the object spans
    /// several store chunks.
    static func tarball() throws -> [UInt8] {
        let archive = try BackupArchiveWriter(modificationTime: Date(timeIntervalSince1970: 1_767_323_045), chunkSize: 256 * 1024)
        var output: [UInt8] = []
        let namespace = Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}"#.utf8)
        try archive.add(ArchiveItem(groupResource: GroupResource(resource: "namespaces"), apiVersion: "v1", kind: "Namespace",
                                    namespace: nil, name: "shop", json: namespace))
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<(2 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let blob = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"blob","namespace":"shop"},"binaryData":{"b":""#.utf8)
            + Array(Data(noise).base64EncodedString().utf8) + Array(#""}}"#.utf8)
        try archive.add(ArchiveItem(groupResource: GroupResource(resource: "configmaps"), apiVersion: "v1", kind: "ConfigMap",
                                    namespace: "shop", name: "blob", json: blob))
        while let chunk = archive.nextChunk() { output += chunk }
        _ = try archive.finish()
        while let chunk = archive.nextChunk() { output += chunk }
        return output
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Writing artifacts

    /// Writes every artifact of a completed backup and records its tarball's size and checksum in the catalog.
    ///
    /// - Parameter recordedTarball: the bytes whose checksum and size the status records; by default the tarball
    ///   written. Pass different bytes to simulate an object that changed in the bucket.
    @discardableResult
    func writeCompletedBackup(
        _ name: String = "nightly", log: String, tarball: [UInt8], recordedTarball: [UInt8]? = nil
    ) async throws -> BackupKeys {
        let keys = try layout.backup(name)
        try await put(keys.logs, try GzipCompressor.compress(Array(log.utf8)))
        try await put(keys.resourceList, try Self.resourceList.gzipped())
        try await put(keys.results, try Self.results.gzipped())
        try await put(keys.contents, tarball)
        try await put(keys.metadata, Array(#"{"kind":"Backup"}"#.utf8))
        try await markCompleted(name, tarball: recordedTarball ?? tarball)
        return keys
    }

    func markCompleted(_ name: String, tarball: [UInt8]) async throws {
        var status = BackupStatus(phase: .completed)
        status.startTimestamp = Date(timeIntervalSince1970: 1_767_323_000)
        status.completionTimestamp = Date(timeIntervalSince1970: 1_767_323_045)
        status.sizeBytes = Int64(tarball.count)
        status.checksum = Self.sha256(tarball)
        try await server.database.updateBackupStatus(BackupName(name), status)
    }

    /// Creates restore `name` of `backup` through the API and writes its artifacts; `finished` marks it Completed.
    @discardableResult
    func writeRestore(
        _ client: some TestClientProtocol, _ name: String, of backup: String = "nightly", log: String, finished: Bool = true
    ) async throws -> RestoreKeys {
        let body = #"{"metadata":{"name":"\#(name)"},"spec":{"backupName":"\#(backup)","namespaceMapping":{"shop":"shop-copy"}}}"#
        try await client.send(.post, "/v1/restores", json: body) { #expect($0.status == .created) }
        let keys = try layout.restore(name)
        try await put(keys.logs, try GzipCompressor.compress(Array(log.utf8)))
        try await put(keys.results, try Self.results.gzipped())
        try await put(keys.resourceList, try ResourceList(entries: ["v1/Namespace": ["shop(created)"]]).gzipped())
        try await put(keys.items, try Self.itemResults.gzipped())
        if finished {
            var status = RestoreStatus(phase: .partiallyFailed)
            status.startTimestamp = Date(timeIntervalSince1970: 1_767_324_000)
            status.completionTimestamp = Date(timeIntervalSince1970: 1_767_324_010)
            status.errors = 1
            try await server.database.updateRestoreStatus(RestoreName(name), status)
        }
        return keys
    }
}
