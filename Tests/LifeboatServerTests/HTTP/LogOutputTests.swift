import Foundation
@testable import LifeboatServer
import Logging
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The text log line, its timestamp, and the batched output both log formats write through.
@Suite struct LogOutputTests {
    final class Lines: Sendable {
        let storage = Mutex<[(String, Logger.Level)]>([])
        func append(_ line: String, _ level: Logger.Level) { storage.withLock { $0.append((line, level)) } }
        var all: [String] { storage.withLock { $0.map(\.0) } }
    }

    @Test func aTextLineHasTimestampLevelLabelSortedMetadataSourceAndMessage() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["auth.name": "reader"] }
        var logger = Logger(label: "lifeboat-test") { label in
            TextLogHandler(label: label, metadataProvider: provider, output: lines.append)
        }
        logger[metadataKey: "hb.request.id"] = "r42"
        logger.info("Backup finished", metadata: ["backup.name": "nightly", "items": "12", "hb.request.id": "r43"])
        logger.debug("not at info level")
        logger.warning("no metadata of its own", source: "Tests")
        #expect(lines.all.count == 2)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (.*)$/#
        let first = try #require(lines.all[0].wholeMatch(of: pattern)).1
        // The event's own metadata wins over the logger's; keys are sorted.
        #expect(first == "info lifeboat-test: auth.name=reader backup.name=nightly hb.request.id=r43 items=12 [LifeboatServerTests] Backup finished")
        let second = try #require(lines.all[1].wholeMatch(of: pattern)).1
        #expect(second == "warning lifeboat-test: auth.name=reader hb.request.id=r42 [Tests] no metadata of its own")
        #expect(lines.storage.withLock { $0.map(\.1) } == [.info, .warning])
    }

    @Test func aLoggerWithoutProviderUsesItsRenderedMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "plain") { TextLogHandler(label: $0, output: lines.append) }
        logger.info("bare")
        logger[metadataKey: "b"] = "2"
        logger[metadataKey: "a"] = "1"
        logger.info("with fields")
        #expect(lines.all.map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" } == [
            "info plain: [LifeboatServerTests] bare", "info plain: a=1 b=2 [LifeboatServerTests] with fields",
        ])
    }

    @Test(arguments: [
        (0, 5, "1970-01-01T00:00:00.005Z"), (1_780_000_000, 999, "2026-05-28T20:26:40.999Z"),
        (951_868_799, 0, "2000-02-29T23:59:59.000Z"),
    ] as [(Int, Int, String)])
    func timestampsAreRFC3339InUTCWithMilliseconds(seconds: Int, milliseconds: Int, text: String) {
        #expect(LogTimestamp.render(seconds: time_t(seconds), milliseconds: milliseconds) == text)
    }

    @Test func nowIsTheCurrentTime() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: LogTimestamp.now()))
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
    }

    // MARK: - BufferedLogOutput

    @Test func linesWaitUntilFlushedAndKeepTheirOrder() throws {
        let pipe = try Pipe.nonBlocking()
        defer { pipe.close() }
        let output = BufferedLogOutput(fileDescriptor: pipe.write, interval: .seconds(60))
        output.write("one", level: .info)
        output.write("two", level: .debug)
        #expect(pipe.readAvailable() == "")
        output.flush()
        #expect(pipe.readAvailable() == "one\ntwo\n")
        output.flush()
        #expect(pipe.readAvailable() == "")
    }

    @Test func aWarningGoesOutAtOnceWithEverythingBeforeIt() throws {
        let pipe = try Pipe.nonBlocking()
        defer { pipe.close() }
        let output = BufferedLogOutput(fileDescriptor: pipe.write, interval: .seconds(60))
        output.write("queued", level: .info)
        output.write("failed", level: .warning)
        #expect(pipe.readAvailable() == "queued\nfailed\n")
        output.write("after", level: .notice)
        #expect(pipe.readAvailable() == "")
        output.write("broken", level: .error)
        #expect(pipe.readAvailable() == "after\nbroken\n")
    }

    @Test func aFullBatchGoesOutWithoutWaiting() throws {
        let pipe = try Pipe.nonBlocking()
        defer { pipe.close() }
        let output = BufferedLogOutput(fileDescriptor: pipe.write, limit: 10, interval: .seconds(60))
        output.write("1234", level: .info)
        #expect(pipe.readAvailable() == "")
        output.write("56789", level: .info)
        #expect(pipe.readAvailable() == "1234\n56789\n")
    }

    @Test func aBatchGoesOutAfterTheIntervalOnItsOwn() async throws {
        let pipe = try Pipe.nonBlocking()
        defer { pipe.close() }
        let output = BufferedLogOutput(fileDescriptor: pipe.write, interval: .milliseconds(50))
        output.write("later", level: .info)
        var seen = ""
        for _ in 0..<200 where seen.isEmpty {
            try await Task.sleep(for: .milliseconds(10))
            seen = pipe.readAvailable()
        }
        #expect(seen == "later\n")
    }

    @Test func concurrentWritersKeepEachWritersOrder() async throws {
        let pipe = try Pipe.nonBlocking()
        defer { pipe.close() }
        let output = BufferedLogOutput(fileDescriptor: pipe.write, limit: 512, interval: .seconds(60))
        let reader = Task.detached { () -> String in
            var text = ""
            while !text.hasSuffix("end\n") {
                let chunk = pipe.readAvailable()
                if chunk.isEmpty { try await Task.sleep(for: .milliseconds(1)) } else { text += chunk }
            }
            return text
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for n in 0..<500 { output.write("w\(writer) \(n)", level: .info) }
                }
            }
        }
        output.write("end", level: .warning)
        let lines = try await reader.value.split(separator: "\n").dropLast()
        #expect(lines.count == 8 * 500)
        for writer in 0..<8 {
            let numbers = lines.filter { $0.hasPrefix("w\(writer) ") }.compactMap { Int($0.split(separator: " ")[1]) }
            #expect(numbers == Array(0..<500))
        }
    }
}

/// A pipe whose read end never blocks, to see what has been written so far.
private struct Pipe: Sendable {
    let read: Int32
    let write: Int32

    static func nonBlocking() throws -> Pipe {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(descriptors[0], F_SETFL, fcntl(descriptors[0], F_GETFL) | O_NONBLOCK)
        return Pipe(read: descriptors[0], write: descriptors[1])
    }

    func close() {
        _ = Glibc.close(read)
        _ = Glibc.close(write)
    }

    func readAvailable() -> String {
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(read, &buffer, buffer.count)
            guard count > 0 else { break }
            text += buffer[..<count]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
