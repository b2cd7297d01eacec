import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import LifeboatCore
import LifeboatStore
import Testing

/// A `lifeboat-server` child process with its stdout and stderr in files.
final class ServerProcess: @unchecked Sendable {  // Process is not Sendable; this type owns it alone
    let process = Process()
    let port: Int
    private let exited = AsyncStream<Void>.makeStream()

    /// The `lifeboat-server` executable next to the test bundle (`swift build` puts every product there).
    static var binary: URL {
        let testBinaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [testBinaryDirectory, testBinaryDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("lifeboat-server")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/lifeboat-server")
    }

    /// Starts the server on a free port with `dataDirectory` and waits for its "listening" line.
    init(dataDirectory: String, logDirectory: String) async throws {
        let out = logDirectory + "/server-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        process.executableURL = Self.binary
        process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", dataDirectory, "--workers", "2", "--log-level", "warning"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": logDirectory]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = FileHandle.nullDevice
        let continuation = exited.continuation
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0) }) {
                self.port = port
                return
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw LifeboatError.unavailable(dependency: "lifeboat-server (it did not start)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGKILL, as a crash or the OOM killer would, and wait for the exit without blocking a thread.
    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        for await _ in exited.stream {}
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A TCP port that accepts connections and never answers: a cluster check against it hangs until its timeout.
final class SilentListener: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(directory: String) async throws {
        let out = directory + "/silent-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import socket, time
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
            print(s.getsockname()[1], flush=True)
            time.sleep(300)
            """]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        // Never inherit the test runner's stderr: `swift test` waits for every holder of its pipes to exit.
        process.standardError = FileHandle.nullDevice
        try process.run()
        while true {
            if let port = Int(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) {
                self.port = port
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() { process.terminate() }

    deinit { process.terminate() }
}

@Suite(.timeLimit(.minutes(2))) struct ServerRestartTests {
    /// One JSON request to the server with a bearer token: status and body.
    static func request(_ method: HTTPMethod, _ url: String, token: String, body: String? = nil) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: buffer))
    }

    @Test func objectsSurviveSIGKILLAndTheRunningJobIsRecovered() async throws {
        let directory = try makeTemporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        let silent = try await SilentListener(directory: directory)

        var server = try await ServerProcess(dataDirectory: data, logDirectory: directory)
        let admin = try String(contentsOfFile: data + "/admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var base = "http://127.0.0.1:\(server.port)"
        let cluster = #"{"metadata":{"name":"hung"},"spec":{"server":"http://127.0.0.1:\#(silent.port)","token":"t"}}"#
        #expect(try await Self.request(.POST, base + "/v1/clusters", token: admin, body: cluster).0 == 201)
        let location = #"{"metadata":{"name":"local"},"spec":{"provider":"filesystem","objectStorage":{"bucket":"\#(directory)"},"default":true}}"#
        #expect(try await Self.request(.POST, base + "/v1/backup-locations", token: admin, body: location).0 == 201)

        // Wait until the cluster check is running (its request hangs on the silent port), then kill the server.
        let database = try AppDatabase.open(in: URL(fileURLWithPath: data))
        while try await database.latestJob(kind: .clusterCheck, target: "hung")?.state != .running {
            try await Task.sleep(for: .milliseconds(50))
        }
        let interrupted = try #require(try await database.latestJob(kind: .clusterCheck, target: "hung"))
        await server.kill()
        #expect(try await database.job(interrupted.id).state == .running)  // what a crash leaves behind

        server = try await ServerProcess(dataDirectory: data, logDirectory: directory)
        base = "http://127.0.0.1:\(server.port)"
        // The same admin token still works, and everything created before the crash is there.
        let (status, body) = try await Self.request(.GET, base + "/v1/clusters/hung", token: admin)
        #expect(status == 200)
        #expect(body.contains("\"hung\""))
        #expect(try await Self.request(.GET, base + "/v1/backup-locations/local", token: admin).0 == 200)

        // Start-up recovery took the interrupted job back: never left running under the dead process's lease,
        // but requeued (a check is safe to retry) and claimed again by the new process.
        let deadline = ContinuousClock.now + .seconds(60)
        var job = try await database.job(interrupted.id)
        while job.attempt < 2 && !job.state.isFinished && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            job = try await database.job(interrupted.id)
        }
        #expect(job.attempt == 2)
        #expect(job.state != .running || job.leaseOwner != interrupted.leaseOwner)
        #expect(job.state != .failed)
        await server.kill()
        silent.stop()
    }

    /// A second server on a data directory in use refuses to start, with one line naming the owner, and touches
    /// nothing; the first keeps serving.
    @Test func aSecondServerOnTheSameDataDirectoryRefusesToStart() async throws {
        let directory = try makeTemporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        let first = try await ServerProcess(dataDirectory: data, logDirectory: directory)
        let admin = try String(contentsOfFile: data + "/admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        let second = Process()
        second.executableURL = ServerProcess.binary
        second.arguments = ["--listen", "127.0.0.1:0", "--data-dir", data, "--log-level", "warning"]
        second.environment = ["PATH": "/usr/bin:/bin", "HOME": directory]
        let errors = Pipe()
        second.standardError = errors
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        let stderr = String(decoding: try errors.fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)
        second.waitUntilExit()
        #expect(second.terminationStatus != 0)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(stderr)")
        #expect(stderr.contains("data directory \(data) is in use by another lifeboat-server (pid \(first.process.processIdentifier))"))
        #expect(try String(contentsOfFile: data + "/admin-token", encoding: .utf8).contains(admin))
        #expect(try await Self.request(.GET, "http://127.0.0.1:\(first.port)/v1/status", token: admin).0 == 200)
        await first.kill()
    }
}
