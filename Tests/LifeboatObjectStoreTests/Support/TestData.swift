import Crypto
import Foundation
import NIOCore

/// Deterministic pseudo-random bytes, streamed in chunks of uneven size, with their SHA-256.
///
/// Uneven chunks make part boundaries fall inside chunks, which is where splitting bugs hide.
struct GeneratedBytes: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let size: Int
    let seed: UInt64
    var chunkSize = 1_000_003
    /// Throw after this many bytes, to test failed uploads.
    var failAfter: Int?

    struct InjectedFailure: Error {}

    struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: GeneratedBytes
        var produced = 0
        var state: UInt64

        mutating func next() async throws -> ByteBuffer? {
            if let limit = sequence.failAfter, produced >= limit { throw InjectedFailure() }
            guard produced < sequence.size else { return nil }
            let count = Swift.min(sequence.chunkSize, sequence.size - produced)
            var buffer = ByteBuffer()
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
                var x = state
                var index = 0
                while index < count {
                    x ^= x << 13
                    x ^= x >> 7
                    x ^= x << 17
                    withUnsafeBytes(of: x) { word in
                        let n = Swift.min(8, count - index)
                        raw.baseAddress!.advanced(by: index).copyMemory(from: word.baseAddress!, byteCount: n)
                    }
                    index += 8
                }
                state = x
                return count
            }
            produced += count
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self, state: seed | 1) }

    /// SHA-256 of the whole sequence, computed by streaming it once.
    func sha256() async throws -> String {
        var hasher = SHA256()
        for try await chunk in self { hasher.update(data: chunk.readableBytesView) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the bytes to a file, for the boto3 and aws CLI side of the interop tests.
    func write(to url: URL) async throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        for try await chunk in self { try handle.write(contentsOf: Data(chunk.readableBytesView)) }
    }
}

/// SHA-256 and length of a stream, consumed chunk by chunk.
func digest<S: AsyncSequence>(_ stream: S) async throws -> (sha256: String, size: Int) where S.Element == ByteBuffer {
    var hasher = SHA256()
    var size = 0
    for try await chunk in stream {
        hasher.update(data: chunk.readableBytesView)
        size += chunk.readableBytes
    }
    return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
}

func sha256(ofFile url: URL) throws -> String {
    SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
}
