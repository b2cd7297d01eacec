import Foundation
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive hold on a data directory for as long as one server runs, so two servers never share a catalog.
///
/// Start-up recovery requeues every job the catalog shows as running, which is only right when no other process
/// is running them; a second server on the same directory would also race the first for the queue and the key.
/// The hold is `flock` on `<data-dir>/lifeboat.lock`: the kernel drops it when the process ends, even by SIGKILL,
/// so a crash never leaves a stale lock behind. The file holds the owner's pid, for the error the next one prints.
///
/// As a service it is listed first: ServiceLifecycle stops services in reverse order, so the hold outlives the
/// worker pool and the HTTP server and is released only when everything else has stopped.
package final class DataDirectoryLock: Service, Sendable {
    package static let fileName = "lifeboat.lock"

    /// Why the directory could not be held; names the directory, and the owner's pid when there is one.
    package enum Failure: Error, CustomStringConvertible, Equatable {
        case inUse(directory: String, ownerPID: Int32?)
        case io(path: String, operation: String, errno: Int32)

        package var description: String {
            switch self {
            case let .inUse(directory, pid?):
                "data directory \(directory) is in use by another lifeboat-server (pid \(pid)); stop it or choose another --data-dir"
            case let .inUse(directory, nil):
                "data directory \(directory) is in use by another lifeboat-server; stop it or choose another --data-dir"
            case let .io(path, operation, code):
                "\(operation) \(path) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    private let descriptor: Mutex<Int32?>

    /// Takes the hold or throws `Failure.inUse` at once; it never waits for the other server.
    package init(directory: URL) throws(Failure) {
        let path = directory.appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let owner = Self.readPID(fd)
            close(fd)
            if code == EWOULDBLOCK { throw .inUse(directory: directory.path, ownerPID: owner) }
            throw .io(path: path, operation: "lock", errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, text.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == text.count else {
            let code = errno
            close(fd)
            throw .io(path: path, operation: "write", errno: code)
        }
        descriptor = Mutex(fd)
    }

    /// Holds the directory until graceful shutdown, then lets it go.
    package func run() async throws {
        try? await gracefulShutdown()
        release()
    }

    /// Lets the directory go (closing the file drops the `flock`); later calls do nothing.
    package func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            close(open)
            fd = nil
        }
    }

    deinit { release() }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
