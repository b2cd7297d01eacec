import Foundation
import LifeboatCore
import LifeboatObjectStore
import NIOCore
import Testing

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case filesystem
    case s3
    case memory

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind and cleans up afterwards.
    func withStore(label: String, _ body: (any ObjectStore) async throws -> Void) async throws {
        switch self {
        case .filesystem:
            let directory = try TestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(try FileSystemObjectStore(root: directory, ioChunkSize: 64 * 1024))
        case .s3:
            try await TestSupport.withS3Store(label: label) { store, _ in try await body(store) }
        case .memory:
            try await body(InMemoryObjectStore())
        }
    }
}

/// One behavioural contract, run against every store: what S3 does is what the others must do.
@Suite struct ObjectStoreConformanceTests {
    static let awkwardKeys = ["plain.txt", "dir/with space.txt", "dir/plus+sign.txt", "dir/ünïcödé-日本.txt", "dir/equals=and&amp.txt", "trailing/"]

    @Test(arguments: StoreKind.allCases)
    func putGetHeadRoundTripKeepsEveryByte(kind: StoreKind) async throws {
        try await kind.withStore(label: "roundtrip") { store in
            for (index, key) in Self.awkwardKeys.enumerated() {
                let payload = ByteBuffer(string: "payload \(index) for \(key)\n" + String(repeating: "x", count: index * 1000))
                let result = try await store.put(key: key, bytes: payload)
                #expect(result.size == Int64(payload.readableBytes))
                let info = try await store.head(key: key)
                #expect(info.key == key)
                #expect(info.size == Int64(payload.readableBytes))
                #expect(info.etag == result.etag)
                let read = try await store.getBytes(key: key)
                #expect(read == payload, "key \(key)")
            }
            let empty = try await store.put(key: "empty", bytes: ByteBuffer())
            #expect(empty.size == 0)
            #expect(try await store.getBytes(key: "empty").readableBytes == 0)
            #expect(try await store.head(key: "empty").size == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rangesReturnExactlyTheAskedBytes(kind: StoreKind) async throws {
        try await kind.withStore(label: "ranges") { store in
            let text = "0123456789abcdefghijklmnopqrstuvwxyz"
            try await store.put(key: "r", bytes: ByteBuffer(string: text))
            let middle = try await store.get(key: "r", range: ByteRange(offset: 10, length: 5))
            #expect(middle.range == 10..<15)
            #expect(middle.info.size == 36)
            #expect(String(buffer: try await middle.body.collect(upTo: 100)) == "abcde")
            #expect(String(buffer: try await store.getBytes(key: "r", range: ByteRange(offset: 30))) == "uvwxyz")
            #expect(String(buffer: try await store.getBytes(key: "r", range: ByteRange(offset: 33, length: 100))) == "xyz")
            await #expect(throws: ObjectStoreError.invalidRange(key: "r")) {
                _ = try await store.get(key: "r", range: ByteRange(offset: 36))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func missingObjectsAreNoSuchKeyAndDeletesAreIdempotent(kind: StoreKind) async throws {
        try await kind.withStore(label: "missing") { store in
            let getError = await #expect(throws: ObjectStoreError.self) {
                _ = try await store.get(key: "nope/missing.json")
            }
            #expect(getError?.lifeboatError == .notFound(kind: "object", name: "nope/missing.json"))
            let headError = await #expect(throws: ObjectStoreError.self) {
                _ = try await store.head(key: "nope/missing.json")
            }
            #expect(headError?.lifeboatError == .notFound(kind: "object", name: "nope/missing.json"))
            #expect(try await store.exists(key: "nope/missing.json") == false)
            try await store.delete(key: "nope/missing.json")
            try await store.put(key: "nope/there.json", bytes: ByteBuffer(string: "{}"))
            #expect(try await store.exists(key: "nope/there.json"))
            try await store.delete(key: "nope/there.json")
            #expect(try await store.exists(key: "nope/there.json") == false)
            #expect(try await store.listAll(prefix: "").objects.isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func overwriteReplacesTheWholeObject(kind: StoreKind) async throws {
        try await kind.withStore(label: "overwrite") { store in
            try await store.put(key: "o", bytes: ByteBuffer(string: String(repeating: "long ", count: 1000)))
            let second = try await store.put(key: "o", bytes: ByteBuffer(string: "short"))
            #expect(String(buffer: try await store.getBytes(key: "o")) == "short")
            #expect(try await store.head(key: "o").etag == second.etag)
        }
    }

    /// Keys chosen so that byte order, delimiter roll-up and page boundaries all matter.
    static let listingKeys = [
        "a", "a/b", "a/c/d", "a/c/e", "a+b", "a-b", "b/x", "b/y/z", "Z", "é", "backups/one/velero-backup.json",
        "backups/one/one.tar.gz", "backups/two/velero-backup.json", "restores/r/restore-r-logs.gz",
    ]

    @Test(arguments: StoreKind.allCases)
    func listingMatchesS3OrderDelimiterAndPagination(kind: StoreKind) async throws {
        try await kind.withStore(label: "listing") { store in
            for key in Self.listingKeys.shuffled() { try await store.put(key: key, bytes: ByteBuffer(string: key)) }
            let byteOrder = Self.listingKeys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

            let all = try await store.listAll(prefix: "")
            #expect(all.objects.map(\.key) == byteOrder)
            #expect(all.commonPrefixes.isEmpty)
            #expect(all.objects.first { $0.key == "a/c/d" }?.size == 5)

            let top = try await store.listAll(prefix: "", delimiter: "/")
            #expect(top.objects.map(\.key) == ["Z", "a", "a+b", "a-b", "é"])
            #expect(top.commonPrefixes == ["a/", "b/", "backups/", "restores/"])

            let underA = try await store.listAll(prefix: "a/", delimiter: "/")
            #expect(underA.objects.map(\.key) == ["a/b"])
            #expect(underA.commonPrefixes == ["a/c/"])

            let backups = try await store.listAll(prefix: "backups/", delimiter: "/")
            #expect(backups.objects.isEmpty)
            #expect(backups.commonPrefixes == ["backups/one/", "backups/two/"])

            let partialPrefix = try await store.listAll(prefix: "a", delimiter: "/")
            #expect(partialPrefix.objects.map(\.key) == ["a", "a+b", "a-b"])
            #expect(partialPrefix.commonPrefixes == ["a/"])

            // Pages of 2 must add up to the unpaged listing, with nothing repeated or lost.
            for delimiter in [nil, "/"] as [String?] {
                let whole = try await store.list(prefix: "", delimiter: delimiter, maxKeys: 1000, continuationToken: nil)
                var objects: [String] = []
                var prefixes: [String] = []
                var token: String?
                var pages = 0
                repeat {
                    let page = try await store.list(prefix: "", delimiter: delimiter, maxKeys: 2, continuationToken: token)
                    #expect(page.objects.count + page.commonPrefixes.count <= 2)
                    objects += page.objects.map(\.key)
                    prefixes += page.commonPrefixes
                    token = page.nextContinuationToken
                    pages += 1
                } while token != nil && pages < 50
                #expect(objects == whole.objects.map(\.key), "delimiter \(delimiter ?? "none")")
                #expect(prefixes == whole.commonPrefixes, "delimiter \(delimiter ?? "none")")
                #expect(whole.nextContinuationToken == nil)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func batchDeleteRemovesEveryNamedKey(kind: StoreKind) async throws {
        try await kind.withStore(label: "batchdelete") { store in
            let keys = (0..<25).map { "batch/item-\($0) +ü.json" }
            for key in keys { try await store.put(key: key, bytes: ByteBuffer(string: key)) }
            try await store.put(key: "batch-keep", bytes: ByteBuffer(string: "keep"))
            let failures = try await store.delete(keys: keys + ["batch/never-existed"])
            #expect(failures.isEmpty)
            #expect(try await store.listAll(prefix: "").objects.map(\.key) == ["batch-keep"])
        }
    }

    @Test(arguments: [StoreKind.filesystem, .s3])
    func streamsOfUnknownLengthSurviveUnevenChunks(kind: StoreKind) async throws {
        try await kind.withStore(label: "stream") { store in
            // 2.5 parts of 8 MiB, in chunks that straddle every part boundary.
            let data = GeneratedBytes(size: 20 * 1024 * 1024 + 12345, seed: 42, chunkSize: 777_777)
            let result = try await store.put(key: "big/stream.bin", body: data)
            #expect(result.size == Int64(data.size))
            if kind == .s3 {
                #expect(result.parts == 3)
                #expect(result.etag.hasSuffix("-3"))
            }
            let download = try await store.get(key: "big/stream.bin")
            let read = try await digest(download.body)
            #expect(read.size == data.size)
            #expect(read.sha256 == (try await data.sha256()))
            let tail = try await store.getBytes(key: "big/stream.bin", range: ByteRange(offset: Int64(data.size - 10)))
            #expect(tail.readableBytes == 10)
        }
    }

    @Test func filesystemPresignedURLIsTheObjectFile() async throws {
        try await StoreKind.filesystem.withStore(label: "presign") { store in
            let payload = "pre-signed payload ü+"
            try await store.put(key: "logs/a b+c.gz", bytes: ByteBuffer(string: payload))
            let url = try await store.presignedGetURL(key: "logs/a b+c.gz", expiresIn: .seconds(600))
            #expect(url.isFileURL)
            #expect(try String(contentsOf: url, encoding: .utf8) == payload)
        }
    }
}
