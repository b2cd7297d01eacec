import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// Runs an exec plan as a local process and speaks the Kubernetes channel protocol over WebSocket:
/// every message is `[channel] + payload` in a binary frame (1 stdout, 2 stderr, 3 final Status),
/// client channel 0 is stdin and `[255, 0]` (v5) closes it.
enum ExecSession {
    private enum Event: Sendable {
        case output(UInt8, Data)
        case closed(UInt8)
        case exited(Int32)
    }

    static func run(_ plan: ExecPlan, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        try FileManager.default.createDirectory(atPath: plan.workingDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = plan.command
        process.currentDirectoryURL = URL(fileURLWithPath: plan.workingDirectory)
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": plan.workingDirectory]
        environment["POD_NAME"] = plan.pod
        environment["POD_NAMESPACE"] = plan.namespace
        environment["CONTAINER_NAME"] = plan.container
        process.environment = environment

        let (events, continuation) = AsyncStream<Event>.makeStream()
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        // Blocking reads on GCD threads (not the cooperative pool): EOF is seen reliably.
        for (channel, pipe) in [(UInt8(1), outPipe), (UInt8(2), errPipe)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async {
                // availableData returns as soon as anything is readable; read(upToCount:) would wait for a full buffer.
                while case let data = handle.availableData, !data.isEmpty {
                    continuation.yield(.output(channel, data))
                }
                continuation.yield(.closed(channel))
            }
        }
        let stdinPipe = plan.stdin ? Pipe() : nil
        process.standardInput = stdinPipe ?? FileHandle.nullDevice
        process.terminationHandler = { process in
            let code = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
            continuation.yield(.exited(code))
        }
        do {
            try process.run()
        } catch {
            try? outPipe.fileHandleForWriting.close()
            try? errPipe.fileHandleForWriting.close()
            try await finish(outbound, status: failure("error executing command in container: \(error)"))
            return
        }

        let reader = Task {
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    let bytes: [UInt8]
                    switch message {
                    case .binary(let buffer): bytes = Array(buffer.readableBytesView)
                    case .text(let text): bytes = Array(text.utf8)
                    }
                    guard let channel = bytes.first else { continue }
                    if channel == 0, let stdinPipe, bytes.count > 1 {
                        try? stdinPipe.fileHandleForWriting.write(contentsOf: bytes.dropFirst())
                    } else if channel == 255, bytes.count > 1, bytes[1] == 0, let stdinPipe {
                        try? stdinPipe.fileHandleForWriting.close()
                    }
                }
            } catch {}
        }

        var open: Set<UInt8> = [1, 2]
        var exitCode: Int32?
        for await event in events {
            switch event {
            case .output(let channel, let data):
                let wanted = channel == 1 ? plan.stdout : plan.stderr
                if wanted {
                    var buffer = ByteBuffer()
                    buffer.writeInteger(channel)
                    buffer.writeBytes(data)
                    try await outbound.write(.binary(buffer))
                }
            case .closed(let channel):
                open.remove(channel)
            case .exited(let code):
                exitCode = code
            }
            if open.isEmpty, exitCode != nil { break }
        }
        continuation.finish()
        reader.cancel()
        try? stdinPipe?.fileHandleForWriting.close()
        let code = exitCode ?? 1
        try await finish(outbound, status: code == 0 ? #"{"metadata":{},"status":"Success"}"# : nonZero(code))
    }

    static func nonZero(_ code: Int32) -> String {
        #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status \#(code)","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"\#(code)"}]}}"#
    }

    static func failure(_ message: String) -> String {
        JSONWriter.encodeString(.object(["metadata": .object([:]), "status": "Failure", "message": .string(message)]))
    }

    private static func finish(_ outbound: WebSocketOutboundWriter, status: String) async throws {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(3))
        buffer.writeString(status)
        try await outbound.write(.binary(buffer))
        try await outbound.close(.normalClosure, reason: nil)
    }
}
