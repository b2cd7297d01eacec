import Foundation
import LifeboatObjectStore
import NIOCore
import Testing

/// What only the filesystem store must guarantee: keys stay under the root, publishes are atomic.
@Suite struct FileSystemObjectStoreTests {
    let root: URL
    let store: FileSystemObjectStore

    init() throws {
        root = try TestSupport.temporaryDirectory()
        store = try FileSystemObjectStore(root: root, ioChunkSize: 4096)
    }

    @Test(arguments: ["", "/etc/passwd", "../escape", "a/../../escape", "a/./b", "a//b", "nul\u{0}byte", String(repeating: "x", count: 300)])
    func unsafeKeysAreRejected(key: String) async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.put(key: key, bytes: ByteBuffer(string: "x"))
        }
        guard case .invalidKey? = error else {
            Issue.record("expected invalidKey, got \(String(describing: error))")
            return
        }
        let parent = root.deletingLastPathComponent()
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("escape").path))
    }

    @Test func anObjectAndAPrefixOfTheSameNameCoexist() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(key: "a", bytes: ByteBuffer(string: "file a"))
        try await store.put(key: "a/b", bytes: ByteBuffer(string: "file a/b"))
        try await store.put(key: "100%/x%25y%obj", bytes: ByteBuffer(string: "percent"))
        #expect(String(buffer: try await store.getBytes(key: "a")) == "file a")
        #expect(String(buffer: try await store.getBytes(key: "a/b")) == "file a/b")
        #expect(try await store.listAll(prefix: "").objects.map(\.key) == ["100%/x%25y%obj", "a", "a/b"])
        try await store.delete(key: "a/b")
        try await store.delete(key: "100%/x%25y%obj")
        #expect(try await store.listAll(prefix: "").objects.map(\.key) == ["a"])
        // Emptied directories go away with their last object.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["%tmp", "a%obj"])
    }

    @Test func aFailedStreamPublishesNothingAndLeavesNoTempFile() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(key: "backups/b/b.tar.gz", bytes: ByteBuffer(string: "previous version"))
        let failing = GeneratedBytes(size: 1_000_000, seed: 7, chunkSize: 10_000, failAfter: 500_000)
        await #expect(throws: GeneratedBytes.InjectedFailure.self) {
            try await store.put(key: "backups/b/b.tar.gz", body: failing)
        }
        #expect(String(buffer: try await store.getBytes(key: "backups/b/b.tar.gz")) == "previous version")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("%tmp").path).isEmpty)
    }

    @Test func readersSeeTheOldOrTheNewObjectNeverAMix() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let old = ByteBuffer(repeating: UInt8(ascii: "o"), count: 300_000)
        let new = ByteBuffer(repeating: UInt8(ascii: "n"), count: 200_000)
        try await store.put(key: "k", bytes: old)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<20 { try await store.put(key: "k", bytes: round.isMultiple(of: 2) ? new : old) }
            }
            group.addTask {
                for _ in 0..<40 {
                    let read = try await store.getBytes(key: "k")
                    #expect(read == old || read == new)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func foreignFilesUnderTheRootAreNotListed() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(key: "real", bytes: ByteBuffer(string: "x"))
        try Data("stranger".utf8).write(to: root.appendingPathComponent("not-an-object"))
        #expect(try await store.listAll(prefix: "").objects.map(\.key) == ["real"])
    }
}
