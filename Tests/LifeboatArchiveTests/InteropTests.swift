import Foundation
import Testing

@testable import LifeboatArchive

/// Our archives against the tools people actually use: GNU tar and Python's `tarfile`.
@Suite struct InteropTests {
    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func writeSampleBackup(to name: String, extraItems: [ArchiveItem] = []) throws {
        let writer = try BackupArchiveWriter(modificationTime: Date(timeIntervalSince1970: 1_764_000_000))
        var bytes: [UInt8] = []
        for item in BackupArchiveTests.sampleItems + extraItems {
            try writer.add(item)
            while let chunk = writer.nextChunk() { bytes += chunk }
        }
        _ = try writer.finish()
        while let chunk = writer.nextChunk() { bytes += chunk }
        try Data(bytes).write(to: directory.file(name))
    }

    @Test func gnuTarListsAndExtractsOurBackup() async throws {
        let longName = String(repeating: "n", count: 200)
        let long = BackupArchiveTests.item("configmaps", apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: longName)
        try writeSampleBackup(to: "backup.tar.gz", extraItems: [long])

        let listing = try await ChildProcess.run("tar", ["-tzvf", "backup.tar.gz"], in: directory.url)
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = String(decoding: listing.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + 2 * (BackupArchiveTests.sampleItems.count + 1))
        #expect(lines.allSatisfy { $0.hasPrefix("-rwxr-xr-x 0/0") })
        #expect(lines.first?.hasSuffix(" metadata/version") == true)
        #expect(!lines.contains { $0.hasPrefix("d") })
        #expect(lines.contains { $0.hasSuffix("resources/configmaps/v1-preferredversion/namespaces/shop/\(longName).json") })
        #expect(listing.stderr.isEmpty, "\(listing.stderr)")

        try FileManager.default.createDirectory(at: directory.file("out"), withIntermediateDirectories: true)
        let extract = try await ChildProcess.run("tar", ["-xzf", "backup.tar.gz", "-C", "out"], in: directory.url)
        #expect(extract.status == 0, "\(extract.stderr)")
        let web = try Data(contentsOf: directory.file("out/resources/deployments.apps/namespaces/shop/web.json"))
        #expect(Array(web) == BackupArchiveTests.sampleItems[1].json)
        let version = try String(contentsOf: directory.file("out/metadata/version"), encoding: .utf8)
        #expect(version == "1.1.0\n")
    }

    @Test func pythonTarfileReadsOurBackupAsRegularFilesWithMode0755() async throws {
        try writeSampleBackup(to: "backup.tar.gz")
        let script = """
            import tarfile, json
            with tarfile.open("backup.tar.gz", "r:gz") as t:
                members = t.getmembers()
                print(json.dumps([[m.name, m.type.decode(), m.mode, m.uid, m.gid, m.uname, m.gname, m.mtime] for m in members]))
            """
        let run = try await ChildProcess.run("python3", ["-c", script], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let members = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [[Any]])
        #expect(members.count == 1 + 2 * BackupArchiveTests.sampleItems.count)
        #expect(members.first?.first as? String == "metadata/version")
        for member in members {
            #expect(member[1] as? String == "0")
            #expect(member[2] as? Int == 0o755)
            #expect(member[3] as? Int == 0 && member[4] as? Int == 0)
            #expect(member[5] as? String == "" && member[6] as? String == "")
            #expect(member[7] as? Int == 1_764_000_000)
        }
    }

    @Test(arguments: ["USTAR_FORMAT", "PAX_FORMAT", "GNU_FORMAT"])
    func readsArchivesMadeByPythonTarfile(format: String) async throws {
        // Names that need the USTAR prefix, PAX or GNU long names (≤ 256 fits USTAR's split only
        // when a slash falls right; the 300-byte one never does), plus directory entries and a `./` root.
        let script = """
            import io, tarfile, sys
            fmt = getattr(tarfile, sys.argv[1])
            long = "resources/configmaps/namespaces/default/" + "c" * 60 + ".json"
            names = ["metadata/version", "resources/pods/namespaces/a/p.json", long]
            if fmt != tarfile.USTAR_FORMAT:
                names.append("resources/secrets/namespaces/default/" + "s" * 300 + ".json")
                names.append("resources/configmaps/namespaces/ns/grüße.json")
            with tarfile.open("made.tar.gz", "w:gz", format=fmt) as t:
                for d in ["./", "./resources/", "./resources/pods/"]:
                    info = tarfile.TarInfo(d)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    t.addfile(info)
                for n in names:
                    data = ("body of " + n).encode()
                    info = tarfile.TarInfo("./" + n)
                    info.size = len(data)
                    info.mode = 0o644
                    t.addfile(info, io.BytesIO(data))
            print("\\n".join(names))
            """
        let run = try await ChildProcess.run("python3", ["-c", script, format], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = String(decoding: run.stdout, as: UTF8.self).split(separator: "\n").map(String.init)

        let compressed = try Data(contentsOf: directory.file("made.tar.gz"))
        let gunzip = try GzipDecompressor()
        var tar = TarReader()
        var entries: [TarEntry] = []
        try gunzip.decompress(compressed) { tar.append($0) }
        try gunzip.finish()
        while let entry = try tar.nextEntry() { entries.append(entry) }
        try tar.finish()
        #expect(entries.map(\.name) == expected)
        #expect(entries.map { String(decoding: $0.body, as: UTF8.self) } == expected.map { "body of " + $0 })
        #expect(entries.allSatisfy { $0.mode == 0o644 })
    }

    @Test func readsArchivesMadeByGNUTarFromADirectory() async throws {
        let root = directory.file("tree")
        let long = String(repeating: "L", count: 95)
        let files = ["metadata/version": "1.1.0\n", "resources/pods/namespaces/ns/a.json": "{}",
                     "resources/pods/v1-preferredversion/namespaces/ns/a.json": "{}",
                     "resources/configmaps/namespaces/ns/\(long).json": #"{"k":"v"}"#]
        for (path, body) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body.utf8).write(to: url)
        }
        for format in ["gnu", "posix", "ustar"] {
            let create = try await ChildProcess.run("tar", ["--format=\(format)", "-czf", "gnu-\(format).tar.gz", "-C", "tree", "."], in: directory.url)
            #expect(create.status == 0, "\(create.stderr)")
            let reader = try BackupArchiveReader()
            try reader.consume(try Data(contentsOf: directory.file("gnu-\(format).tar.gz")))
            let index = try reader.finish()
            #expect(index.formatVersion == "1.1.0", "\(format)")
            #expect(index.items.count == 2, "\(format)")
            let configMap = index.items[ArchivedItemKey(groupResource: GroupResource(resource: "configmaps"), namespace: "ns", name: long)]
            #expect(configMap.map { String(decoding: $0.json, as: UTF8.self) } == #"{"k":"v"}"#, "\(format)")
        }
    }

    @Test func refusesAPythonArchiveWithTraversalAndSymlinks() async throws {
        let script = """
            import io, tarfile
            with tarfile.open("evil-path.tar.gz", "w:gz") as t:
                info = tarfile.TarInfo("resources/../../evil.json"); info.size = 2
                t.addfile(info, io.BytesIO(b"{}"))
            with tarfile.open("evil-link.tar.gz", "w:gz") as t:
                info = tarfile.TarInfo("resources/pods/namespaces/a/p.json"); info.type = tarfile.SYMTYPE; info.linkname = "/etc/passwd"
                t.addfile(info)
            """
        let run = try await ChildProcess.run("python3", ["-c", script], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let evilPath = try BackupArchiveReader()
        #expect(throws: TarError.unsafeEntryName(name: "resources/../../evil.json", reason: "contains a '..' component")) {
            try evilPath.consume(try Data(contentsOf: directory.file("evil-path.tar.gz")))
        }
        let evilLink = try BackupArchiveReader()
        #expect(throws: TarError.unsupportedEntryType(name: "resources/pods/namespaces/a/p.json", typeFlag: UInt8(ascii: "2"))) {
            try evilLink.consume(try Data(contentsOf: directory.file("evil-link.tar.gz")))
        }
    }
}
