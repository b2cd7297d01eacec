import Dispatch
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the server's log lines go: a file descriptor (standard error), written in batches.
///
/// One `write(2)` per line was the largest cost of the request log that was ours: at 20,000 requests/s a syscall
/// each, on the cores that serve the requests. Like nginx's `access_log ... buffer= flush=` and klog's flush
/// interval, lines collect in memory and go out together when `limit` bytes are waiting or `interval` after the first
/// one, whichever is sooner. A line at `warning` or above goes out at once, with everything before it, so what
/// explains a failure is never held back; the process flushes what is left when it exits (`atexit`). What a crash or
/// SIGKILL can lose is at most `interval` of lines below warning.
///
/// Lines keep their order: they are appended under one lock, and batches are written under another.
package final class BufferedLogOutput: Sendable {
    /// Standard error, shared by every handler of the process, and flushed when the process exits.
    package static let standardError: BufferedLogOutput = {
        let output = BufferedLogOutput(fileDescriptor: 2)
        atexit { BufferedLogOutput.standardError.flush() }
        return output
    }()

    private struct Pending {
        var bytes: [UInt8] = []
        var flushScheduled = false
    }

    private let fileDescriptor: Int32
    private let limit: Int
    private let interval: DispatchTimeInterval
    private let pending = Mutex(Pending())
    /// Held while a batch is taken and written, so two flushes cannot reorder their batches.
    private let writing = Mutex(())
    private let queue = DispatchQueue(label: "lifeboat.log-output")

    /// - Parameters:
    ///   - fileDescriptor: Left open: the output does not own it.
    ///   - limit: Bytes that make a batch go out without waiting.
    ///   - interval: How long the first line of a batch may wait.
    package init(fileDescriptor: Int32, limit: Int = 64 * 1024, interval: DispatchTimeInterval = .milliseconds(200)) {
        self.fileDescriptor = fileDescriptor
        self.limit = limit
        self.interval = interval
    }

    /// Adds `line` and a newline; a `level` of warning or above writes it, and all before it, before returning.
    package func write(_ line: String, level: Logger.Level) {
        var line = line
        let (full, schedule) = line.withUTF8 { utf8 in
            pending.withLock { pending -> (Bool, Bool) in
                pending.bytes.append(contentsOf: utf8)
                pending.bytes.append(UInt8(ascii: "\n"))
                let full = pending.bytes.count >= limit || level >= .warning
                let schedule = !full && !pending.flushScheduled
                if schedule { pending.flushScheduled = true }
                return (full, schedule)
            }
        }
        if full {
            flush()
        } else if schedule {
            queue.asyncAfter(deadline: .now() + interval) { [self] in
                pending.withLock { $0.flushScheduled = false }
                flush()
            }
        }
    }

    /// Writes every line added so far.
    package func flush() {
        writing.withLock { _ in
            let batch = pending.withLock { pending -> [UInt8] in
                var batch: [UInt8] = []
                swap(&batch, &pending.bytes)
                return batch
            }
            guard !batch.isEmpty else { return }
            batch.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = systemWrite(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else if written < 0 && errno == EAGAIN && waitUntilWritable(fileDescriptor) {
                        continue
                    } else {
                        return  // a closed or stuck stderr: the lines are dropped rather than stalling the server
                    }
                }
            }
        }
    }
}

/// A non-blocking descriptor that is full (a pipe nobody reads fast enough): wait up to a second for room.
private func waitUntilWritable(_ fileDescriptor: Int32) -> Bool {
    var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
    return poll(&descriptor, 1, 1000) > 0
}
