import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import NIOCore
import OpenAPIRuntime
import Synchronization

/// The location a backup is stored in, opened, with Velero's key layout under its prefix. Its restores' artifacts
/// live in the same location (`restores/<R>/`).
///
/// Call `close()` when done, or hand a ``LocationCloser`` to the stream that outlives the call.
struct ArtifactLocation: Sendable {
    let location: BackupStorageLocation
    let layout: StorageLayout
    let opened: OpenedLocation

    var store: any ObjectStore { opened.store }

    func close() async { await opened.close() }

    /// Runs `body`, then closes the location whatever happened.
    func use<T>(_ body: (ArtifactLocation) async throws -> T) async throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try await body(self))
        } catch {
            result = .failure(error)
        }
        await close()
        return try result.get()
    }

    /// Reads a small gzip sidecar (a resource list, results, item results) and returns its plain bytes.
    ///
    /// - Throws: `.notFound(kind:name:)` when the object is absent, `.conflict` when it is not valid gzip, and the
    ///   store's error (mapped to `LifeboatError`) otherwise.
    func gunzippedObject(_ key: String, kind: String, name: String, limit: Int = 64 * 1024 * 1024) async throws -> [UInt8] {
        let compressed = try await Self.mappingStoreErrors(kind: kind, name: name) { try await store.getBytes(key: key, upTo: limit) }
        do {
            return try GzipDecompressor.decompress(Array(compressed.readableBytesView))
        } catch {
            throw Self.unreadable(kind: kind, name: name, error)
        }
    }

    /// Reads a small gzip sidecar and decodes it with `decode`; a document that does not decode is `.conflict`.
    func document<T>(_ key: String, kind: String, name: String, decode: ([UInt8]) throws -> T) async throws -> T {
        let json = try await gunzippedObject(key, kind: kind, name: name)
        do {
            return try decode(json)
        } catch {
            throw Self.unreadable(kind: kind, name: name, error)
        }
    }

    /// A gzip object (a log) as a response body of its plain bytes, streamed; the body owns the location from here on.
    func gunzippedBody(kind: String, name: String, key: (StorageLayout) throws -> String) async throws -> HTTPBody {
        let (_, download, closer) = try await download(kind: kind, name: name, key: key)
        return HTTPBody(GunzippedObjectStream(compressed: download.body, closer: closer), length: .unknown, iterationBehavior: .single)
    }

    /// Opens the object `key` picks in the layout, for streaming. On success the caller owns the location through
    /// the returned closer; on failure the location is closed here.
    func download(
        kind: String, name: String, key: (StorageLayout) throws -> String
    ) async throws -> (key: String, download: ObjectDownload, closer: LocationCloser) {
        do {
            let key = try key(layout)
            let download = try await Self.mappingStoreErrors(kind: kind, name: name) { try await store.get(key: key) }
            return (key, download, LocationCloser(opened))
        } catch {
            await close()
            throw error
        }
    }

    /// Maps the store's errors to what an API client should see: an absent object is `.notFound` of the artifact.
    static func mappingStoreErrors<T>(kind: String, name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch ObjectStoreError.noSuchKey {
            throw LifeboatError.notFound(kind: kind, name: name)
        } catch let error as ObjectStoreError {
            throw error.lifeboatError
        }
    }

    /// A stored document that does not decode. The message names the artifact and the parser's complaint only.
    static func unreadable(kind: String, name: String, _ error: any Error) -> LifeboatError {
        let why: String =
            switch error {
            case let error as GzipError: "\(error)"
            case let error as JSONError: "\(error)"
            case is DecodingError: "it does not have the expected shape"
            default: "\(type(of: error))"
            }
        return .conflict(reason: "the stored \(kind) of '\(name)' cannot be read: \(why)")
    }
}

extension LocationStores {
    /// Opens the location `backup` is stored in, with the location's sealed credential.
    ///
    /// - Throws: `.conflict` when the backup names no location, `.notFound` when the location is gone, and what
    ///   `open(_:sealed:)` throws when the store cannot be used.
    func open(locationOf backup: Backup, database: AppDatabase) async throws -> ArtifactLocation {
        guard let name = backup.spec.storageLocation else {
            throw LifeboatError.conflict(reason: "backup '\(backup.name)' has no storage location")
        }
        let location = try await database.location(named: name)
        let opened = try await open(location, database: database)
        return ArtifactLocation(location: location, layout: StorageLayout(prefix: location.spec.objectStorage.prefix ?? ""), opened: opened)
    }
}

/// Closes an opened location exactly once: when the response streaming from it ends, fails, or is dropped
/// unfinished (a client that disconnects); an S3 store's HTTP client must always be shut down.
final class LocationCloser: Sendable {
    private let closeStore: @Sendable () async -> Void
    private let closed = Mutex(false)

    init(_ opened: OpenedLocation) {
        closeStore = opened.close
    }

    func close() async {
        if claim() { await closeStore() }
    }

    private func claim() -> Bool {
        closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
    }

    deinit {
        if claim() {
            let closeStore = self.closeStore
            Task { await closeStore() }
        }
    }
}
