import Foundation
import Synchronization

/// Runs a program to completion without blocking the cooperative pool: the exit arrives through
/// `terminationHandler`, output is drained by blocking reads on GCD threads, and a timeout kills the child.
struct ChildProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    final class Output: Sendable {
        let data = Mutex(Data())
        func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }
        var string: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
    }

    /// Drains `pipe` into `output` on a GCD thread; `group` is left at EOF.
    static func drain(_ pipe: Pipe, into output: Output, group: DispatchGroup) {
        group.enter()
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async {
            // availableData returns whatever is there (read(upToCount:) would wait for a full buffer).
            while case let data = handle.availableData, !data.isEmpty { output.append(data) }
            group.leave()
        }
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Output(), stderr = Output()
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let group = DispatchGroup()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            drain(outPipe, into: stdout, group: group)
            drain(errPipe, into: stderr, group: group)
            let pid = process.processIdentifier
            Task {
                try? await Task.sleep(for: timeout)
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
        return Result(status: status, stdout: stdout.string, stderr: stderr.string)
    }

    /// A long-running child (e.g. `kubectl get -w`) whose output can be polled.
    final class Running: Sendable {
        let process: Process
        let stdout = Output()
        let stderr = Output()

        init(_ executable: String, _ arguments: [String]) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let outPipe = Pipe(), errPipe = Pipe()
            process.standardOutput = outPipe
            process.standardError = errPipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let group = DispatchGroup()
            ChildProcess.drain(outPipe, into: stdout, group: group)
            ChildProcess.drain(errPipe, into: stderr, group: group)
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }
}

