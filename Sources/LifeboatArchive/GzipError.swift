/// Why a gzip stream could not be produced or read.
///
/// A restore checks these before it creates anything in a cluster, so each case says what is wrong
/// with the bytes rather than echoing zlib's internal codes alone.
public enum GzipError: Error, Sendable, Equatable {
    /// zlib could not set up its state (out of memory, or a library built without gzip support).
    case initializationFailed(code: Int32)
    /// The input is not gzip, or a member's header, deflate data or CRC-32/length trailer is wrong.
    case corruptData(reason: String)
    /// The input ended before the last gzip member was complete (or was empty).
    case truncatedInput
    /// The compressor or decompressor was used after `finish()`.
    case alreadyFinished
}
