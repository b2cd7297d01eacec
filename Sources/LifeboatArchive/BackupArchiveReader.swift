import Foundation

/// Reads a backup tarball (ours or Velero's, format 1 or 1.1) streamed to it in compressed chunks and
/// indexes its items by group-resource, namespace and name.
///
/// For each object it keeps one body, preferring the unversioned copy (the one Velero's restore
/// reads) over a `<ver>-preferredversion` copy; other version directories are recorded but their
/// bodies dropped. Entries are checked by `TarReader` (no absolute paths, `..`, links or devices),
/// so a hostile archive fails here, before a restore creates anything.
///
/// ```swift
/// let reader = try BackupArchiveReader()
/// for try await chunk in download { try reader.consume(chunk) }
/// let index = try reader.finish()
/// ```
///
/// Not `Sendable`: one reader belongs to one task.
public final class BackupArchiveReader {
    private let gunzip: GzipDecompressor
    private var tar: TarReader
    private var index = BackupArchiveIndex()
    private var finished = false

    /// Creates a reader.
    /// - Parameter maximumEntrySize: the largest entry accepted; Kubernetes objects are at most ~1.5 MiB.
    public init(maximumEntrySize: UInt64 = 16 * 1024 * 1024) throws {
        gunzip = try GzipDecompressor()
        tar = TarReader(maximumEntrySize: maximumEntrySize)
    }

    /// Feeds the next chunk of the gzip-compressed tarball.
    public func consume(_ compressed: some ContiguousBytes) throws {
        guard !finished else { throw GzipError.alreadyFinished }
        try gunzip.decompress(compressed) { plain in tar.append(plain) }
        while let entry = try tar.nextEntry() { index.record(entry) }
    }

    /// Declares the end of the download: throws when the gzip or tar stream is incomplete.
    public func finish() throws -> BackupArchiveIndex {
        guard !finished else { throw GzipError.alreadyFinished }
        finished = true
        try gunzip.finish()
        while let entry = try tar.nextEntry() { index.record(entry) }
        try tar.finish()
        index.compressedBytes = gunzip.bytesIn
        return index
    }

    /// Reads and indexes a whole tarball from an asynchronous sequence of compressed chunks.
    public static func index<Chunks: AsyncSequence>(of chunks: Chunks) async throws -> BackupArchiveIndex
    where Chunks.Element: ContiguousBytes {
        let reader = try BackupArchiveReader()
        for try await chunk in chunks { try reader.consume(chunk) }
        return try reader.finish()
    }
}
