import Foundation
import LifeboatObjectStore
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Streams one file into a store and back, and prints throughput and this process's peak memory.
///
/// Usage:
///   objectstore-bench s3 FILE ENDPOINT BUCKET       (keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
///   objectstore-bench fs FILE ROOT_DIRECTORY
/// Prints one JSON line per direction. Run one store per process so that VmHWM belongs to it alone.
@main
struct ObjectStoreBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 4 else {
            FileHandle.standardError.write(Data("usage: objectstore-bench s3 FILE ENDPOINT BUCKET | fs FILE ROOT\n".utf8))
            exit(2)
        }
        let file = arguments[2]
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
        var logger = Logger(label: "objectstore-bench")
        logger.logLevel = .warning
        switch arguments[1] {
        case "s3":
            let configuration = S3Configuration(
                bucket: arguments[4], endpoint: URL(string: arguments[3]), forcePathStyle: true,
                credentials: .environment(ProcessInfo.processInfo.environment),
                partSize: Int(ProcessInfo.processInfo.environment["PART_SIZE_MIB"] ?? "16")! * 1024 * 1024,
                maxPartsInFlight: Int(ProcessInfo.processInfo.environment["PARTS_IN_FLIGHT"] ?? "4")!)
            let store = try S3ObjectStore(configuration: configuration, logger: logger)
            do {
                try await run(store: store, name: "s3", file: file, size: size)
                try await store.shutdown()
            } catch {
                try? await store.shutdown()
                throw error
            }
        case "fs":
            try await run(store: try FileSystemObjectStore(root: URL(fileURLWithPath: arguments[3])), name: "filesystem", file: file, size: size)
        default:
            FileHandle.standardError.write(Data("unknown store \(arguments[1])\n".utf8))
            exit(2)
        }
    }

    static func run(store: any ObjectStore, name: String, file: String, size: Int) async throws {
        let key = "bench/\(name)-stream.bin"
        let uploadStart = ContinuousClock.now
        let result = try await store.put(key: key, body: FileChunks(path: file))
        let uploadTime = ContinuousClock.now - uploadStart
        guard result.size == Int64(size) else { throw BenchError.sizeMismatch }
        report(store: name, direction: "upload", bytes: size, time: uploadTime, parts: result.parts)

        let downloadStart = ContinuousClock.now
        var received = 0
        for try await chunk in try await store.get(key: key).body { received += chunk.readableBytes }
        let downloadTime = ContinuousClock.now - downloadStart
        guard received == size else { throw BenchError.sizeMismatch }
        report(store: name, direction: "download", bytes: size, time: downloadTime, parts: nil)
        try await store.delete(key: key)
    }

    static func report(store: String, direction: String, bytes: Int, time: Duration, parts: Int?) {
        let seconds = Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
        let mibPerSecond = Double(bytes) / 1_048_576 / seconds
        let peak = peakResidentMiB()
        print(
            "{\"store\":\"\(store)\",\"direction\":\"\(direction)\",\"bytes\":\(bytes),\"seconds\":\(String(format: "%.2f", seconds)),"
                + "\"MiBps\":\(String(format: "%.1f", mibPerSecond)),\"peakRSSMiB\":\(peak)\(parts.map { ",\"parts\":\($0)" } ?? "")}")
    }

    /// VmHWM: the most resident memory this process has used so far.
    static func peakResidentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        return (line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) / 1024
    }

    enum BenchError: Error { case sizeMismatch }
}

/// A file as an async stream of 1 MiB buffers, read on NIO's thread pool.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct AsyncIterator: AsyncIteratorProtocol {
        let fd: Int32
        var offset: off_t = 0

        mutating func next() async throws -> ByteBuffer? {
            let fd = fd
            let offset = offset
            let buffer = try await NIOThreadPool.singleton.runIfActive { () -> ByteBuffer in
                var buffer = ByteBuffer()
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 20) { raw in
                    Swift.max(0, pread(fd, raw.baseAddress!, 1 << 20, offset))
                }
                return buffer
            }
            guard buffer.readableBytes > 0 else {
                close(fd)
                return nil
            }
            self.offset += off_t(buffer.readableBytes)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(fd: open(path, O_RDONLY)) }
}
