import CZlib
import Foundation
import LifeboatCore

/// Streams a Velero format 1.1.0 backup tarball (`<B>.tar.gz`) out of items as they arrive.
///
/// `metadata/version` comes first; each item is written twice, at its unversioned path (what
/// Velero's restore reads) and under `<ver>-preferredversion/`; everything is gzip-compressed on the
/// fly. The writer never holds more than one item's tar bytes plus the compressed output the caller
/// has not collected yet, so the caller controls memory and back-pressure by draining `nextChunk()`:
///
/// ```swift
/// let archive = try BackupArchiveWriter(modificationTime: .now, chunkSize: 8 << 20)
/// for try await item in items {
///     try archive.add(item)
///     while let part = archive.nextChunk() { try await upload.uploadPart(part) }
/// }
/// let summary = try archive.finish()
/// while let part = archive.nextChunk() { try await upload.uploadPart(part) }
/// ```
///
/// It also builds the backup's resource list. Checksums are the caller's: hash the chunks as they go.
/// Not `Sendable`: one writer belongs to the one task producing the backup.
public final class BackupArchiveWriter {
    /// The tarball format Lifeboat writes (`status.formatVersion` of the Backup).
    public static let formatVersion = "1.1.0"

    /// What a finished archive contained.
    public struct Summary: Sendable, Equatable {
        /// Items added (each written twice).
        public var itemCount: Int
        /// Size of the uncompressed tar stream.
        public var tarBytes: UInt64
        /// Size of the gzip stream, the tarball object's size.
        public var compressedBytes: UInt64
        /// The content of `<B>-resource-list.json.gz`.
        public var resourceList: ResourceList
    }

    /// Which items the writer remembers to refuse a second copy of. Remembering costs about 50 bytes per item for
    /// the whole run, so a caller that knows where duplicates can come from names those types only.
    public enum DuplicateCheck: Sendable, Equatable {
        /// Every item: `add` refuses any repeat. The default, and right for a caller that cannot say more.
        case everyItem
        /// Only items of these types; the caller guarantees every other item reaches `add` once.
        case only(Set<GroupResource>)

        func covers(_ groupResource: GroupResource) -> Bool {
            switch self {
            case .everyItem: true
            case .only(let types): types.contains(groupResource)
            }
        }
    }

    /// The size of the chunks `nextChunk()` returns before `finish()`.
    public let chunkSize: Int
    private var tar: TarWriter
    /// Nil when the caller compresses the stream itself (the engine does it on another core).
    private let gzip: GzipCompressor?
    private var scratch: [UInt8] = []
    private var pending: [UInt8] = []
    private let duplicateCheck: DuplicateCheck
    private var writtenItems: Set<ItemKeyDigest> = []
    /// Number of items added so far.
    public private(set) var itemCount = 0
    private var finished = false
    /// The resource list so far.
    public private(set) var resourceList = ResourceList()
    /// False when the caller keeps the resource list itself (a `ResourceListSpool`, for backups of any size).
    private let collectsResourceList: Bool

    /// Starts an archive and writes `metadata/version`.
    /// - Parameters:
    ///   - modificationTime: the time stamped on every entry (Velero uses the backup's write time).
    ///   - chunkSize: how much compressed output `nextChunk()` gathers before returning it; pick the
    ///     multipart part size (S3 needs at least 5 MiB for every part but the last).
    ///   - compressionLevel: zlib level; the default matches Go's `gzip.DefaultCompression`. Nil writes the plain
    ///     tar stream, for a caller that gzips it in a pipeline stage of its own.
    ///   - collectsResourceList: false leaves `resourceList` (and the summary's) empty, for a caller that spools it.
    ///   - duplicateCheck: the items `add` remembers, to refuse their repeats.
    public init(modificationTime: Date, chunkSize: Int = 8 * 1024 * 1024, compressionLevel: Int32? = Z_DEFAULT_COMPRESSION,
                collectsResourceList: Bool = true, duplicateCheck: DuplicateCheck = .everyItem) throws {
        self.collectsResourceList = collectsResourceList
        self.duplicateCheck = duplicateCheck
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.chunkSize = chunkSize
        tar = TarWriter(modificationTime: modificationTime)
        gzip = try compressionLevel.map { level throws(GzipError) in try GzipCompressor(level: level) }
        scratch.reserveCapacity(64 * 1024)
        pending.reserveCapacity(min(chunkSize, 16 * 1024 * 1024) + 64 * 1024)
        try tar.appendFile(name: "metadata/version", contents: Array("\(Self.formatVersion)\n".utf8), to: &scratch)
        try compressScratch()
    }

    /// Adds one item at both of its paths and records it in the resource list.
    ///
    /// - Throws: `LifeboatError.invalidArgument` when the name or namespace is not one path segment,
    ///   `LifeboatError.alreadyExists` when the same object was added before (for the types `duplicateCheck` covers).
    public func add(_ item: ArchiveItem) throws {
        guard !finished else { throw TarError.alreadyFinished }
        try Self.validateSegment(item.name, field: "name")
        if let namespace = item.namespace { try Self.validateSegment(namespace, field: "namespace") }
        try Self.validateSegment(item.groupResource.description, field: "groupResource")
        try Self.validateSegment(item.version, field: "apiVersion")

        let unversioned = ItemPath(groupResource: item.groupResource, namespace: item.namespace, name: item.name)
        let unversionedName = unversioned.entryName
        guard !duplicateCheck.covers(item.groupResource) || writtenItems.insert(ItemKeyDigest(unversionedName)).inserted else {
            throw LifeboatError.alreadyExists(kind: item.groupResource.description, name: item.namespace.map { "\($0)/\(item.name)" } ?? item.name)
        }
        var preferred = unversioned
        preferred.copy = .preferredVersion(item.version)
        try item.json.withUnsafeBytes { body in
            try tar.appendFile(name: unversionedName, contents: body, to: &scratch)
            try tar.appendFile(name: preferred.entryName, contents: body, to: &scratch)
        }
        try compressScratch()
        itemCount += 1
        if collectsResourceList { resourceList.add(key: item.resourceListKey, namespace: item.namespace, name: item.name) }
    }

    /// Compressed bytes produced but not yet taken with `nextChunk()`.
    public var pendingByteCount: Int { pending.count }

    /// Returns the next `chunkSize` bytes of the gzip stream when that many are ready; after
    /// `finish()`, returns the rest (possibly shorter). Nil when there is nothing to take yet.
    public func nextChunk() -> [UInt8]? {
        if pending.count >= chunkSize {
            let chunk = Array(pending[0..<chunkSize])
            pending.removeFirst(chunkSize)
            return chunk
        }
        if finished, !pending.isEmpty {
            defer { pending.removeAll() }
            return pending
        }
        return nil
    }

    /// Ends the tar stream and the gzip member. Collect the remaining output with `nextChunk()`.
    public func finish() throws -> Summary {
        guard !finished else { throw TarError.alreadyFinished }
        tar.finish(to: &scratch)
        try compressScratch()
        try gzip?.finish { pending.append(contentsOf: $0) }
        finished = true
        return Summary(itemCount: itemCount, tarBytes: tar.bytesWritten, compressedBytes: gzip?.bytesOut ?? tar.bytesWritten,
                       resourceList: resourceList)
    }

    private func compressScratch() throws {
        if let gzip {
            try scratch.withUnsafeBytes { bytes in
                try gzip.compress(bytes) { pending.append(contentsOf: $0) }
            }
        } else {
            pending.append(contentsOf: scratch)
        }
        scratch.removeAll(keepingCapacity: true)
    }

    /// Whether an item with this identity is already in the archive (`add` would refuse it); always false for
    /// the types `duplicateCheck` leaves out.
    public func contains(groupResource: GroupResource, namespace: String?, name: String) -> Bool {
        guard duplicateCheck.covers(groupResource) else { return false }
        return writtenItems.contains(ItemKeyDigest(ItemPath(groupResource: groupResource, namespace: namespace, name: name).entryName))
    }

    private static func validateSegment(_ value: String, field: String) throws(LifeboatError) {
        guard !value.isEmpty, value != ".", value != "..", !value.contains("/"), !value.utf8.contains(0) else {
            throw .invalidArgument(field: field, reason: "must be a non-empty path segment without '/' or NUL")
        }
    }
}
