import Foundation

/// Builds `<B>-resource-list.json.gz` for a backup of any size in bounded memory: entries are kept in memory up to
/// `runLength`, then sorted and written to a temporary file as one run; `gzipped()` merges the runs (and what is
/// still in memory) in Go's order — keys bytewise, each key's entries bytewise — straight into gzip. The output is
/// the same document `ResourceList.gzipped()` writes.
///
/// A run is one file of `key\tentry\n` lines: keys (`apps/v1/Deployment`) and entries (`ns/name`) never hold a tab
/// or a newline, since Kubernetes names cannot. Not thread-safe: the backup's consumer owns it. The files are
/// removed by `close()` (and by `gzipped()`).
public final class ResourceListSpool {
    public let runLength: Int
    private var pending: [(key: String, entry: String)] = []
    private var runs: [URL] = []
    private let directory: URL
    public private(set) var count = 0

    public init(runLength: Int = 20_000, directory: URL = FileManager.default.temporaryDirectory) {
        precondition(runLength > 0, "runLength must be positive")
        self.runLength = runLength
        self.directory = directory.appendingPathComponent("lifeboat-resource-list-\(UUID().uuidString)", isDirectory: true)
    }

    deinit { close() }

    /// Records one backed-up object.
    public func add(key: String, namespace: String?, name: String) throws {
        pending.append((key, namespace.map { "\($0)/\(name)" } ?? name))
        count += 1
        if pending.count >= runLength { try spill() }
    }

    /// Removes the temporary files.
    public func close() {
        try? FileManager.default.removeItem(at: directory)
        runs = []
    }

    private static func precedes(_ lhs: (key: String, entry: String), _ rhs: (key: String, entry: String)) -> Bool {
        if lhs.key != rhs.key { return lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8) }
        return lhs.entry.utf8.lexicographicallyPrecedes(rhs.entry.utf8)
    }

    private func spill() throws {
        pending.sort(by: Self.precedes)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("run-\(runs.count)")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pending.count * 48)
        for (key, entry) in pending {
            bytes.append(contentsOf: key.utf8)
            bytes.append(UInt8(ascii: "\t"))
            bytes.append(contentsOf: entry.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        try Data(bytes).write(to: url)
        runs.append(url)
        pending.removeAll(keepingCapacity: true)
    }

    /// The gzip-compressed document; the spool is empty and its files gone afterwards.
    public func gzipped() throws -> [UInt8] {
        defer { close() }
        pending.sort(by: Self.precedes)
        var sources: [RunReader] = try runs.map { try RunReader(url: $0) }
        var memory = pending.makeIterator()
        var heads: [(key: String, entry: String)?] = try sources.indices.map { try sources[$0].next() }
        var memoryHead = memory.next()

        let gzip = try GzipCompressor()
        var compressed: [UInt8] = []
        var output: [UInt8] = [UInt8(ascii: "{")]
        var currentKey: String?
        var firstEntry = true
        func flush() throws {
            try gzip.compress(output) { compressed.append(contentsOf: $0) }
            output.removeAll(keepingCapacity: true)
        }
        while true {
            // The smallest head among the runs and the in-memory rest (a handful of runs: a linear scan is enough).
            var best: Int? = nil  // index into heads, or -1 for memory
            var bestValue: (key: String, entry: String)?
            for (index, head) in heads.enumerated() {
                if let head, bestValue.map({ Self.precedes(head, $0) }) ?? true {
                    best = index
                    bestValue = head
                }
            }
            if let head = memoryHead, bestValue.map({ Self.precedes(head, $0) }) ?? true {
                best = -1
                bestValue = head
            }
            guard let chosen = best, let value = bestValue else { break }
            if chosen == -1 { memoryHead = memory.next() } else { heads[chosen] = try sources[chosen].next() }

            if value.key != currentKey {
                if currentKey != nil { output.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: ",")]) }
                JSONValue.appendGoString(value.key, to: &output)
                output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: "[")])
                currentKey = value.key
                firstEntry = true
            }
            if !firstEntry { output.append(UInt8(ascii: ",")) }
            firstEntry = false
            JSONValue.appendGoString(value.entry, to: &output)
            if output.count >= 64 * 1024 { try flush() }
        }
        if currentKey != nil { output.append(UInt8(ascii: "]")) }
        output.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        try flush()
        try gzip.finish { compressed.append(contentsOf: $0) }
        pending = []
        return compressed
    }

    /// Reads one run line by line through a 64 KiB buffer.
    private struct RunReader {
        let handle: FileHandle
        var buffer: [UInt8] = []
        var position = 0
        var exhausted = false

        init(url: URL) throws {
            handle = try FileHandle(forReadingFrom: url)
        }

        mutating func next() throws -> (key: String, entry: String)? {
            while true {
                if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[position..<newline]
                    position = newline + 1
                    guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
                    return (String(decoding: line[..<tab], as: UTF8.self), String(decoding: line[(tab + 1)...], as: UTF8.self))
                }
                if exhausted {
                    try? handle.close()
                    return nil
                }
                buffer.removeFirst(position)
                position = 0
                let chunk = try handle.read(upToCount: 64 * 1024) ?? Data()
                if chunk.isEmpty { exhausted = true } else { buffer.append(contentsOf: chunk) }
            }
        }
    }
}
