import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An object store in a local directory: the embedded default, and a reference for S3's semantics.
///
/// Writes go to a temp file under `<root>/%tmp`, are fsynced, renamed into place and the directory is
/// fsynced, so a reader (or a crash) sees the old object or the new one, never a torn one. Blocking
/// file calls run on NIO's thread pool, never on the cooperative pool.
public struct FileSystemObjectStore: ObjectStore {
    /// The directory that holds the objects.
    public let root: URL
    /// Shown as the "bucket" in errors.
    let name: String
    let threadPool: NIOThreadPool
    /// Bytes collected before one write call; also the chunk size of reads.
    let ioChunkSize: Int

    /// - Parameters:
    ///   - root: The directory to store objects in; created when missing and `createIfMissing` is set.
    ///   - createIfMissing: Whether to create `root`; when false a missing root is `noSuchBucket`.
    ///   - ioChunkSize: Size of each read and write; memory per transfer stays near this.
    public init(root: URL, createIfMissing: Bool = true, ioChunkSize: Int = 1024 * 1024) throws {
        self.root = root.standardizedFileURL
        self.name = root.path
        self.threadPool = .singleton
        self.ioChunkSize = ioChunkSize
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ObjectStoreError.invalidArgument(reason: "\(root.path) is not a directory") }
        } else if createIfMissing {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } else {
            throw ObjectStoreError.noSuchBucket(bucket: root.path)
        }
    }

    // MARK: - Put

    @discardableResult
    public func put<Body: AsyncSequence>(key: String, body: Body, options: PutOptions) async throws -> PutResult
    where Body.Element == ByteBuffer {
        let path = try FileSystemKeyPath(key: key)
        if options.retention != nil { throw ObjectStoreError.unsupported(operation: "Object Lock retention") }
        let temporaryDirectory = root.appendingPathComponent(FileSystemKeyPath.temporaryDirectoryName).path
        let temporaryPath = temporaryDirectory + "/upload-" + UUID().uuidString
        let fd = try await threadPool.runIfActive { () throws -> Int32 in
            try Self.makeDirectories(temporaryDirectory)
            return try Self.check(open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644), "open", temporaryPath)
        }
        var published = false
        var fdOpen = true
        defer {
            if fdOpen { close(fd) }
            if !published { unlink(temporaryPath) }
        }
        var pending = ByteBuffer()
        pending.reserveCapacity(ioChunkSize)
        var size: Int64 = 0
        for try await var chunk in body {
            size += Int64(chunk.readableBytes)
            pending.writeBuffer(&chunk)
            if pending.readableBytes >= ioChunkSize {
                let full = pending
                try await threadPool.runIfActive { try Self.writeAll(fd, full, temporaryPath) }
                pending.clear()
            }
        }
        try Task.checkCancellation()
        let rest = pending
        let finalDirectory = ([root.path] + path.directories).joined(separator: "/")
        let finalPath = finalDirectory + "/" + path.fileName
        let etag = try await threadPool.runIfActive { () throws -> String in
            try Self.writeAll(fd, rest, temporaryPath)
            _ = try Self.check(fsync(fd), "fsync", temporaryPath)
            let etag = try Self.etag(fd: fd, path: temporaryPath)
            // A concurrent delete may remove an empty parent between mkdir and rename: make it again.
            var attempts = 0
            while true {
                try Self.makeDirectories(finalDirectory)
                if rename(temporaryPath, finalPath) == 0 { break }
                let code = errno
                attempts += 1
                guard code == ENOENT, attempts < 10 else {
                    throw Self.error(code, "rename", finalPath)
                }
            }
            Self.syncDirectory(finalDirectory)
            return etag
        }
        close(fd)
        fdOpen = false
        published = true
        return PutResult(etag: etag, size: size, parts: 1)
    }

    // MARK: - Get, head

    public func get(key: String, range: ByteRange?) async throws -> ObjectDownload {
        let path = try FileSystemKeyPath(key: key)
        let filePath = root.path + "/" + path.relativePath
        let bucket = name
        let (fd, info) = try await threadPool.runIfActive { () throws -> (Int32, ObjectInfo) in
            let fd = open(filePath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR || code == EISDIR { throw ObjectStoreError.noSuchKey(bucket: bucket, key: key) }
                throw Self.error(code, "open", filePath)
            }
            do {
                return (fd, try Self.info(fd: fd, key: key, path: filePath))
            } catch {
                close(fd)
                throw error
            }
        }
        let file = OpenFile(fd: fd)
        let span: Range<Int64>
        if let range {
            guard let clamped = range.clamped(toSize: info.size) else { throw ObjectStoreError.invalidRange(key: key) }
            span = clamped
        } else {
            span = 0..<info.size
        }
        let pool = threadPool
        let chunkSize = ioChunkSize
        let body = ObjectByteStream { FileChunkSource(key: key, file: file, span: span, chunkSize: chunkSize, threadPool: pool) }
        return ObjectDownload(info: info, range: span, body: body)
    }

    public func head(key: String) async throws -> ObjectInfo {
        let path = try FileSystemKeyPath(key: key)
        let filePath = root.path + "/" + path.relativePath
        let bucket = name
        return try await threadPool.runIfActive {
            let fd = open(filePath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR { throw ObjectStoreError.noSuchKey(bucket: bucket, key: key) }
                throw Self.error(code, "open", filePath)
            }
            defer { close(fd) }
            return try Self.info(fd: fd, key: key, path: filePath)
        }
    }

    // MARK: - List

    public func list(prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?) async throws -> ObjectListPage {
        let rootPath = root.path
        let objects = try await threadPool.runIfActive { () throws -> [ObjectInfo] in
            var found: [ObjectInfo] = []
            try Self.walk(directory: rootPath, keyPrefix: "", matching: prefix, into: &found)
            return found
        }
        let sorted = objects.sorted { ListingPaginator.precedes($0.key, $1.key) }
        return try ListingPaginator.page(
            sortedObjects: sorted, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys, continuationToken: continuationToken)
    }

    /// Collects every object below `directory` whose key starts with `prefix`, descending only where one can.
    private static func walk(directory: String, keyPrefix: String, matching prefix: String, into found: inout [ObjectInfo]) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            // A directory removed by a concurrent delete held nothing to list; anything else is a failure.
            if access(directory, F_OK) != 0 && errno == ENOENT { return }
            throw Self.error(EIO, "list", directory)
        }
        for name in names {
            let path = directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR, let segment = FileSystemKeyPath.segment(forDirectoryName: name), !segment.isEmpty {
                let childPrefix = keyPrefix + segment + "/"
                guard childPrefix.utf8.starts(with: prefix.utf8) || prefix.utf8.starts(with: childPrefix.utf8) else { continue }
                try walk(directory: path, keyPrefix: childPrefix, matching: prefix, into: &found)
            } else if kind == S_IFREG, let segment = FileSystemKeyPath.segment(forFileName: name) {
                let key = keyPrefix + segment
                guard key.utf8.starts(with: prefix.utf8) else { continue }
                found.append(ObjectInfo(key: key, size: Int64(status.st_size), etag: etag(of: status), lastModified: modified(status)))
            }
        }
    }

    // MARK: - Delete

    public func delete(key: String) async throws {
        let path = try FileSystemKeyPath(key: key)
        let rootPath = root.path
        try await threadPool.runIfActive {
            let filePath = rootPath + "/" + path.relativePath
            if unlink(filePath) != 0 {
                let code = errno
                guard code == ENOENT || code == ENOTDIR else { throw Self.error(code, "unlink", filePath) }
                return
            }
            var directories = path.directories
            Self.syncDirectory(([rootPath] + directories).joined(separator: "/"))
            // Remove directories the delete emptied, so listings and the disk do not fill with empty folders.
            while !directories.isEmpty {
                guard rmdir(([rootPath] + directories).joined(separator: "/")) == 0 else { break }
                directories.removeLast()
            }
        }
    }

    public func delete(keys: [String]) async throws -> [String: ObjectStoreError] {
        var failures: [String: ObjectStoreError] = [:]
        for key in keys {
            do {
                try await delete(key: key)
            } catch let error as ObjectStoreError {
                failures[key] = error
            }
        }
        return failures
    }

    /// A `file://` URL of the object: there is no server to sign for, and the path itself grants access.
    public func presignedGetURL(key: String, expiresIn: Duration) async throws -> URL {
        let path = try FileSystemKeyPath(key: key)
        _ = try await head(key: key)
        return root.appendingPathComponent(path.relativePath)
    }

    // MARK: - POSIX helpers (run on the thread pool)

    private static func check(_ result: Int32, _ call: String, _ path: String) throws -> Int32 {
        guard result >= 0 else { throw error(errno, call, path) }
        return result
    }

    static func error(_ code: Int32, _ call: String, _ path: String) -> ObjectStoreError {
        .unavailable(endpoint: path, reason: "\(call) failed: \(String(cString: strerror(code)))")
    }

    private static func writeAll(_ fd: Int32, _ buffer: ByteBuffer, _ path: String) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw error(errno, "write", path)
                }
                offset += written
            }
        }
    }

    private static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw error(errno, "mkdir", path) }
        let parent = NSString(string: path).deletingLastPathComponent
        try makeDirectories(parent)
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw error(errno, "mkdir", path) }
    }

    /// Makes a rename or unlink durable; best effort, as some filesystems refuse fsync on directories.
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func info(fd: Int32, key: String, path: String) throws -> ObjectInfo {
        var status = stat()
        _ = try check(fstat(fd, &status), "fstat", path)
        guard status.st_mode & S_IFMT == S_IFREG else { throw error(EISDIR, "open", path) }
        return ObjectInfo(key: key, size: Int64(status.st_size), etag: etag(of: status), lastModified: modified(status))
    }

    private static func etag(fd: Int32, path: String) throws -> String {
        var status = stat()
        _ = try check(fstat(fd, &status), "fstat", path)
        return etag(of: status)
    }

    /// Changes with every publish: each put renames a new inode into place.
    private static func etag(of status: stat) -> String {
        let nanoseconds = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        return "\(String(UInt64(status.st_ino), radix: 16))-\(String(nanoseconds, radix: 16))-\(String(Int64(status.st_size), radix: 16))"
    }

    private static func modified(_ status: stat) -> Date {
        Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
    }
}

/// An open file descriptor closed when the last reference goes, even if a download is abandoned.
final class OpenFile: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}

/// Reads a span of an open file in chunks on the thread pool.
final class FileChunkSource: ByteChunkSource {
    let key: String
    let file: OpenFile
    var position: Int64
    let end: Int64
    let chunkSize: Int
    let threadPool: NIOThreadPool

    init(key: String, file: OpenFile, span: Range<Int64>, chunkSize: Int, threadPool: NIOThreadPool) {
        self.key = key
        self.file = file
        self.position = span.lowerBound
        self.end = span.upperBound
        self.chunkSize = chunkSize
        self.threadPool = threadPool
    }

    func nextChunk() async throws -> ByteBuffer? {
        guard position < end else { return nil }
        let count = Int(min(Int64(chunkSize), end - position))
        let offset = position
        let file = file
        let key = key
        let buffer = try await threadPool.runIfActive { () throws -> ByteBuffer in
            var buffer = ByteBuffer()
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
                var done = 0
                while done < count {
                    let got = pread(file.fd, bytes.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                    if got < 0 {
                        if errno == EINTR { continue }
                        throw FileSystemObjectStore.error(errno, "read", key)
                    }
                    guard got > 0 else { throw ObjectStoreError.integrity(key: key, reason: "the file shrank while being read") }
                    done += got
                }
                return done
            }
            return buffer
        }
        position += Int64(buffer.readableBytes)
        return buffer
    }
}
