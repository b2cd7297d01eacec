import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// An object store in memory, for other modules' unit tests (engine, server) that need a bucket but no I/O.
///
/// Listing, ranges and errors follow the same rules as the S3 and filesystem stores (the conformance
/// suite runs against it too); only Object Lock is refused.
public final class InMemoryObjectStore: ObjectStore {
    private struct Entry {
        var bytes: ByteBuffer
        var info: ObjectInfo
    }

    private let objects = Mutex<[String: Entry]>([:])
    private let bucket: String
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - bucket: The name shown in errors.
    ///   - now: The clock for `lastModified`.
    public init(bucket: String = "memory", now: @escaping @Sendable () -> Date = { Date() }) {
        self.bucket = bucket
        self.now = now
    }

    /// Every key currently stored, in S3 order; for assertions in tests.
    public var keys: [String] {
        objects.withLock { $0.keys.sorted(by: ListingPaginator.precedes) }
    }

    @discardableResult
    public func put<Body: AsyncSequence>(key: String, body: Body, options: PutOptions) async throws -> PutResult
    where Body.Element == ByteBuffer {
        try Self.validate(key)
        if options.retention != nil { throw ObjectStoreError.unsupported(operation: "Object Lock retention") }
        var collected = ByteBuffer()
        for try await var chunk in body { collected.writeBuffer(&chunk) }
        let etag = Insecure.MD5.hash(data: collected.readableBytesView).map { String(format: "%02x", $0) }.joined()
        let info = ObjectInfo(
            key: key, size: Int64(collected.readableBytes), etag: etag, lastModified: now(), contentType: options.contentType)
        objects.withLock { $0[key] = Entry(bytes: collected, info: info) }
        return PutResult(etag: etag, size: info.size, parts: 1)
    }

    public func get(key: String, range: ByteRange?) async throws -> ObjectDownload {
        try Self.validate(key)
        guard let entry = objects.withLock({ $0[key] }) else { throw ObjectStoreError.noSuchKey(bucket: bucket, key: key) }
        var span: Range<Int64> = 0..<entry.info.size
        if let range {
            guard let clamped = range.clamped(toSize: entry.info.size) else { throw ObjectStoreError.invalidRange(key: key) }
            span = clamped
        }
        let slice = entry.bytes.getSlice(at: Int(span.lowerBound), length: span.count) ?? ByteBuffer()
        return ObjectDownload(info: entry.info, range: span, body: ObjectByteStream { BufferChunkSource(buffer: slice) })
    }

    public func head(key: String) async throws -> ObjectInfo {
        try Self.validate(key)
        guard let entry = objects.withLock({ $0[key] }) else { throw ObjectStoreError.noSuchKey(bucket: bucket, key: key) }
        return entry.info
    }

    public func list(prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?) async throws -> ObjectListPage {
        let matching = objects.withLock { objects in
            objects.values.map(\.info).filter { $0.key.utf8.starts(with: prefix.utf8) }
        }
        let sorted = matching.sorted { ListingPaginator.precedes($0.key, $1.key) }
        return try ListingPaginator.page(
            sortedObjects: sorted, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys, continuationToken: continuationToken)
    }

    public func delete(key: String) async throws {
        try Self.validate(key)
        _ = objects.withLock { $0.removeValue(forKey: key) }
    }

    public func delete(keys: [String]) async throws -> [String: ObjectStoreError] {
        var failures: [String: ObjectStoreError] = [:]
        for key in keys {
            do { try await delete(key: key) } catch let error as ObjectStoreError { failures[key] = error }
        }
        return failures
    }

    /// Memory has no URL anyone else could fetch.
    public func presignedGetURL(key: String, expiresIn: Duration) async throws -> URL {
        throw ObjectStoreError.unsupported(operation: "pre-signed URLs")
    }

    /// The same key rules as S3: non-empty, at most 1024 UTF-8 bytes.
    private static func validate(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 1024 else {
            throw ObjectStoreError.invalidKey(key: key, reason: "a key must be 1 to 1024 bytes long")
        }
    }
}

/// Hands out an in-memory buffer in bounded slices, like a network body would arrive.
final class BufferChunkSource: ByteChunkSource {
    var buffer: ByteBuffer

    init(buffer: ByteBuffer) { self.buffer = buffer }

    func nextChunk() async throws -> ByteBuffer? {
        guard buffer.readableBytes > 0 else { return nil }
        return buffer.readSlice(length: min(buffer.readableBytes, 64 * 1024))
    }
}
