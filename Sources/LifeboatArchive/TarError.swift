/// Why a tar stream could not be written or read.
///
/// The reader's cases double as the restore's "zip slip" and integrity checks: an archive with any of
/// them is refused before anything is created in a cluster.
public enum TarError: Error, Sendable, Equatable {
    /// An entry name is empty, not UTF-8, contains NUL, is absolute, or has a `..` component.
    case unsafeEntryName(name: String, reason: String)
    /// An entry type the archive format does not use (links, devices, FIFOs, sparse or volume entries).
    case unsupportedEntryType(name: String, typeFlag: UInt8)
    /// A header block whose checksum does not match its contents.
    case badHeaderChecksum(offset: UInt64)
    /// A header field that cannot be parsed (size, mode or time not a number, bad PAX record, ...).
    case malformedHeader(offset: UInt64, reason: String)
    /// The input ended inside a header or body, or without the end-of-archive zero blocks.
    case truncatedArchive
    /// An entry is larger than the reader was allowed to buffer.
    case entryTooLarge(name: String, size: UInt64, limit: UInt64)
    /// The writer or reader was used after `finish()`.
    case alreadyFinished
}
