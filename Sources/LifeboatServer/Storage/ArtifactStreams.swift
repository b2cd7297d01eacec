import Crypto
import Foundation
import LifeboatCore
import LifeboatArchive
import LifeboatObjectStore
import Logging
import NIOCore

/// The plain bytes of a gzip object, decompressed one stored chunk at a time while the response is sent, so a log
/// of any size is served in bounded memory. Closes the location when the stream ends, fails or is dropped.
///
/// Iterate once: the object's bytes come from one download.
struct GunzippedObjectStream: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>

    let compressed: ObjectByteStream
    let closer: LocationCloser

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: compressed.makeAsyncIterator(), closer: closer)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: ObjectByteStream.AsyncIterator
        let closer: LocationCloser
        /// Created on the first pull: its initializer throws, `makeAsyncIterator()` cannot.
        var gzip: GzipDecompressor?
        var finished = false

        mutating func next() async throws -> ArraySlice<UInt8>? {
            guard !finished else { return nil }
            do {
                let gzip = try self.gzip ?? GzipDecompressor()
                self.gzip = gzip
                while let chunk = try await upstream.next() {
                    var plain: [UInt8] = []
                    try chunk.withUnsafeReadableBytes { compressed in
                        try gzip.decompress(compressed) { plain.append(contentsOf: $0) }
                    }
                    if !plain.isEmpty { return plain[...] }
                }
                try gzip.finish()
                finished = true
                await closer.close()
                return nil
            } catch {
                finished = true
                await closer.close()
                throw error
            }
        }
    }
}

/// A backup tarball passed through as it arrives from the store while its SHA-256 is computed.
///
/// The last chunk is held back until the whole object has been hashed: when the digest (or the size) differs from
/// what the backup recorded, the stream throws instead of sending it, so the client gets a response that is cut
/// short (fewer bytes than `Content-Length`, or no final chunk) rather than a complete-looking corrupt file.
struct ChecksumVerifiedStream: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>

    let body: ObjectByteStream
    let key: String
    /// Lowercase hex SHA-256 the bytes must have; nil streams unverified (a backup with no recorded checksum).
    let expectedSHA256: String?
    let expectedSize: Int64?
    let closer: LocationCloser
    /// Called once with the reason when verification fails, before the stream throws.
    let onMismatch: @Sendable (String) -> Void

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: body.makeAsyncIterator(), stream: self)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: ObjectByteStream.AsyncIterator
        let stream: ChecksumVerifiedStream
        var hasher = SHA256()
        var byteCount: Int64 = 0
        var held: ByteBuffer?
        var finished = false

        init(upstream: ObjectByteStream.AsyncIterator, stream: ChecksumVerifiedStream) {
            self.upstream = upstream
            self.stream = stream
        }

        mutating func next() async throws -> ArraySlice<UInt8>? {
            guard !finished else { return nil }
            do {
                while let chunk = try await upstream.next() {
                    guard chunk.readableBytes > 0 else { continue }
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    byteCount += Int64(chunk.readableBytes)
                    let previous = held
                    held = chunk
                    if let previous { return Self.bytes(previous) }
                }
                finished = true
                if let reason = verify() {
                    stream.onMismatch(reason)
                    throw ObjectStoreError.integrity(key: stream.key, reason: reason)
                }
                await stream.closer.close()
                return held.map(Self.bytes)
            } catch {
                finished = true
                await stream.closer.close()
                throw error
            }
        }

        /// Why the bytes read do not match the backup's record, or nil when they do.
        private func verify() -> String? {
            if let expected = stream.expectedSize, expected != byteCount {
                return "the object has \(byteCount) bytes, the backup recorded \(expected)"
            }
            let digest = hasher.finalize().lowercaseHex
            if let expected = stream.expectedSHA256, expected != digest {
                return "its SHA-256 is \(digest), the backup recorded \(expected)"
            }
            return nil
        }

        private static func bytes(_ buffer: ByteBuffer) -> ArraySlice<UInt8> {
            Array(buffer.readableBytesView)[...]
        }
    }
}
