import Foundation

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
