import Foundation
import Testing

@testable import LifeboatArchive

@Suite struct TarWriterTests {
    private let mtime = Date(timeIntervalSince1970: 1_764_000_000)

    private func header(_ bytes: [UInt8], _ offset: Int, _ length: Int) -> String {
        let field = bytes[offset..<(offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    @Test func writesAUSTARHeaderLikeGo() throws {
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        try tar.appendFile(name: "metadata/version", contents: Array("1.1.0\n".utf8), to: &out)
        #expect(out.count == 1024)
        #expect(header(out, 0, 100) == "metadata/version")
        #expect(header(out, 100, 8) == "0000755")
        #expect(header(out, 108, 8) == "0000000")
        #expect(header(out, 116, 8) == "0000000")
        #expect(header(out, 124, 12) == "00000000006")
        #expect(header(out, 136, 12) == String(1_764_000_000, radix: 8).leftPadded(to: 11))
        #expect(out[156] == UInt8(ascii: "0"))
        #expect(Array(out[257..<265]) == Array("ustar\u{0}00".utf8))
        #expect(header(out, 265, 32).isEmpty)  // uname
        #expect(header(out, 297, 32).isEmpty)  // gname
        // Checksum: six octal digits, NUL, space, over the header with the field read as spaces.
        var copy = Array(out[0..<512])
        copy.replaceSubrange(148..<156, with: repeatElement(UInt8(ascii: " "), count: 8))
        let sum = copy.reduce(0) { $0 + Int($1) }
        #expect(header(out, 148, 7) == String(sum, radix: 8).leftPadded(to: 6))
        #expect(out[155] == UInt8(ascii: " "))
        #expect(String(decoding: out[512..<518], as: UTF8.self) == "1.1.0\n")
        #expect(out[518..<1024].allSatisfy { $0 == 0 })
        tar.finish(to: &out)
        #expect(out.count == 2048)
        #expect(tar.bytesWritten == 2048)
        #expect(tar.entryCount == 1)
    }

    @Test func bodiesArePaddedToWholeBlocks() throws {
        for size in [0, 1, 511, 512, 513, 5000] {
            var tar = TarWriter(modificationTime: mtime)
            var out: [UInt8] = []
            try tar.appendFile(name: "a.json", contents: [UInt8](repeating: 7, count: size), to: &out)
            #expect(out.count == 512 + (size + 511) / 512 * 512)
        }
    }

    @Test func longNamesUseTheUSTARPrefix() throws {
        let directory = "resources/" + String(repeating: "d", count: 120)
        let name = directory + "/cluster/item.json"
        let split = try #require(TarWriter.splitUSTAR(Array(name.utf8)))
        #expect(String(decoding: split.prefix, as: UTF8.self) == directory + "/cluster")
        #expect(String(decoding: split.name, as: UTF8.self) == "item.json")
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        try tar.appendFile(name: name, contents: [1], to: &out)
        #expect(out.count == 1024)  // no extended header
        #expect(header(out, 0, 100) == "item.json")
        #expect(header(out, 345, 155) == directory + "/cluster")
    }

    @Test func namesThatDoNotFitUSTARGetAPAXPath() throws {
        let name = "resources/configmaps/namespaces/default/" + String(repeating: "x", count: 240) + ".json"
        #expect(TarWriter.splitUSTAR(Array(name.utf8)) == nil)
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        try tar.appendFile(name: name, contents: Array("{}".utf8), to: &out)
        #expect(out[156] == UInt8(ascii: "x"))
        let records = String(decoding: out[512..<1024].prefix { $0 != 0 }, as: UTF8.self)
        let expectedRecordBody = " path=\(name)\n"
        let length = Int(records.prefix { $0 != " " })!
        #expect(records == "\(length)\(expectedRecordBody)")
        #expect(length == records.utf8.count)
        #expect(out[1024 + 156] == UInt8(ascii: "0"))
        var reader = TarReader()
        reader.append(out)
        var end: [UInt8] = []
        tar.finish(to: &end)
        reader.append(end)
        let entry = try #require(try reader.nextEntry())
        #expect(entry.name == name)
        #expect(entry.body == Array("{}".utf8))
    }

    @Test func nonASCIINamesGetAPAXPath() throws {
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        try tar.appendFile(name: "resources/configmaps/namespaces/ns/grüße.json", contents: [], to: &out)
        #expect(out[156] == UInt8(ascii: "x"))
    }

    @Test func paxRecordLengthCountsItsOwnDigits() {
        // Body of 7 + key/value such that adding the length's digits crosses 99 → 100.
        for valueLength in 80...100 {
            var records: [UInt8] = []
            TarWriter.appendPAXRecord(key: "path", value: [UInt8](repeating: UInt8(ascii: "a"), count: valueLength), to: &records)
            let text = String(decoding: records, as: UTF8.self)
            #expect(Int(text.prefix { $0 != " " }) == records.count)
        }
    }

    @Test(arguments: ["", "/etc/passwd", "../escape.json", "resources/../../x.json", "a/./b.json", "a//b.json", "nul\u{0}.json", "dir/"])
    func unsafeOrNonCanonicalNamesAreRefused(name: String) {
        var tar = TarWriter(modificationTime: mtime)
        var out: [UInt8] = []
        #expect(throws: TarError.self) { try tar.appendFile(name: name, contents: [], to: &out) }
        #expect(out.isEmpty)
    }

    @Test func octalFieldsFillTheirWidth() {
        var field = [UInt8](repeating: 0xFF, count: 12)
        TarWriter.writeOctal(0o777, into: &field, at: 0, width: 12)
        #expect(String(decoding: field[0..<11], as: UTF8.self) == "00000000777")
        #expect(field[11] == 0)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
