import Foundation
import LifeboatCore
import Testing

@testable import LifeboatArchive

@Suite struct BackupArchiveTests {
    private let mtime = Date(timeIntervalSince1970: 1_764_000_000)

    static func item(_ resource: String, group: String = "", apiVersion: String, kind: String, namespace: String?, name: String) -> ArchiveItem {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        let json = JSONValue.object(["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object(metadata)]).goJSONBytes()
        return ArchiveItem(groupResource: GroupResource(resource: resource, group: group), apiVersion: apiVersion, kind: kind,
                           namespace: namespace, name: name, json: json)
    }

    static let sampleItems: [ArchiveItem] = [
        item("namespaces", apiVersion: "v1", kind: "Namespace", namespace: nil, name: "shop"),
        item("deployments", group: "apps", apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web"),
        item("deployments", group: "apps", apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "api"),
        item("configmaps", apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "settings"),
        item("configmaps", apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "kube-root-ca.crt"),
        item("widgets", group: "example.com", apiVersion: "example.com/v1beta1", kind: "Widget", namespace: nil, name: "w"),
    ]

    private func write(_ items: [ArchiveItem], chunkSize: Int = 1 << 20) throws -> (bytes: [UInt8], chunks: [[UInt8]], summary: BackupArchiveWriter.Summary) {
        let writer = try BackupArchiveWriter(modificationTime: mtime, chunkSize: chunkSize)
        var chunks: [[UInt8]] = []
        for item in items {
            try writer.add(item)
            while let chunk = writer.nextChunk() { chunks.append(chunk) }
        }
        let summary = try writer.finish()
        while let chunk = writer.nextChunk() { chunks.append(chunk) }
        #expect(writer.nextChunk() == nil)
        return (chunks.flatMap { $0 }, chunks, summary)
    }

    private func entries(ofGzippedTar bytes: [UInt8]) throws -> [TarEntry] {
        var tar = TarReader()
        tar.append(try GzipDecompressor.decompress(bytes))
        var entries: [TarEntry] = []
        while let entry = try tar.nextEntry() { entries.append(entry) }
        try tar.finish()
        return entries
    }

    @Test func writesVersionFirstThenBothCopiesOfEveryItem() throws {
        let (bytes, _, summary) = try write(Self.sampleItems)
        let entries = try entries(ofGzippedTar: bytes)
        #expect(entries.first?.name == "metadata/version")
        #expect(entries.first?.body == Array("1.1.0\n".utf8))
        #expect(Array(entries.map(\.name).dropFirst(1).prefix(4)) == [
            "resources/namespaces/cluster/shop.json",
            "resources/namespaces/v1-preferredversion/cluster/shop.json",
            "resources/deployments.apps/namespaces/shop/web.json",
            "resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json",
        ])
        #expect(entries.contains { $0.name == "resources/widgets.example.com/v1beta1-preferredversion/cluster/w.json" })
        #expect(entries.count == 1 + 2 * Self.sampleItems.count)
        #expect(entries.allSatisfy { $0.mode == 0o755 && $0.modificationTime == 1_764_000_000 && $0.kind == .regularFile })
        #expect(summary.itemCount == Self.sampleItems.count)
        #expect(summary.compressedBytes == UInt64(bytes.count))
        #expect(summary.tarBytes == UInt64(try GzipDecompressor.decompress(bytes).count))
        let web = try #require(entries.first { $0.name == "resources/deployments.apps/namespaces/shop/web.json" })
        #expect(String(decoding: web.body, as: UTF8.self) == #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"}}"#)
    }

    @Test func resourceListMatchesVelerosFormat() throws {
        let (_, _, summary) = try write(Self.sampleItems)
        let json = String(decoding: summary.resourceList.jsonBytes(), as: UTF8.self)
        #expect(json == #"{"apps/v1/Deployment":["shop/api","shop/web"],"example.com/v1beta1/Widget":["w"],"v1/ConfigMap":["default/kube-root-ca.crt","shop/settings"],"v1/Namespace":["shop"]}"# + "\n")
        let gz = try summary.resourceList.gzipped()
        #expect(try ResourceList(json: GzipDecompressor.decompress(gz)).jsonBytes() == summary.resourceList.jsonBytes())
    }

    @Test func restoreResourceListsCarryTheAction() {
        var list = ResourceList()
        list.add(key: "v1/Secret", namespace: "ns", name: "b", action: "created")
        list.add(key: "v1/Secret", namespace: "ns", name: "a", action: "skipped")
        #expect(String(decoding: list.jsonBytes(), as: UTF8.self) == #"{"v1/Secret":["ns/a(skipped)","ns/b(created)"]}"# + "\n")
        #expect(list.count == 2)
    }

    @Test func resultsMatchVelerosFormat() throws {
        var results = OperationResults()
        #expect(String(decoding: results.jsonBytes(), as: UTF8.self) == #"{"errors":{},"warnings":{}}"# + "\n")
        results.errors.add(namespace: "shop", "pods \"x\" is forbidden")
        results.warnings.add(namespace: nil, "could not list <widgets>")
        results.warnings.velero.append("slow")
        #expect(String(decoding: results.jsonBytes(), as: UTF8.self)
            == #"{"errors":{"namespaces":{"shop":["pods \"x\" is forbidden"]}},"warnings":{"cluster":["could not list \u003cwidgets\u003e"],"velero":["slow"]}}"# + "\n")
        let decoded = try OperationResults(json: GzipDecompressor.decompress(try results.gzipped()))
        #expect(decoded == results)
        #expect(decoded.errors.count == 1 && decoded.warnings.count == 2)
    }

    @Test func chunksHaveThePartSizeExceptTheLast() throws {
        var random = SeededBytes(seed: 5)
        let items = (0..<400).map { index in
            var item = Self.item("secrets", apiVersion: "v1", kind: "Secret", namespace: "ns", name: "s\(index)")
            item.json = JSONValue.object(["data": .string(String(decoding: random.bytes(600).map { 0x41 + $0 % 26 }, as: UTF8.self))]).goJSONBytes()
            return item
        }
        // Memory stays bounded: after draining, less than one chunk is ever left behind.
        let writer = try BackupArchiveWriter(modificationTime: mtime, chunkSize: 32 * 1024)
        for item in items {
            try writer.add(item)
            while writer.nextChunk() != nil {}
            #expect(writer.pendingByteCount < 32 * 1024)
        }
        let (bytes, chunks, _) = try write(items, chunkSize: 32 * 1024)
        #expect(chunks.count > 3)
        #expect(chunks.dropLast().allSatisfy { $0.count == 32 * 1024 })
        #expect(try entries(ofGzippedTar: bytes).count == 801)
    }

    @Test func duplicateItemsAndUnsafeNamesAreRefused() throws {
        let writer = try BackupArchiveWriter(modificationTime: mtime)
        try writer.add(Self.sampleItems[1])
        #expect(throws: LifeboatError.alreadyExists(kind: "deployments.apps", name: "shop/web")) { try writer.add(Self.sampleItems[1]) }
        #expect(throws: LifeboatError.self) { try writer.add(Self.item("pods", apiVersion: "v1", kind: "Pod", namespace: "ns", name: "../x")) }
        #expect(throws: LifeboatError.self) { try writer.add(Self.item("pods", apiVersion: "v1", kind: "Pod", namespace: "a/b", name: "x")) }
        _ = try writer.finish()
        #expect(throws: TarError.alreadyFinished) { try writer.add(Self.sampleItems[2]) }
        #expect(throws: TarError.alreadyFinished) { try writer.finish() }
    }

    @Test func duplicateCheckLimitedToNamedTypesRemembersOnlyThose() throws {
        let claims = GroupResource(resource: "persistentvolumeclaims", group: "")
        let writer = try BackupArchiveWriter(modificationTime: mtime, duplicateCheck: .only([claims]))
        let claim = Self.item("persistentvolumeclaims", apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "ns", name: "data")
        try writer.add(claim)
        #expect(writer.contains(groupResource: claims, namespace: "ns", name: "data"))
        #expect(throws: LifeboatError.alreadyExists(kind: "persistentvolumeclaims", name: "ns/data")) { try writer.add(claim) }
        // Other types are the caller's to keep unique: not remembered, so `contains` cannot know them.
        let pod = Self.item("pods", apiVersion: "v1", kind: "Pod", namespace: "ns", name: "web")
        try writer.add(pod)
        #expect(!writer.contains(groupResource: GroupResource(resource: "pods", group: ""), namespace: "ns", name: "web"))
        #expect(writer.itemCount == 2)
        #expect(try writer.finish().itemCount == 2)
    }

    @Test func readerIndexesWhatTheWriterWrote() throws {
        let (bytes, _, _) = try write(Self.sampleItems)
        var random = SeededBytes(seed: 11)
        let reader = try BackupArchiveReader()
        for chunk in random.chunks(of: bytes, maxChunk: 700) { try reader.consume(chunk) }
        let index = try reader.finish()
        #expect(index.formatVersion == "1.1.0")
        #expect(index.items.count == Self.sampleItems.count)
        #expect(index.unrecognizedEntries.isEmpty)
        #expect(index.compressedBytes == UInt64(bytes.count))
        let deployments = GroupResource(resource: "deployments", group: "apps")
        #expect(index.groupResources.map(\.description) == ["configmaps", "deployments.apps", "namespaces", "widgets.example.com"])
        #expect(index.namespaces(of: GroupResource(resource: "configmaps")) == ["default", "shop"])
        #expect(index.items(of: deployments, namespace: "shop").map(\.path.name) == ["api", "web"])
        #expect(index.items(of: deployments, namespace: "shop").allSatisfy { $0.path.copy == .unversioned })
        #expect(index.items(of: GroupResource(resource: "namespaces"), namespace: nil).first?.json == Self.sampleItems[0].json)
        #expect(index.versions[deployments] == ArchivedVersions(preferred: "v1"))
        #expect(index.versions[GroupResource(resource: "widgets", group: "example.com")]?.preferred == "v1beta1")
    }

    /// Builds a gzip tarball entry by entry, as other tools (or older Velero) would.
    private func tarball(_ files: [(String, String)]) throws -> [UInt8] {
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        for (name, body) in files { try tar.appendFile(name: name, contents: Array(body.utf8), to: &out) }
        tar.finish(to: &out)
        return try GzipCompressor.compress(out)
    }

    @Test func readsFormatOneAndVersionedOnlyArchives() throws {
        // Format 1: no metadata/version, no version directories; and a tarball with only versioned copies,
        // in an order where the preferred copy comes first and other versions are present.
        let bytes = try tarball([
            ("resources/pods/namespaces/a/p.json", #"{"kind":"Pod"}"#),
            ("resources/widgets.example.com/v1-preferredversion/namespaces/a/w.json", #"{"v":"preferred"}"#),
            ("resources/widgets.example.com/namespaces/a/w.json", #"{"v":"plain"}"#),
            ("resources/widgets.example.com/v1-preferredversion/namespaces/a/late.json", #"{"v":"preferred-only"}"#),
            ("resources/widgets.example.com/v1alpha1/namespaces/a/w.json", #"{"v":"old"}"#),
            ("velero-notes.txt", "ignored"),
        ])
        let reader = try BackupArchiveReader()
        try reader.consume(bytes)
        let index = try reader.finish()
        #expect(index.formatVersion == nil)
        #expect(index.unrecognizedEntries == ["velero-notes.txt"])
        let widgets = GroupResource(resource: "widgets", group: "example.com")
        let w = try #require(index.items[ArchivedItemKey(groupResource: widgets, namespace: "a", name: "w")])
        #expect(String(decoding: w.json, as: UTF8.self) == #"{"v":"plain"}"#)
        let late = try #require(index.items[ArchivedItemKey(groupResource: widgets, namespace: "a", name: "late")])
        #expect(late.path.copy == .preferredVersion("v1"))
        #expect(index.versions[widgets] == ArchivedVersions(preferred: "v1", others: ["v1alpha1"]))
        #expect(index.items[ArchivedItemKey(groupResource: GroupResource(resource: "pods"), namespace: "a", name: "p")] != nil)
        #expect(index.items.count == 3)
    }

    @Test func hostileOrDamagedArchivesFail() async throws {
        let hostile = try GzipCompressor.compress(
            TarReaderTests.rawHeader(name: "resources/pods/namespaces/a/../../../../etc/cron.d/x.json", size: 0) + TarReaderTests.end)
        let reader = try BackupArchiveReader()
        #expect(throws: TarError.self) { try reader.consume(hostile) }

        let good = try write(Self.sampleItems).bytes
        let truncated = try BackupArchiveReader()
        try truncated.consume(Array(good.dropLast(20)))
        #expect(throws: GzipError.truncatedInput) { try truncated.finish() }

        var corrupt = good
        corrupt[corrupt.count / 2] ^= 0xA5
        await #expect(throws: (any Error).self) {
            _ = try await BackupArchiveReader.index(of: AsyncStream { continuation in
                continuation.yield(corrupt)
                continuation.finish()
            })
        }
    }

    @Test func indexesFromAnAsyncSequenceOfChunks() async throws {
        let (_, chunks, _) = try write(Self.sampleItems, chunkSize: 100)
        let stream = AsyncStream<[UInt8]> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        let index = try await BackupArchiveReader.index(of: stream)
        #expect(index.items.count == Self.sampleItems.count)
    }
}
