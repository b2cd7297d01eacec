import CZlib
import Foundation

/// Streams bytes into a single gzip member, incrementally, with memory that does not grow.
///
/// The backup writer feeds it tar blocks as items arrive and forwards what comes out to a multipart
/// upload, so neither the tarball nor its compressed form is ever held whole. zlib's state and one
/// output buffer of `outputBufferSize` bytes are allocated once and reused for every call.
///
/// ```swift
/// let gzip = try GzipCompressor()
/// var out: [UInt8] = []
/// try gzip.compress(chunk) { out.append(contentsOf: $0) }
/// try gzip.finish { out.append(contentsOf: $0) }
/// ```
///
/// Not `Sendable`: one compressor belongs to one task, like the stream it writes.
public final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    /// Bytes given to `compress`, the uncompressed size of the member.
    public private(set) var bytesIn: UInt64 = 0
    /// Bytes handed to the sinks so far, the compressed size once `finish` returned.
    public private(set) var bytesOut: UInt64 = 0

    /// Creates a compressor for one gzip member.
    /// - Parameters:
    ///   - level: zlib level, 0–9; the default (-1 = 6) is what Go's `compress/gzip` and Velero use.
    ///   - outputBufferSize: size of the reused output buffer, and so the largest slice a sink sees.
    public init(level: Int32 = Z_DEFAULT_COMPRESSION, outputBufferSize: Int = 64 * 1024) throws(GzipError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(capacity: max(outputBufferSize, 512))
        // windowBits 15 + 16 asks zlib for a gzip wrapper (header, CRC-32, length) instead of zlib's.
        let code = lifeboat_deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard code == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw .initializationFailed(code: code)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    /// Compresses `input`, calling `sink` with every piece of compressed output that is ready.
    ///
    /// The buffer passed to `sink` is only valid during the call. zlib keeps some input back until it
    /// has a full block, so small inputs may produce no output until later calls or `finish`.
    public func compress(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else { throw GzipError.alreadyFinished }
        guard !input.isEmpty, let base = input.baseAddress else { return }
        bytesIn += UInt64(input.count)
        var remaining = input.count
        var cursor = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        // avail_in is 32-bit; feed gigantic inputs in slices so nothing is silently dropped.
        while remaining > 0 {
            let slice = min(remaining, Int(UInt32.max / 2))
            stream.pointee.next_in = cursor
            stream.pointee.avail_in = UInt32(slice)
            try run(flush: Z_NO_FLUSH, sink: sink)
            cursor += slice
            remaining -= slice
        }
        stream.pointee.next_in = nil
    }

    /// Compresses the bytes of `input` (an array, `Data`, a slice), calling `sink` with ready output.
    public func compress(_ input: some ContiguousBytes, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try compress($0, into: sink) }
    }

    /// Flushes everything zlib still holds and writes the gzip trailer; the member is complete after it.
    public func finish(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else { throw GzipError.alreadyFinished }
        finished = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(flush: Z_FINISH, sink: sink)
    }

    /// Runs deflate until it has consumed all input (or, with `Z_FINISH`, ended the stream).
    private func run(flush: Int32, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            stream.pointee.next_out = output.baseAddress
            stream.pointee.avail_out = UInt32(output.count)
            let code = deflate(stream, flush)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                bytesOut += UInt64(produced)
                try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: produced))
            }
            switch code {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // With input left or a full output buffer, deflate has more to do; otherwise this
                // call is done (Z_BUF_ERROR only means "no progress possible", not a failure).
                if flush == Z_FINISH { continue }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            default:
                throw GzipError.corruptData(reason: "deflate failed with zlib code \(code)")
            }
        }
    }
}

extension GzipCompressor {
    /// Compresses a whole small document (a sidecar like `<B>-results.gz`) into one gzip member.
    public static func compress(_ bytes: some ContiguousBytes, level: Int32 = Z_DEFAULT_COMPRESSION) throws -> [UInt8] {
        let gzip = try GzipCompressor(level: level, outputBufferSize: 16 * 1024)
        var result: [UInt8] = []
        try gzip.compress(bytes) { result.append(contentsOf: $0) }
        try gzip.finish { result.append(contentsOf: $0) }
        return result
    }
}
