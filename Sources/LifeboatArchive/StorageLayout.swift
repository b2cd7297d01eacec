import LifeboatCore

/// The root of a backup storage location inside its bucket, and the top-level prefixes Velero allows.
///
/// Velero marks a location `Unavailable` when any common prefix under the root is not one of
/// `backups/ restores/ restic/ kopia/ metadata/ plugins/` (plain objects at the root are ignored), so
/// Lifeboat writes nothing else there and validates locations with the same rule.
public struct StorageLayout: Sendable, Hashable {
    /// Top-level directories Velero accepts under the root, without the trailing slash.
    public static let allowedTopLevelDirectories: Set<String> = ["backups", "restores", "restic", "kopia", "metadata", "plugins"]

    /// The location's prefix with leading and trailing `/` trimmed; empty for the bucket root.
    public let prefix: String

    /// Creates a layout for a location prefix; leading and trailing slashes are trimmed as Velero does.
    public init(prefix: String = "") {
        var trimmed = Substring(prefix)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.prefix = String(trimmed)
    }

    /// `"<prefix>/"`, or `""` at the bucket root: what object keys and listings start with.
    public var rootPrefix: String { prefix.isEmpty ? "" : prefix + "/" }

    /// `"<prefix>/backups/"`: list its common prefixes to find the backups in a location.
    public var backupsPrefix: String { rootPrefix + "backups/" }

    /// `"<prefix>/restores/"`.
    public var restoresPrefix: String { rootPrefix + "restores/" }

    /// Keys of one backup's artifacts.
    public func backup(_ name: String) throws(LifeboatError) -> BackupKeys {
        try BackupKeys(layout: self, backupName: name)
    }

    /// Keys of one restore's artifacts.
    public func restore(_ name: String) throws(LifeboatError) -> RestoreKeys {
        try RestoreKeys(layout: self, restoreName: name)
    }

    /// The top-level directories among `commonPrefixes` that would make Velero reject the location.
    ///
    /// - Parameter commonPrefixes: what a delimiter-`/` listing of `rootPrefix` returned, either as
    ///   full keys (`"velero/backups/"`) or relative to the root (`"backups/"`).
    /// - Returns: the offending directory names, sorted; empty when the location is valid.
    public func invalidTopLevelDirectories(commonPrefixes: [String]) -> [String] {
        var invalid: Set<String> = []
        for commonPrefix in commonPrefixes {
            var directory = Substring(commonPrefix)
            if !rootPrefix.isEmpty, directory.hasPrefix(rootPrefix) { directory = directory.dropFirst(rootPrefix.count) }
            while directory.hasSuffix("/") { directory = directory.dropLast() }
            if !Self.allowedTopLevelDirectories.contains(String(directory)) { invalid.insert(String(directory)) }
        }
        return invalid.sorted()
    }

    /// Throws the error Velero reports when the location contains directories it does not allow.
    public func validateTopLevel(commonPrefixes: [String]) throws(LifeboatError) {
        let invalid = invalidTopLevelDirectories(commonPrefixes: commonPrefixes)
        guard invalid.isEmpty else {
            throw .invalidArgument(
                field: "prefix",
                reason: "Backup store contains invalid top-level directories: [\(invalid.joined(separator: " "))]")
        }
    }

    /// The backup name in a common prefix of `backupsPrefix` (`"velero/backups/nightly/"` → `"nightly"`).
    public func backupName(fromCommonPrefix commonPrefix: String) -> String? {
        Self.childName(commonPrefix, under: backupsPrefix)
    }

    /// The restore name in a common prefix of `restoresPrefix`.
    public func restoreName(fromCommonPrefix commonPrefix: String) -> String? {
        Self.childName(commonPrefix, under: restoresPrefix)
    }

    private static func childName(_ commonPrefix: String, under parent: String) -> String? {
        guard commonPrefix.hasPrefix(parent) else { return nil }
        var name = commonPrefix.dropFirst(parent.count)
        if name.hasSuffix("/") { name = name.dropLast() }
        guard !name.isEmpty, !name.contains("/") else { return nil }
        return String(name)
    }

    /// A backup or restore name must be one path segment: it becomes a directory and a file-name part.
    static func validateName(_ name: String, field: String) throws(LifeboatError) {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", !name.utf8.contains(0) else {
            throw .invalidArgument(field: field, reason: "must be a single non-empty path segment")
        }
    }
}
