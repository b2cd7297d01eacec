import Foundation
import NIOCore

/// The seam to object storage: S3-compatible buckets, a local directory, or memory in tests.
///
/// Keys are bucket-relative (a store is bound to one bucket, or one root directory). Bodies are streamed
/// both ways so that memory stays bounded whatever the object size: `put` consumes an async sequence of
/// unknown length, `get` returns an ``ObjectByteStream``.
///
/// ```swift
/// let store: any ObjectStore = try FileSystemObjectStore(root: dataDirectory)
/// try await store.put(key: "backups/nightly/velero-backup.json", bytes: ByteBuffer(string: json))
/// let download = try await store.get(key: "backups/nightly/velero-backup.json")
/// for try await chunk in download.body { … }
/// ```
public protocol ObjectStore: Sendable {
    /// Stores `body` under `key`, replacing any object there. The object becomes visible only when complete.
    ///
    /// A body that does not fit in one part is uploaded in parts (S3 multipart); a failed upload leaves
    /// neither a partial object nor an incomplete upload behind.
    @discardableResult
    func put<Body: AsyncSequence>(key: String, body: Body, options: PutOptions) async throws -> PutResult
    where Body.Element == ByteBuffer

    /// Opens `key` for reading, the whole object or one byte range of it.
    func get(key: String, range: ByteRange?) async throws -> ObjectDownload

    /// Size, ETag and modification time of `key`; `ObjectStoreError.noSuchKey` when absent.
    func head(key: String) async throws -> ObjectInfo

    /// One page of the keys under `prefix`, in S3's order (ascending UTF-8 bytes).
    ///
    /// With a `delimiter`, keys that contain it after the prefix are rolled up into `commonPrefixes`.
    /// Pass the page's `nextContinuationToken` back to get the next page.
    func list(prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?) async throws -> ObjectListPage

    /// Deletes `key`. Deleting an absent key succeeds, as on S3.
    func delete(key: String) async throws

    /// Deletes many keys at once and returns the keys that could not be deleted, with why.
    func delete(keys: [String]) async throws -> [String: ObjectStoreError]

    /// A URL that lets anyone holding it GET `key` without credentials until it expires.
    func presignedGetURL(key: String, expiresIn: Duration) async throws -> URL
}

extension ObjectStore {
    /// Stores one buffer under `key`.
    @discardableResult
    public func put(key: String, bytes: ByteBuffer, options: PutOptions = PutOptions()) async throws -> PutResult {
        try await put(key: key, body: SingleBufferSequence(buffer: bytes), options: options)
    }

    /// Stores a stream under `key` with default options.
    @discardableResult
    public func put<Body: AsyncSequence>(key: String, body: Body) async throws -> PutResult where Body.Element == ByteBuffer {
        try await put(key: key, body: body, options: PutOptions())
    }

    /// Opens the whole object at `key`.
    public func get(key: String) async throws -> ObjectDownload {
        try await get(key: key, range: nil)
    }

    /// Reads the whole object (or `range` of it) into memory; only for objects known to be small.
    public func getBytes(key: String, range: ByteRange? = nil, upTo limit: Int = 64 * 1024 * 1024) async throws -> ByteBuffer {
        let download = try await get(key: key, range: range)
        return try await download.body.collect(upTo: limit)
    }

    /// Whether `key` exists (Velero's `ObjectExists`).
    public func exists(key: String) async throws -> Bool {
        do {
            _ = try await head(key: key)
            return true
        } catch ObjectStoreError.noSuchKey {
            return false
        }
    }

    /// Every object and common prefix under `prefix`, following continuation tokens to the end.
    public func listAll(prefix: String, delimiter: String? = nil, pageSize: Int = 1000) async throws -> ObjectListPage {
        var result = ObjectListPage(objects: [], commonPrefixes: [], nextContinuationToken: nil)
        var token: String?
        repeat {
            let page = try await list(prefix: prefix, delimiter: delimiter, maxKeys: pageSize, continuationToken: token)
            result.objects += page.objects
            result.commonPrefixes += page.commonPrefixes
            token = page.nextContinuationToken
        } while token != nil
        return result
    }
}

/// Settings for one `put`.
public struct PutOptions: Sendable, Hashable {
    /// The `Content-Type` to store; S3 defaults to `binary/octet-stream` without one.
    public var contentType: String?
    /// S3 Object Lock retention to apply; the bucket must have Object Lock enabled.
    public var retention: ObjectRetention?

    public init(contentType: String? = nil, retention: ObjectRetention? = nil) {
        self.contentType = contentType
        self.retention = retention
    }
}

/// S3 Object Lock retention: the object cannot be deleted or overwritten in place until `retainUntil`.
public struct ObjectRetention: Sendable, Hashable {
    /// `governance` can be bypassed by privileged users; `compliance` cannot be bypassed by anyone.
    public enum Mode: String, Sendable, Hashable {
        case governance = "GOVERNANCE"
        case compliance = "COMPLIANCE"
    }

    public var mode: Mode
    public var retainUntil: Date

    public init(mode: Mode, retainUntil: Date) {
        self.mode = mode
        self.retainUntil = retainUntil
    }
}

/// What a completed `put` reports.
public struct PutResult: Sendable, Hashable {
    /// The stored object's ETag, without quotes.
    public var etag: String
    /// How many bytes were stored.
    public var size: Int64
    /// How many parts were uploaded; 1 for a single PUT.
    public var parts: Int
}

/// A byte range of an object: `length` bytes from `offset`, or everything from `offset` when `length` is nil.
public struct ByteRange: Sendable, Hashable {
    public var offset: Int64
    public var length: Int64?

    public init(offset: Int64, length: Int64? = nil) {
        precondition(offset >= 0 && (length ?? 1) > 0, "a byte range starts at 0 or later and is not empty")
        self.offset = offset
        self.length = length
    }

    /// The HTTP `Range` header value, e.g. `bytes=10-19`.
    var httpHeaderValue: String {
        if let length { return "bytes=\(offset)-\(offset + length - 1)" }
        return "bytes=\(offset)-"
    }

    /// The part of an object of `size` bytes this range covers, or nil when it starts past the end.
    func clamped(toSize size: Int64) -> Range<Int64>? {
        guard offset < size else { return nil }
        let end = length.map { min(size, offset + $0) } ?? size
        return offset..<end
    }
}

/// Metadata of one stored object.
public struct ObjectInfo: Sendable, Hashable {
    public var key: String
    /// Size of the whole object in bytes.
    public var size: Int64
    /// ETag without quotes; for S3 multipart objects it ends in `-<parts>`.
    public var etag: String
    public var lastModified: Date?
    public var contentType: String?

    public init(key: String, size: Int64, etag: String, lastModified: Date?, contentType: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
    }
}

/// An open object: its metadata and its bytes, which can be iterated once.
public struct ObjectDownload: Sendable {
    public var info: ObjectInfo
    /// The byte range being delivered (the whole object when no range was asked for).
    public var range: Range<Int64>
    public var body: ObjectByteStream

    public init(info: ObjectInfo, range: Range<Int64>, body: ObjectByteStream) {
        self.info = info
        self.range = range
        self.body = body
    }
}

/// One page of a listing.
public struct ObjectListPage: Sendable, Hashable {
    public var objects: [ObjectInfo]
    /// Prefixes rolled up by the delimiter, each ending in the delimiter.
    public var commonPrefixes: [String]
    /// Pass back to `list` for the next page; nil on the last page.
    public var nextContinuationToken: String?

    public init(objects: [ObjectInfo], commonPrefixes: [String], nextContinuationToken: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }

    public var isTruncated: Bool { nextContinuationToken != nil }
}

/// An async sequence of exactly one buffer, so a single buffer can go through the streaming `put`.
struct SingleBufferSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
