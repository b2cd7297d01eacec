/// A validated catalog name. Every kind has its own wrapper so a backup name can never be passed where a
/// cluster name is expected; all of them follow the DNS-1123 label rule (`DNSLabel`).
///
/// ```swift
/// let name = try BackupName("nightly-2026")          // field "metadata.name" in errors
/// let cluster = try ClusterName(raw, field: "spec.cluster")
/// ```
public protocol ResourceName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The name as the user wrote it; already validated.
    var rawValue: String { get }
    /// Wraps a string that is known to be valid (decoded from our own catalog or checked by the caller).
    init(uncheckedRawValue: String)
}

extension ResourceName {
    /// Validates `rawValue` as a DNS-1123 label; the error names `field` so the API can point at it.
    public init(_ rawValue: String, field: String = "metadata.name") throws(LifeboatError) {
        try DNSLabel.validate(rawValue, field: field)
        self.init(uncheckedRawValue: rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let reason = DNSLabel.reasonInvalid(raw) else {
            self.init(uncheckedRawValue: raw)
            return
        }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a DNS-1123 label: \(reason)")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A registered Kubernetes cluster's name.
public struct ClusterName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}

/// A backup storage location's name.
public struct LocationName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}

/// A backup's name; also its `backups/<name>/` prefix in the bucket, so unique per bucket and prefix.
public struct BackupName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}

/// A restore's name; also its `restores/<name>/` prefix in the bucket.
public struct RestoreName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}

/// A schedule's name; its backups are named `<schedule>-<YYYYMMDDhhmmss>`.
public struct ScheduleName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}

/// An API token's name (what `lifeboat token list` shows; never the secret).
public struct TokenName: ResourceName {
    public let rawValue: String
    public init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }
}
