import Foundation

/// How an object key maps to a path under a filesystem store's root, and back.
///
/// Each `/`-separated segment of the key becomes a directory, the last one a file. S3 lets `a` and
/// `a/b` both be objects, which plain paths cannot express (`a` would be both a file and a directory),
/// so object files carry the suffix `%obj` and every `%` inside a segment is escaped as `%25`. A bare `%`
/// therefore appears only in our markers, and names that do not decode (temp files, strangers' files)
/// are ignored by listings.
struct FileSystemKeyPath: Sendable, Hashable {
    /// Directory names from the root down to the object's directory.
    var directories: [String]
    /// The object's file name in its directory.
    var fileName: String

    static let objectSuffix = "%obj"
    /// Where uploads are written before their atomic rename; no escaped segment can have this name.
    static let temporaryDirectoryName = "%tmp"
    /// S3's limit on key length, in UTF-8 bytes.
    static let maximumKeyBytes = 1024
    /// The usual `NAME_MAX` of Linux filesystems.
    static let maximumNameBytes = 255

    /// Validates `key` and computes its path; rejects what could escape the root or not round-trip.
    init(key: String) throws {
        func reject(_ reason: String) -> ObjectStoreError { .invalidKey(key: key, reason: reason) }
        guard !key.isEmpty else { throw reject("a key must not be empty") }
        guard key.utf8.count <= Self.maximumKeyBytes else { throw reject("a key must be at most 1024 bytes") }
        guard !key.utf8.contains(0) else { throw reject("a key must not contain NUL") }
        guard !key.hasPrefix("/") else { throw reject("a key must not be an absolute path") }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (index, segment) in segments.enumerated() {
            if segment == "." || segment == ".." { throw reject("a key must not contain . or .. segments") }
            if segment.isEmpty && index != segments.count - 1 { throw reject("a key must not contain an empty segment (//)") }
        }
        directories = segments.dropLast().map(Self.escape)
        fileName = Self.escape(segments[segments.count - 1]) + Self.objectSuffix
        for name in directories + [fileName] where name.utf8.count > Self.maximumNameBytes {
            throw reject("a key segment is longer than the filesystem allows")
        }
    }

    /// The path relative to the root.
    var relativePath: String { (directories + [fileName]).joined(separator: "/") }

    static func escape(_ segment: String) -> String {
        segment.replacingOccurrences(of: "%", with: "%25")
    }

    /// The key segment a directory name stands for, or nil for names we did not create.
    static func segment(forDirectoryName name: String) -> String? {
        unescape(name)
    }

    /// The key segment an object file name stands for, or nil for names we did not create.
    static func segment(forFileName name: String) -> String? {
        guard name.hasSuffix(objectSuffix) else { return nil }
        return unescape(String(name.dropLast(objectSuffix.count)))
    }

    private static func unescape(_ name: String) -> String? {
        var result = ""
        var rest = Substring(name)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let after = rest[percent...].dropFirst()
            guard after.hasPrefix("25") else { return nil }
            result += "%"
            rest = after.dropFirst(2)
        }
        result += rest
        return result
    }
}
