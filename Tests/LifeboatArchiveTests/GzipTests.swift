import Foundation
import Testing

@testable import LifeboatArchive

@Suite struct GzipTests {
    private func compress(_ data: [UInt8], chunks maxChunk: Int, seed: UInt64, bufferSize: Int = 64 * 1024) throws -> [UInt8] {
        var random = SeededBytes(seed: seed)
        let gzip = try GzipCompressor(outputBufferSize: bufferSize)
        var out: [UInt8] = []
        for chunk in random.chunks(of: data, maxChunk: maxChunk) {
            try gzip.compress(chunk) { piece in
                #expect(piece.count <= bufferSize)
                out.append(contentsOf: piece)
            }
        }
        try gzip.finish { out.append(contentsOf: $0) }
        #expect(gzip.bytesIn == UInt64(data.count))
        #expect(gzip.bytesOut == UInt64(out.count))
        return out
    }

    private func decompress(_ data: [UInt8], chunks maxChunk: Int, seed: UInt64, bufferSize: Int = 64 * 1024) throws -> [UInt8] {
        var random = SeededBytes(seed: seed)
        let gunzip = try GzipDecompressor(outputBufferSize: bufferSize)
        var out: [UInt8] = []
        for chunk in random.chunks(of: data, maxChunk: maxChunk) {
            try gunzip.decompress(chunk) { piece in
                #expect(piece.count <= bufferSize)
                out.append(contentsOf: piece)
            }
        }
        try gunzip.finish()
        #expect(gunzip.bytesIn == UInt64(data.count))
        #expect(gunzip.bytesOut == UInt64(out.count))
        return out
    }

    @Test(arguments: [(0, 1), (1, 7), (1000, 3), (300_000, 4096), (2_000_000, 100_000)])
    func roundTripsInArbitraryChunks(size: Int, maxChunk: Int) throws {
        var random = SeededBytes(seed: UInt64(size))
        let data = random.textLike(size / 2) + random.bytes(size - size / 2)
        let compressed = try compress(data, chunks: maxChunk, seed: 1, bufferSize: 1024)
        #expect(compressed.starts(with: [0x1F, 0x8B, 0x08]))
        #expect(try decompress(compressed, chunks: maxChunk, seed: 2, bufferSize: 1024) == data)
    }

    @Test func compressesRepetitiveDataWell() throws {
        let data = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let compressed = try GzipCompressor.compress(data)
        #expect(compressed.count < 5_000)
        #expect(try GzipDecompressor.decompress(compressed) == data)
    }

    @Test func readsConcatenatedMembers() throws {
        let first = try GzipCompressor.compress(Array("hello, ".utf8))
        let second = try GzipCompressor.compress(Array("world".utf8))
        let gunzip = try GzipDecompressor()
        var out: [UInt8] = []
        // Split inside the second member's header to check the boundary handling across chunks.
        let joined = first + second
        try gunzip.decompress(Array(joined[..<(first.count + 3)])) { out.append(contentsOf: $0) }
        try gunzip.decompress(Array(joined[(first.count + 3)...])) { out.append(contentsOf: $0) }
        try gunzip.finish()
        #expect(String(decoding: out, as: UTF8.self) == "hello, world")
        #expect(gunzip.membersRead == 2)
    }

    @Test func truncatedInputIsReported() throws {
        let compressed = try GzipCompressor.compress(SeededBytes.textLike(seed: 9, 50_000))
        for cut in [1, 10, compressed.count / 2, compressed.count - 1] {
            let gunzip = try GzipDecompressor()
            try gunzip.decompress(Array(compressed[..<cut])) { _ in }
            #expect(throws: GzipError.truncatedInput) { try gunzip.finish() }
        }
    }

    @Test func emptyInputIsTruncated() throws {
        let gunzip = try GzipDecompressor()
        #expect(throws: GzipError.truncatedInput) { try gunzip.finish() }
    }

    @Test func corruptDataIsReported() throws {
        var compressed = try GzipCompressor.compress(SeededBytes.textLike(seed: 3, 10_000))
        compressed[compressed.count / 2] ^= 0xFF
        compressed[compressed.count / 2 + 1] ^= 0x55
        let gunzip = try GzipDecompressor()
        #expect {
            try gunzip.decompress(compressed) { _ in }
            try gunzip.finish()
        } throws: { error in
            if case GzipError.corruptData = error { return true }
            return false
        }
    }

    @Test func wrongTrailerIsCorrupt() throws {
        var compressed = try GzipCompressor.compress(Array("some content".utf8))
        compressed[compressed.count - 6] ^= 0x01  // CRC-32
        let gunzip = try GzipDecompressor()
        #expect {
            try gunzip.decompress(compressed) { _ in }
        } throws: { error in
            if case GzipError.corruptData = error { return true }
            return false
        }
    }

    @Test func notGzipIsCorrupt() throws {
        let gunzip = try GzipDecompressor()
        #expect {
            try gunzip.decompress(Array("PK\u{3}\u{4} this is a zip file header".utf8)) { _ in }
        } throws: { error in
            if case GzipError.corruptData = error { return true }
            return false
        }
    }

    @Test func trailingGarbageAfterAMemberIsCorrupt() throws {
        let compressed = try GzipCompressor.compress(Array("content".utf8)) + Array("garbage".utf8)
        let gunzip = try GzipDecompressor()
        #expect {
            try gunzip.decompress(compressed) { _ in }
        } throws: { error in
            if case GzipError.corruptData = error { return true }
            return false
        }
    }

    @Test func useAfterFinishIsRefused() throws {
        let gzip = try GzipCompressor()
        try gzip.finish { _ in }
        #expect(throws: GzipError.alreadyFinished) { try gzip.compress([1, 2, 3]) { _ in } }
        #expect(throws: GzipError.alreadyFinished) { try gzip.finish { _ in } }
    }

    @Test func systemGzipReadsOurOutputAndWeReadItsOutput() async throws {
        let directory = try TemporaryDirectory()
        let data = SeededBytes.textLike(seed: 42, 200_000)
        try Data(try GzipCompressor.compress(data)).write(to: directory.file("ours.gz"))
        let decoded = try await ChildProcess.run("gzip", ["-dc", "ours.gz"], in: directory.url)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(Array(decoded.stdout) == data)

        try Data(data).write(to: directory.file("theirs"))
        let compressed = try await ChildProcess.run("gzip", ["-9", "-c", "theirs"], in: directory.url)
        #expect(compressed.status == 0, "\(compressed.stderr)")
        #expect(try GzipDecompressor.decompress(compressed.stdout) == data)
    }
}
