import Foundation

/// Runs a real tool (`tar`, `gzip`, `python3`) as a child process without blocking the cooperative pool.
///
/// Output goes to files in the caller's temporary directory, so a chatty child can never fill a pipe
/// and stall; the wait is a continuation resumed by the termination handler.
struct ChildProcess {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL) async throws -> Output {
        let id = UUID().uuidString
        let stdoutURL = directory.appendingPathComponent("stdout-\(id)")
        let stderrURL = directory.appendingPathComponent("stderr-\(id)")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Output(
            status: status,
            stdout: try Data(contentsOf: stdoutURL),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}

/// A directory of its own for one test, removed when the test's value goes away.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Text-like bytes from a fresh generator.
    static func textLike(seed: UInt64, _ count: Int) -> [UInt8] {
        var generator = SeededBytes(seed: seed)
        return generator.textLike(count)
    }

    /// Text-like bytes that compress the way JSON does.
    mutating func textLike(_ count: Int) -> [UInt8] {
        let words = ["metadata", "name", "namespace", "labels", "app", "spec", "containers", "image", ":", ",", "{", "}", "\""]
        var out: [UInt8] = []
        while out.count < count { out.append(contentsOf: words[Int(next() % UInt64(words.count))].utf8) }
        return Array(out.prefix(count))
    }

    /// Splits `data` into chunks of random sizes between 1 and `maxChunk`.
    mutating func chunks(of data: [UInt8], maxChunk: Int) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var index = 0
        while index < data.count {
            let size = min(data.count - index, 1 + Int(next() % UInt64(maxChunk)))
            result.append(Array(data[index..<(index + size)]))
            index += size
        }
        return result
    }
}
