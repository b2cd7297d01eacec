// Benchmark of LifeboatArchive's backup path: per item, parse the API server's JSON, rename it,
// re-encode it Go-style, and write both tar entries through gzip. Built by run.sh with swiftc
// against the release build of the module; prints items/s and MB/s.
import Foundation
import LifeboatArchive

@main
struct ArchiveBenchmark {
    struct CorpusObject {
        var groupResource: GroupResource
        var apiVersion: String
        var kind: String
        var namespace: String?
        var json: [UInt8]
    }

    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4 || arguments.count == 5, let count = Int(arguments[2]) else {
            print("usage: archive-bench <corpus.jsonl> <items> <output.tar.gz> [zlib level, default 6 like Go]")
            exit(2)
        }
        let lines = try String(contentsOfFile: arguments[1], encoding: .utf8).split(separator: "\n")
        let corpus: [CorpusObject] = try lines.map { line in
            let record = try JSONValue.parse(String(line))
            let namespace = record["namespace"]?.stringValue
            return CorpusObject(
                groupResource: GroupResource(directoryName: record["gr"]!.stringValue!)!,
                apiVersion: record["apiVersion"]!.stringValue!, kind: record["kind"]!.stringValue!,
                namespace: namespace, json: Array(record["json"]!.stringValue!.utf8))
        }
        let output = FileHandle(forWritingAtPath: arguments[3]) ?? {
            _ = FileManager.default.createFile(atPath: arguments[3], contents: nil)
            return FileHandle(forWritingAtPath: arguments[3])!
        }()
        try output.truncate(atOffset: 0)

        let clock = ContinuousClock()
        var jsonTime = Duration.zero
        let start = clock.now
        let level = arguments.count == 5 ? Int32(arguments[4])! : 6
        let writer = try BackupArchiveWriter(modificationTime: Date(), chunkSize: 8 << 20, compressionLevel: level)
        var jsonBytes = 0
        for index in 0..<count {
            let object = corpus[index % corpus.count]
            let jsonStart = clock.now
            guard case .object(var document) = try JSONValue.parse(object.json), case .object(var metadata)? = document["metadata"] else {
                fatalError("corpus object is not an object with metadata")
            }
            let name = "\(metadata["name"]?.stringValue ?? "item")-\(index)"
            metadata["name"] = .string(name)
            document["metadata"] = .object(metadata)
            let bytes = JSONValue.object(document).goJSONBytes()
            jsonTime += clock.now - jsonStart
            jsonBytes += bytes.count * 2
            try writer.add(ArchiveItem(groupResource: object.groupResource, apiVersion: object.apiVersion, kind: object.kind,
                                       namespace: object.namespace, name: name, json: bytes))
            while let chunk = writer.nextChunk() { output.write(Data(chunk)) }
        }
        let summary = try writer.finish()
        while let chunk = writer.nextChunk() { output.write(Data(chunk)) }
        try output.close()
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let jsonSeconds = Double(jsonTime.components.seconds) + Double(jsonTime.components.attoseconds) / 1e18
        print(String(format: "lifeboat level %d  items=%d  json(both copies)=%.1f MB  tar=%.1f MB  gz=%.1f MB  time=%.2f s  items/s=%.0f  MB/s(tar in)=%.1f  json parse+encode=%.2f s",
                     level, count, Double(jsonBytes) / 1e6, Double(summary.tarBytes) / 1e6, Double(summary.compressedBytes) / 1e6, seconds,
                     Double(count) / seconds, Double(summary.tarBytes) / 1e6 / seconds, jsonSeconds))
    }
}
