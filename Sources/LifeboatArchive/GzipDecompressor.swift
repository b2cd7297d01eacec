import CZlib
import Foundation

/// Streams gzip bytes back into plain bytes, incrementally, with memory that does not grow.
///
/// Restore feeds it the downloaded tarball chunk by chunk. It accepts several gzip members one after
/// another (what `cat a.gz b.gz` and some parallel compressors produce), as Go's `gzip.Reader` does
/// by default, and tells corrupt input apart from input that simply stopped early.
///
/// Not `Sendable`: one decompressor belongs to one task.
public final class GzipDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableBufferPointer<UInt8>
    private var finished = false
    /// True between the end of one member and the first byte of the next (or the end of input).
    private var atMemberBoundary = false
    private var sawAnyInput = false

    /// Compressed bytes consumed so far.
    public private(set) var bytesIn: UInt64 = 0
    /// Decompressed bytes handed to the sinks so far.
    public private(set) var bytesOut: UInt64 = 0
    /// Complete gzip members read so far.
    public private(set) var membersRead = 0

    /// Creates a decompressor.
    /// - Parameter outputBufferSize: size of the reused output buffer, and so the largest slice a sink sees.
    public init(outputBufferSize: Int = 64 * 1024) throws(GzipError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(capacity: max(outputBufferSize, 512))
        // windowBits 15 + 16: gzip wrapper only. A zlib or raw stream is corrupt input here.
        let code = lifeboat_inflateInit2(stream, 15 + 16)
        guard code == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw .initializationFailed(code: code)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    /// Decompresses `input`, calling `sink` with every piece of plain output.
    ///
    /// The buffer passed to `sink` is only valid during the call.
    public func decompress(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else { throw GzipError.alreadyFinished }
        guard !input.isEmpty, let base = input.baseAddress else { return }
        sawAnyInput = true
        bytesIn += UInt64(input.count)
        var remaining = input.count
        var cursor = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        while remaining > 0 {
            let slice = min(remaining, Int(UInt32.max / 2))
            stream.pointee.next_in = cursor
            stream.pointee.avail_in = UInt32(slice)
            try run(sink: sink)
            cursor += slice
            remaining -= slice
        }
        stream.pointee.next_in = nil
    }

    /// Decompresses the bytes of `input` (an array, `Data`, a slice), calling `sink` with plain output.
    public func decompress(_ input: some ContiguousBytes, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try decompress($0, into: sink) }
    }

    /// Declares the end of input; throws `truncatedInput` unless the last member was complete.
    public func finish() throws {
        guard !finished else { throw GzipError.alreadyFinished }
        finished = true
        guard sawAnyInput, atMemberBoundary else { throw GzipError.truncatedInput }
    }

    private func run(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while stream.pointee.avail_in > 0 {
            if atMemberBoundary {
                // More bytes after a complete member: they must be another member.
                inflateReset(stream)
                atMemberBoundary = false
            }
            stream.pointee.next_out = output.baseAddress
            stream.pointee.avail_out = UInt32(output.count)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                bytesOut += UInt64(produced)
                try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: produced))
            }
            switch code {
            case Z_STREAM_END:
                membersRead += 1
                atMemberBoundary = true
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress with input left and output space free cannot happen; with a full
                // output buffer the loop simply goes round again.
                if stream.pointee.avail_out > 0 && stream.pointee.avail_in > 0 {
                    throw GzipError.corruptData(reason: "inflate made no progress")
                }
            case Z_DATA_ERROR:
                throw GzipError.corruptData(reason: message(default: "invalid gzip data"))
            case Z_NEED_DICT:
                throw GzipError.corruptData(reason: "stream needs a preset dictionary, which gzip never uses")
            case Z_MEM_ERROR:
                throw GzipError.corruptData(reason: "zlib ran out of memory")
            default:
                throw GzipError.corruptData(reason: message(default: "inflate failed with zlib code \(code)"))
            }
        }
        // Z_OK with all input consumed: the member continues in the next chunk.
        if stream.pointee.avail_in == 0, !atMemberBoundary {
            // Drain any output zlib still buffers for this input (a full output buffer on the last pass).
            while true {
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = UInt32(output.count)
                let code = inflate(stream, Z_NO_FLUSH)
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 {
                    bytesOut += UInt64(produced)
                    try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: produced))
                }
                if code == Z_STREAM_END {
                    membersRead += 1
                    atMemberBoundary = true
                    return
                }
                if code == Z_DATA_ERROR { throw GzipError.corruptData(reason: message(default: "invalid gzip data")) }
                if produced == 0 || (code != Z_OK && code != Z_BUF_ERROR) { return }
            }
        }
    }

    private func message(default fallback: String) -> String {
        guard let msg = stream.pointee.msg else { return fallback }
        return String(cString: msg)
    }
}

extension GzipDecompressor {
    /// Decompresses a whole small gzip document (a sidecar like `<B>-resource-list.json.gz`).
    public static func decompress(_ bytes: some ContiguousBytes) throws -> [UInt8] {
        let gzip = try GzipDecompressor(outputBufferSize: 16 * 1024)
        var result: [UInt8] = []
        try gzip.decompress(bytes) { result.append(contentsOf: $0) }
        try gzip.finish()
        return result
    }
}
