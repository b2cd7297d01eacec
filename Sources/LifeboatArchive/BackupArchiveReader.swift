import Foundation

/// Reads a backup tarball (ours or Velero's, format 1 or 1.1) streamed to it in compressed chunks and
/// indexes its items by group-resource, namespace and name.
///
/// For each object it keeps one body, preferring the unversioned copy (the one Velero's restore
/// reads) over a `<ver>-preferredversion` copy; other version directories are recorded but their
/// bodies dropped. Entries are checked by `TarReader` (no absolute paths, `..`, links or devices),
/// so a hostile archive fails here, before a restore creates anything.
///
/// ```swift
/// let reader = try BackupArchiveReader()
/// for try await chunk in download { try reader.consume(chunk) }
/// let index = try reader.finish()
/// ```
///
/// Not `Sendable`: one reader belongs to one task.
public final class BackupArchiveReader {
    private let gunzip: GzipDecompressor
    private var tar: TarReader
    private var index = BackupArchiveIndex()
    private var finished = false

    /// Creates a reader.
    /// - Parameter maximumEntrySize: the largest entry accepted; Kubernetes objects are at most ~1.5 MiB.
    public init(maximumEntrySize: UInt64 = 16 * 1024 * 1024) throws {
        gunzip = try GzipDecompressor()
        tar = TarReader(maximumEntrySize: maximumEntrySize)
    }

    /// Feeds the next chunk of the gzip-compressed tarball.
    public func consume(_ compressed: some ContiguousBytes) throws {
        guard !finished else { throw GzipError.alreadyFinished }
        try gunzip.decompress(compressed) { plain in tar.append(plain) }
        while let entry = try tar.nextEntry() { index.record(entry) }
    }

    /// Declares the end of the download: throws when the gzip or tar stream is incomplete.
    public func finish() throws -> BackupArchiveIndex {
        guard !finished else { throw GzipError.alreadyFinished }
        finished = true
        try gunzip.finish()
        while let entry = try tar.nextEntry() { index.record(entry) }
        try tar.finish()
        index.compressedBytes = gunzip.bytesIn
        return index
    }

    /// Reads and indexes a whole tarball from an asynchronous sequence of compressed chunks.
    public static func index<Chunks: AsyncSequence>(of chunks: Chunks) async throws -> BackupArchiveIndex
    where Chunks.Element: ContiguousBytes {
        let reader = try BackupArchiveReader()
        for try await chunk in chunks { try reader.consume(chunk) }
        return try reader.finish()
    }
}

/// One object's identity inside a backup.
public struct ArchivedItemKey: Sendable, Hashable {
    public var groupResource: GroupResource
    /// Nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    /// Creates a key.
    public init(groupResource: GroupResource, namespace: String?, name: String) {
        self.groupResource = groupResource
        self.namespace = namespace
        self.name = name
    }
}

/// One object found in a backup: the copy chosen and its JSON.
public struct ArchivedItem: Sendable, Equatable {
    /// The path of the copy whose body is kept (unversioned when the archive had it).
    public var path: ItemPath
    public var json: [UInt8]
}

/// The version directories seen for one group-resource.
public struct ArchivedVersions: Sendable, Equatable {
    /// The `<ver>` of `<ver>-preferredversion`, nil in format 1 archives.
    public var preferred: String?
    /// Other version directories (Velero's `EnableAPIGroupVersions`).
    public var others: Set<String> = []
}

/// What a backup tarball holds, by group-resource, namespace and name.
public struct BackupArchiveIndex: Sendable {
    /// The content of `metadata/version`, trimmed; nil when absent (format 1 or minimal tarballs).
    public internal(set) var formatVersion: String?
    /// Every object, keyed by identity.
    public internal(set) var items: [ArchivedItemKey: ArchivedItem] = [:]
    /// Version directories seen per group-resource.
    public internal(set) var versions: [GroupResource: ArchivedVersions] = [:]
    /// Entries that are neither `metadata/version` nor an item path; Velero ignores them too.
    public internal(set) var unrecognizedEntries: [String] = []
    /// Size of the compressed tarball read.
    public internal(set) var compressedBytes: UInt64 = 0

    /// The group-resources present, sorted by directory name.
    public var groupResources: [GroupResource] {
        Set(items.keys.map(\.groupResource)).sorted()
    }

    /// The namespaces present for one group-resource, sorted; cluster-scoped items are not included.
    public func namespaces(of groupResource: GroupResource) -> [String] {
        Set(items.keys.filter { $0.groupResource == groupResource }.compactMap(\.namespace)).sorted()
    }

    /// Items of one group-resource in one namespace (nil: cluster-scoped), sorted by name.
    public func items(of groupResource: GroupResource, namespace: String?) -> [ArchivedItem] {
        items.filter { $0.key.groupResource == groupResource && $0.key.namespace == namespace }
            .sorted { $0.key.name.utf8.lexicographicallyPrecedes($1.key.name.utf8) }
            .map(\.value)
    }

    mutating func record(_ entry: TarEntry) {
        if entry.name == "metadata/version" {
            formatVersion = String(decoding: entry.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return
        }
        guard let path = ItemPath(entryName: entry.name) else {
            unrecognizedEntries.append(entry.name)
            return
        }
        switch path.copy {
        case .unversioned:
            break
        case .preferredVersion(let version):
            versions[path.groupResource, default: ArchivedVersions()].preferred = version
        case .otherVersion(let version):
            versions[path.groupResource, default: ArchivedVersions()].others.insert(version)
            return
        }
        let key = ArchivedItemKey(groupResource: path.groupResource, namespace: path.namespace, name: path.name)
        if case .preferredVersion = path.copy, let existing = items[key], existing.path.copy == .unversioned {
            return
        }
        items[key] = ArchivedItem(path: path, json: entry.body)
    }
}
