import Crypto
import LifeboatArchive
import LifeboatObjectStore
import NIOCore

/// Writes one object from bytes produced while a run goes on, hashing them on the way: the tarball is never
/// whole in memory or on disk, and its SHA-256 and size are known the moment the last byte is sent.
///
/// The bytes go through a small bounded channel to the store's `put` (multipart for S3), so a slow store
/// slows the producer instead of letting memory grow. When the producer fails, `fail(_:)` makes the body
/// throw, and the store aborts the upload rather than publishing a truncated object.
final class ArtifactUpload {
    private let chunks = BoundedChannel<ByteBuffer>(capacity: 4)
    private var hasher = SHA256()
    private var size: Int64 = 0
    private let task: Task<Void, any Error>

    init(store: any ObjectStore, key: String, contentType: String) {
        let chunks = self.chunks
        task = Task {
            do {
                try await store.put(key: key, body: chunks, options: PutOptions(contentType: contentType))
            } catch {
                chunks.cancel()
                throw error
            }
        }
    }

    /// Hands `bytes` to the upload, waiting while the store is behind. Throws the store's error once it failed.
    func send(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        hasher.update(data: bytes)
        size += Int64(bytes.count)
        do {
            try await chunks.send(ByteBuffer(bytes: bytes))
        } catch is BoundedChannel<ByteBuffer>.ConsumerGone {
            try await task.value  // the store's own error explains why
            throw ObjectStoreError.invalidArgument(reason: "the upload stopped reading")
        }
    }

    /// Ends the object and waits until the store has it; answers what was written.
    func finish() async throws -> ArtifactDigest {
        chunks.finish()
        try await task.value
        return ArtifactDigest(sha256: hasher.finalize().hexString, size: size)
    }

    /// Abandons the object: the store sees the body fail and keeps nothing.
    func fail(_ error: any Error) async {
        chunks.finish(throwing: error)
        _ = try? await task.value
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
