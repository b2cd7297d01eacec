import Crypto
import LifeboatArchive
import LifeboatObjectStore
import NIOCore

/// Writes one object from bytes produced while a run goes on, hashing them on the way: the tarball is never
/// whole in memory or on disk, and its SHA-256 and size are known the moment the last byte is sent.
///
/// The bytes go through small bounded channels to the store's `put` (multipart for S3), so a slow store slows
/// the producer instead of letting memory grow. With `gzipLevel` set, compression and hashing run in a stage of
/// their own, on another core than the producer: in a backup, gzip is as much CPU as everything else per item.
/// When the producer fails, `fail(_:)` makes the body throw, and the store aborts the upload rather than
/// publishing a truncated object.
final class ArtifactUpload {
    private let chunks: BoundedChannel<ByteBuffer>
    private let raw: BoundedChannel<[UInt8]>?
    private var hasher = SHA256()
    private var size: Int64 = 0
    private let putTask: Task<Void, any Error>
    private let compressTask: Task<ArtifactDigest, any Error>?

    /// The compressed output gathered before it is hashed and handed to the store.
    static let outputChunkSize = 1 << 20

    init(store: any ObjectStore, key: String, contentType: String, gzipLevel: Int32? = nil) {
        let chunks = BoundedChannel<ByteBuffer>(capacity: 4)
        let raw = gzipLevel.map { _ in BoundedChannel<[UInt8]>(capacity: 4) }
        self.chunks = chunks
        self.raw = raw
        putTask = Self.startPut(store: store, key: key, contentType: contentType, body: chunks)
        compressTask = Self.startCompression(raw, into: chunks, level: gzipLevel)
    }

    private static func startPut(store: any ObjectStore, key: String, contentType: String, body: BoundedChannel<ByteBuffer>)
        -> Task<Void, any Error>
    {
        Task {
            do {
                try await store.put(key: key, body: body, options: PutOptions(contentType: contentType))
            } catch {
                body.cancel()
                throw error
            }
        }
    }

    private static func startCompression(_ raw: BoundedChannel<[UInt8]>?, into chunks: BoundedChannel<ByteBuffer>, level: Int32?)
        -> Task<ArtifactDigest, any Error>?
    {
        guard let raw, let level else { return nil }
        return Task { try await compress(raw, into: chunks, level: level) }
    }

    /// The compression stage: gzip blocks of `raw` into output chunks, hash them and hand them to the store.
    private static func compress(_ raw: BoundedChannel<[UInt8]>, into chunks: BoundedChannel<ByteBuffer>, level: Int32) async throws
        -> ArtifactDigest
    {
        var hasher = SHA256()
        var size: Int64 = 0
        var output: [UInt8] = []
        output.reserveCapacity(outputChunkSize + 64 * 1024)
        do {
            let gzip = try GzipCompressor(level: level)
            for try await block in raw {
                try gzip.compress(block) { output.append(contentsOf: $0) }
                if output.count >= outputChunkSize {
                    hasher.update(data: output)
                    size += Int64(output.count)
                    try await chunks.send(ByteBuffer(bytes: output))
                    output.removeAll(keepingCapacity: true)
                }
            }
            try gzip.finish { output.append(contentsOf: $0) }
            if !output.isEmpty {
                hasher.update(data: output)
                size += Int64(output.count)
                try await chunks.send(ByteBuffer(bytes: output))
            }
            return ArtifactDigest(sha256: hasher.finalize().hexString, size: size)
        } catch {
            raw.cancel()
            chunks.finish(throwing: error)
            throw error
        }
    }

    /// Hands `bytes` to the upload (to the compressor first, with `gzipLevel`), waiting while the next stage is behind.
    /// Throws the store's error once it failed.
    func send(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        do {
            if let raw {
                try await raw.send(bytes)
            } else {
                hasher.update(data: bytes)
                size += Int64(bytes.count)
                try await chunks.send(ByteBuffer(bytes: bytes))
            }
        } catch is BoundedChannel<ByteBuffer>.ConsumerGone {
            try await reportStageFailure()
        } catch is BoundedChannel<[UInt8]>.ConsumerGone {
            try await reportStageFailure()
        }
    }

    /// A later stage stopped reading: its own error explains why.
    private func reportStageFailure() async throws -> Never {
        if let compressTask { _ = try await compressTask.value }
        try await putTask.value
        throw ObjectStoreError.invalidArgument(reason: "the upload stopped reading")
    }

    /// Ends the object and waits until the store has it; answers what was written (compressed, when compressing).
    func finish() async throws -> ArtifactDigest {
        let digest: ArtifactDigest
        if let raw, let compressTask {
            raw.finish()
            digest = try await compressTask.value
        } else {
            digest = ArtifactDigest(sha256: hasher.finalize().hexString, size: size)
        }
        chunks.finish()
        try await putTask.value
        return digest
    }

    /// Abandons the object: the store sees the body fail and keeps nothing.
    func fail(_ error: any Error) async {
        raw?.finish(throwing: error)
        _ = try? await compressTask?.value
        chunks.finish(throwing: error)
        _ = try? await putTask.value
    }

    /// Stores a small, complete file in one request and answers its digest.
    static func put(_ bytes: [UInt8], key: String, contentType: String, in store: any ObjectStore) async throws -> ArtifactDigest {
        try await store.put(key: key, bytes: ByteBuffer(bytes: bytes), options: PutOptions(contentType: contentType))
        return ArtifactDigest(sha256: SHA256.hash(data: bytes).hexString, size: Int64(bytes.count))
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SHA256.Digest {
    var hexString: String { Array(self).hexString }
}
