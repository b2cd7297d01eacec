import Foundation

/// A long-running helper process of an end-to-end test (kubesim, moto), with its output in a file that the test
/// polls, and stdin held open so launchers that exit on EOF live exactly as long as the test holds them.
final class BackgroundProcess: @unchecked Sendable {
    let process = Process()
    let outputPath: String
    private let stdin = Pipe()

    init(_ executable: String, _ arguments: [String], directory: String, name: String, environment: [String: String]? = nil) throws {
        outputPath = "\(directory)/\(name).out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
    }

    /// The first output line containing `marker`, waiting up to `timeout`.
    func line(containing marker: String, timeout: Duration = .seconds(120)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        throw ProcessFailure("no line with '\(marker)' from \(process.executableURL?.lastPathComponent ?? "?"): \(text.suffix(2000))")
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program to completion; output in files (a full pipe would block the child).
func runProgram(_ executable: String, _ arguments: [String], directory: String, environment: [String: String]? = nil) async throws -> CLIResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let id = UUID().uuidString
    let outPath = "\(directory)/\(id).out", errPath = "\(directory)/\(id).err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        process.terminationHandler = { _ in continuation.resume() }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    try out.close()
    try err.close()
    return CLIResult(status: process.terminationStatus, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                     stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}
