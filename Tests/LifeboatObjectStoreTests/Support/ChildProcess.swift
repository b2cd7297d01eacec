import Foundation
import Synchronization

/// A child process whose output is read and whose exit is awaited without blocking the cooperative pool.
///
/// Foundation delivers pipe data and termination on its own threads (`readabilityHandler`,
/// `terminationHandler`); this type turns them into async calls. Closing stdin (or our process exiting)
/// is how the helper scripts know to stop.
final class ChildProcess: Sendable {
    private struct State {
        var stdout = Data()
        var stderr = Data()
        var stdoutClosed = false
        var status: Int32?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let process = Process()
    private let stdin = Pipe()
    let description: String

    /// Starts `arguments[0]` (looked up in PATH through /usr/bin/env) with extra environment variables.
    init(_ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) throws {
        description = arguments.joined(separator: " ")
        let stdout = Pipe()
        let stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            self.state.withLock {
                if data.isEmpty {
                    $0.stdoutClosed = true
                    handle.readabilityHandler = nil
                } else {
                    $0.stdout.append(data)
                }
            }
            self.wake()
        }
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self.state.withLock { $0.stderr.append(data) }
        }
        process.terminationHandler = { process in
            self.state.withLock { $0.status = process.terminationStatus }
            self.wake()
        }
        try process.run()
    }

    private func wake() {
        let waiters = state.withLock { state in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until `condition` holds for the state, or the process has exited, or `timeout` passed.
    private func wait(timeout: Duration, until condition: @escaping @Sendable (State) -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ condition($0) || $0.status != nil }) { return }
            // Woken by new output or exit; the short sleep bounds a missed wake-up.
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if condition(state) || state.status != nil { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
                Task {
                    try? await Task.sleep(for: .milliseconds(200))
                    self.wake()
                }
            }
        }
    }

    /// The first line of stdout, or a failure that includes stderr when the process exits first.
    func firstLine(timeout: Duration = .seconds(120)) async throws -> String {
        await wait(timeout: timeout) { $0.stdout.contains(UInt8(ascii: "\n")) }
        let (stdout, stderr) = state.withLock { ($0.stdout, $0.stderr) }
        guard let newline = stdout.firstIndex(of: UInt8(ascii: "\n")) else {
            throw ChildProcessError.noOutput(command: description, stderr: String(decoding: stderr.suffix(4000), as: UTF8.self))
        }
        return String(decoding: stdout[..<newline], as: UTF8.self)
    }

    /// Closes our end of stdin: the helper scripts stop when they read EOF.
    func closeStdin() {
        try? stdin.fileHandleForWriting.close()
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits for the exit; returns status, stdout and stderr.
    func waitForExit(timeout: Duration = .seconds(600)) async throws -> (status: Int32, stdout: String, stderr: String) {
        await wait(timeout: timeout) { $0.status != nil && $0.stdoutClosed }
        let result = state.withLock { ($0.status, $0.stdout, $0.stderr) }
        guard let status = result.0 else {
            terminate()
            throw ChildProcessError.timedOut(command: description)
        }
        return (status, String(decoding: result.1, as: UTF8.self), String(decoding: result.2, as: UTF8.self))
    }

    /// Runs a command to completion and fails unless it exits with 0.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(600)) async throws -> String {
        let child = try ChildProcess(arguments, environment: environment)
        child.closeStdin()
        let (status, stdout, stderr) = try await child.waitForExit(timeout: timeout)
        guard status == 0 else {
            throw ChildProcessError.failed(command: arguments.prefix(3).joined(separator: " "), status: status, stderr: String(stderr.suffix(4000)))
        }
        return stdout
    }
}

enum ChildProcessError: Error, CustomStringConvertible {
    case noOutput(command: String, stderr: String)
    case timedOut(command: String)
    case failed(command: String, status: Int32, stderr: String)

    var description: String {
        switch self {
        case .noOutput(let command, let stderr): "\(command) printed nothing; stderr: \(stderr)"
        case .timedOut(let command): "\(command) did not exit in time"
        case .failed(let command, let status, let stderr): "\(command) exited with \(status): \(stderr)"
        }
    }
}
