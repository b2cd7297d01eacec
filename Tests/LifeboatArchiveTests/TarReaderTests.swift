import Foundation
import Testing

@testable import LifeboatArchive

@Suite struct TarReaderTests {
    private let mtime = Date(timeIntervalSince1970: 1_700_000_000)

    private func archive(_ files: [(String, [UInt8])]) throws -> [UInt8] {
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        for (name, body) in files { try tar.appendFile(name: name, contents: body, to: &out) }
        tar.finish(to: &out)
        return out
    }

    private func readAll(_ bytes: [UInt8], maxChunk: Int = 100_000, seed: UInt64 = 1, reader: TarReader = TarReader()) throws -> [TarEntry] {
        var reader = reader
        var random = SeededBytes(seed: seed)
        var entries: [TarEntry] = []
        for chunk in random.chunks(of: bytes, maxChunk: maxChunk) {
            reader.append(chunk)
            while let entry = try reader.nextEntry() { entries.append(entry) }
        }
        try reader.finish()
        return entries
    }

    /// A raw header block with a valid checksum, for crafting archives no sane writer produces.
    static func rawHeader(name: String, size: Int = 0, type: UInt8 = UInt8(ascii: "0"), magic: String = "ustar\u{0}00",
                          prefix: String = "", linkName: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        let nameBytes = Array(name.utf8.prefix(100))
        block.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        TarWriter.writeOctal(0o644, into: &block, at: 100, width: 8)
        TarWriter.writeOctal(0, into: &block, at: 108, width: 8)
        TarWriter.writeOctal(0, into: &block, at: 116, width: 8)
        TarWriter.writeOctal(UInt64(size), into: &block, at: 124, width: 12)
        TarWriter.writeOctal(1_700_000_000, into: &block, at: 136, width: 12)
        block[156] = type
        let link = Array(linkName.utf8)
        block.replaceSubrange(157..<(157 + link.count), with: link)
        let magicBytes = Array(magic.utf8)
        block.replaceSubrange(257..<(257 + magicBytes.count), with: magicBytes)
        let prefixBytes = Array(prefix.utf8)
        block.replaceSubrange(345..<(345 + prefixBytes.count), with: prefixBytes)
        block.replaceSubrange(148..<156, with: repeatElement(UInt8(ascii: " "), count: 8))
        let sum = block.reduce(UInt64(0)) { $0 + UInt64($1) }
        TarWriter.writeOctal(sum, into: &block, at: 148, width: 7)
        block[155] = UInt8(ascii: " ")
        return block
    }

    static func body(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    static let end = [UInt8](repeating: 0, count: 1024)

    @Test(arguments: [1, 17, 512, 4096, 1_000_000])
    func readsBackWhatTheWriterWroteInAnyChunking(maxChunk: Int) throws {
        var random = SeededBytes(seed: UInt64(maxChunk))
        let files = (0..<40).map { index in
            ("resources/pods/namespaces/ns\(index % 3)/pod-\(index).json", random.textLike(Int(random.next() % 3000)))
        } + [("resources/x/namespaces/n/" + String(repeating: "y", count: 300) + ".json", Array("{}".utf8))]
        let entries = try readAll(try archive(files), maxChunk: maxChunk, seed: 7)
        #expect(entries.map(\.name) == files.map(\.0))
        #expect(entries.map(\.body) == files.map(\.1))
        #expect(entries.allSatisfy { $0.kind == .regularFile && $0.mode == 0o755 && $0.modificationTime == 1_700_000_000 })
        #expect(entries.map(\.size) == files.map { UInt64($0.1.count) })
    }

    @Test func truncatedArchivesAreReported() throws {
        let bytes = try archive([("a.json", [UInt8](repeating: 1, count: 2000)), ("b.json", [2])])
        // Everywhere except a complete archive (with or without its second zero block).
        for cut in [0, 100, 512, 1000, 2560, 3072, bytes.count - 1024] {
            var reader = TarReader()
            reader.append(Array(bytes[..<cut]))
            while try reader.nextEntry() != nil {}
            #expect(throws: TarError.truncatedArchive) { try reader.finish() }
        }
        #expect(try readAll(Array(bytes[..<(bytes.count - 512)])).count == 2)  // one zero block, as Go accepts
    }

    @Test func badChecksumIsReported() throws {
        var bytes = try archive([("a.json", [1, 2, 3])])
        bytes[10] ^= 0x01
        #expect(throws: TarError.badHeaderChecksum(offset: 0)) { try readAll(bytes) }
    }

    @Test(arguments: ["/etc/passwd", "../../etc/passwd", "resources/../../../x", "a/../../b"])
    func traversalNamesAreRefused(name: String) throws {
        let bytes = Self.rawHeader(name: name, size: 1) + Self.body([1]) + Self.end
        #expect {
            try readAll(bytes)
        } throws: { error in
            if case TarError.unsafeEntryName = error { return true }
            return false
        }
    }

    @Test func traversalInAPAXPathIsRefused() throws {
        var records: [UInt8] = []
        TarWriter.appendPAXRecord(key: "path", value: Array("../../outside.json".utf8), to: &records)
        let bytes = Self.rawHeader(name: "PaxHeaders.0/x", size: records.count, type: UInt8(ascii: "x")) + Self.body(records)
            + Self.rawHeader(name: "innocent.json", size: 1) + Self.body([1]) + Self.end
        #expect(throws: TarError.unsafeEntryName(name: "../../outside.json", reason: "contains a '..' component")) { try readAll(bytes) }
    }

    @Test func nulInAPAXPathIsRefused() throws {
        var records: [UInt8] = []
        TarWriter.appendPAXRecord(key: "path", value: Array("safe.json".utf8) + [0] + Array("../x".utf8), to: &records)
        let bytes = Self.rawHeader(name: "p", size: records.count, type: UInt8(ascii: "x")) + Self.body(records)
            + Self.rawHeader(name: "f", size: 0) + Self.end
        #expect {
            try readAll(bytes)
        } throws: { error in
            if case TarError.unsafeEntryName(_, let reason) = error { return reason == "contains NUL" }
            return false
        }
    }

    @Test func gnuLongNamesAreRead() throws {
        let long = "resources/secrets/namespaces/default/" + String(repeating: "s", count: 200) + ".json"
        let nameBody = Array(long.utf8) + [0]
        let bytes = Self.rawHeader(name: "././@LongLink", size: nameBody.count, type: UInt8(ascii: "L"), magic: "ustar  \u{0}")
            + Self.body(nameBody)
            + Self.rawHeader(name: String(long.prefix(100)), size: 2, magic: "ustar  \u{0}") + Self.body(Array("{}".utf8)) + Self.end
        let entries = try readAll(bytes, maxChunk: 300)
        #expect(entries.map(\.name) == [long])
        #expect(entries.first?.body == Array("{}".utf8))
    }

    @Test func gnuLongNameTraversalIsRefused() throws {
        let nameBody = Array("../../../../tmp/evil".utf8) + [0]
        let bytes = Self.rawHeader(name: "././@LongLink", size: nameBody.count, type: UInt8(ascii: "L"), magic: "ustar  \u{0}")
            + Self.body(nameBody) + Self.rawHeader(name: "x", size: 0, magic: "ustar  \u{0}") + Self.end
        #expect(throws: TarError.self) { try readAll(bytes) }
    }

    @Test(arguments: [UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"), UInt8(ascii: "S"), UInt8(ascii: "V")])
    func nonRegularTypesAreRefused(type: UInt8) throws {
        let bytes = Self.rawHeader(name: "resources/link.json", type: type, linkName: "/etc/shadow") + Self.end
        #expect(throws: TarError.unsupportedEntryType(name: "resources/link.json", typeFlag: type)) { try readAll(bytes) }
    }

    @Test func directoriesAreSkippedOrReturnedOnRequest() throws {
        let bytes = Self.rawHeader(name: "./", type: UInt8(ascii: "5")) + Self.rawHeader(name: "./resources/", type: UInt8(ascii: "5"))
            + Self.rawHeader(name: "./resources/a.json", size: 1) + Self.body([9])
            + Self.rawHeader(name: "old-style-dir/", type: 0, magic: "") + Self.end
        #expect(try readAll(bytes).map(\.name) == ["resources/a.json"])
        let withDirectories = try readAll(bytes, reader: TarReader(includeDirectories: true))
        #expect(withDirectories.map(\.name) == ["resources", "resources/a.json", "old-style-dir"])
        #expect(withDirectories.map(\.kind) == [.directory, .regularFile, .directory])
    }

    @Test func ustarPrefixIsJoined() throws {
        let bytes = Self.rawHeader(name: "item.json", size: 1, prefix: "resources/pods/namespaces/default") + Self.body([1]) + Self.end
        #expect(try readAll(bytes).map(\.name) == ["resources/pods/namespaces/default/item.json"])
    }

    @Test func base256SizesAndPAXSizesAreRead() throws {
        var header = Self.rawHeader(name: "big.json", size: 0)
        header.replaceSubrange(124..<136, with: [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00])  // 512 in base-256
        header.replaceSubrange(148..<156, with: repeatElement(UInt8(ascii: " "), count: 8))
        TarWriter.writeOctal(header.reduce(UInt64(0)) { $0 + UInt64($1) }, into: &header, at: 148, width: 7)
        header[155] = UInt8(ascii: " ")
        let body = [UInt8](repeating: 5, count: 512)
        #expect(try readAll(header + body + Self.end).first?.body == body)

        var records: [UInt8] = []
        TarWriter.appendPAXRecord(key: "size", value: Array("3".utf8), to: &records)
        let paxSized = Self.rawHeader(name: "p", size: records.count, type: UInt8(ascii: "x")) + Self.body(records)
            + Self.rawHeader(name: "three.json", size: 0) + Self.body([1, 2, 3]) + Self.end
        #expect(try readAll(paxSized).first?.body == [1, 2, 3])
    }

    @Test func oversizedEntriesAreRefused() throws {
        let bytes = try archive([("big.json", [UInt8](repeating: 0, count: 5000))])
        #expect(throws: TarError.entryTooLarge(name: "big.json", size: 5000, limit: 4096)) {
            try readAll(bytes, reader: TarReader(maximumEntrySize: 4096))
        }
    }

    @Test func malformedNumbersAndPAXRecordsAreReported() throws {
        var header = Self.rawHeader(name: "x.json", size: 0)
        header.replaceSubrange(124..<136, with: Array("12345678z90\u{0}".utf8))
        header.replaceSubrange(148..<156, with: repeatElement(UInt8(ascii: " "), count: 8))
        TarWriter.writeOctal(header.reduce(UInt64(0)) { $0 + UInt64($1) }, into: &header, at: 148, width: 7)
        header[155] = UInt8(ascii: " ")
        #expect(throws: TarError.malformedHeader(offset: 0, reason: "size is not an octal number")) { try readAll(header + Self.end) }

        let badRecords = Array("99 path=x\n".utf8)
        let bytes = Self.rawHeader(name: "p", size: badRecords.count, type: UInt8(ascii: "x")) + Self.body(badRecords)
            + Self.rawHeader(name: "f", size: 0) + Self.end
        #expect(throws: TarError.malformedHeader(offset: 0, reason: "bad PAX record")) { try readAll(bytes) }
    }

    @Test func dataAfterALoneZeroBlockIsRefusedButPaddingAfterTheEndIsIgnored() throws {
        let entry = Self.rawHeader(name: "a.json", size: 0)
        #expect(throws: TarError.self) { try readAll(entry + [UInt8](repeating: 0, count: 512) + entry + Self.end) }
        let padded = entry + Self.end + [UInt8](repeating: 0, count: 8192) + Array("junk".utf8)
        #expect(try readAll(padded).map(\.name) == ["a.json"])
    }
}
