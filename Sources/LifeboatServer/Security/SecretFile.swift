import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files holding secrets in the data directory (`server.key`, `admin-token`): created with mode 0600 from the
/// first byte (no window in which another user could read them) and refused when group or world can read them.
enum SecretFile {
    /// Why a secret file could not be used; messages name the path, never the content.
    enum Failure: Error, CustomStringConvertible, Equatable {
        case insecurePermissions(path: String, mode: String)
        case malformed(path: String, reason: String)
        case io(path: String, operation: String, errno: Int32)

        var description: String {
            switch self {
            case let .insecurePermissions(path, mode):
                "\(path) has mode \(mode); it holds a secret and must not be readable by group or others (chmod 600 \(path))"
            case let .malformed(path, reason):
                "\(path) is malformed: \(reason)"
            case let .io(path, operation, code):
                "\(operation) \(path) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// Reads a secret file after checking that only its owner can read it.
    static func read(_ url: URL) throws -> Data {
        let path = url.path
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw Failure.io(path: path, operation: "stat", errno: ENOENT)
        }
        let mode = UInt16((attributes[.posixPermissions] as? Int) ?? 0) & 0o777
        if mode & 0o077 != 0 { throw Failure.insecurePermissions(path: path, mode: String(mode, radix: 8)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.io(path: path, operation: "read", errno: errno)
        }
        return data
    }

    /// Whether the file exists.
    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Writes `data` to `url` atomically (temporary file + rename) with mode 0600, replacing any previous file.
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try create(temporary, data: data)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw Failure.io(path: url.path, operation: "rename to", errno: code)
        }
    }

    /// Creates `url` exclusively with mode 0600; fails with `EEXIST` when it already exists.
    static func create(_ url: URL, data: Data) throws {
        let path = url.path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw Failure.io(path: path, operation: "create", errno: errno) }
        defer { close(descriptor) }
        // The umask cannot widen 0600, but an inherited ACL or odd umask could narrow it; set it explicitly.
        fchmod(descriptor, 0o600)
        var written = 0
        let total = data.count
        try data.withUnsafeBytes { buffer in
            while written < total {
                let result = systemWrite(descriptor, buffer.baseAddress! + written, total - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw Failure.io(path: path, operation: "write", errno: errno)
                }
                written += result
            }
        }
        guard fsync(descriptor) == 0 else { throw Failure.io(path: path, operation: "fsync", errno: errno) }
    }
}
