import Foundation

/// Where backups are stored: Velero's `BackupStorageLocation`, with the providers Lifeboat implements.
public struct BackupStorageLocation: CatalogObject {
    public static let kind = "backup location"

    public var metadata: ObjectMeta<LocationName>
    public var spec: BackupStorageLocationSpec
    public var status: BackupStorageLocationStatus

    public init(metadata: ObjectMeta<LocationName>, spec: BackupStorageLocationSpec,
                status: BackupStorageLocationStatus = BackupStorageLocationStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Validates metadata and spec; the first problem is thrown with its JSON field path.
    public func validate() throws(LifeboatError) {
        try metadata.validate()
        try spec.validate()
    }
}

/// The object-storage providers Lifeboat speaks.
public enum StorageProvider: String, Sendable, Hashable, Codable, CaseIterable {
    /// Any S3-compatible store (AWS, MinIO, Ceph …), Velero's `aws` plugin config keys.
    case s3
    /// A directory on the server; `bucket` is the root directory.
    case filesystem
}

/// Velero's `ReadWrite`/`ReadOnly` policy: a ReadOnly location accepts no backups, deletions or GC.
public enum AccessMode: String, Sendable, Hashable, Codable, CaseIterable {
    case readWrite = "ReadWrite"
    case readOnly = "ReadOnly"
}

/// `spec.objectStorage`.
public struct ObjectStorageLocation: Sendable, Hashable, Codable {
    public var bucket: String
    public var prefix: String?
    /// PEM CA bundle for the endpoint; not secret.
    public var caCert: String?

    public init(bucket: String, prefix: String? = nil, caCert: String? = nil) {
        self.bucket = bucket
        self.prefix = prefix
        self.caCert = caCert
    }
}

/// Velero's `BackupStorageLocationSpec`.
public struct BackupStorageLocationSpec: Sendable, Hashable, Codable {
    public var provider: StorageProvider
    public var objectStorage: ObjectStorageLocation
    /// Provider settings, Velero's `aws` plugin keys (`region`, `s3Url`, `s3ForcePathStyle`, …).
    public var config: [String: String]?
    /// The sealed credential (AWS shared-credentials file content for S3).
    public var credential: CredentialID?
    public var `default`: Bool?
    public var accessMode: AccessMode?
    /// Go duration; `0s` disables sync.
    public var backupSyncPeriod: String?
    /// Go duration; `0s` disables periodic validation.
    public var validationFrequency: String?

    public init(provider: StorageProvider, objectStorage: ObjectStorageLocation, config: [String: String]? = nil,
                credential: CredentialID? = nil, default: Bool? = nil, accessMode: AccessMode? = nil) {
        self.provider = provider
        self.objectStorage = objectStorage
        self.config = config
        self.credential = credential
        self.default = `default`
        self.accessMode = accessMode
    }

    /// The access mode, ReadWrite when unset.
    public var effectiveAccessMode: AccessMode { accessMode ?? .readWrite }

    /// The config keys Lifeboat understands; anything else is rejected so a typo is not silently ignored.
    public static let knownConfigKeys: Set<String> = [
        "region", "s3Url", "publicUrl", "s3ForcePathStyle", "insecureSkipTLSVerify", "profile", "checksumAlgorithm",
        "serverSideEncryption", "kmsKeyId", "signatureVersion",
    ]

    /// Validates with Velero's rules where it has them (bucket without `/`) and Lifeboat's config keys.
    public func validate() throws(LifeboatError) {
        let bucket = objectStorage.bucket
        if bucket.isEmpty { throw .invalidArgument(field: "spec.objectStorage.bucket", reason: "must not be empty") }
        switch provider {
        case .s3:
            let trimmed = bucket.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if trimmed.contains("/") {
                throw .invalidArgument(field: "spec.objectStorage.bucket", reason: "must not contain '/'; put the prefix in the prefix field")
            }
            if trimmed.count < 3 || trimmed.count > 63 {
                throw .invalidArgument(field: "spec.objectStorage.bucket", reason: "must be 3-63 characters")
            }
        case .filesystem:
            if !bucket.hasPrefix("/") {
                throw .invalidArgument(field: "spec.objectStorage.bucket", reason: "must be an absolute directory path for the filesystem provider")
            }
            if bucket.split(separator: "/").contains("..") {
                throw .invalidArgument(field: "spec.objectStorage.bucket", reason: "must not contain '..'")
            }
        }
        if let prefix = objectStorage.prefix, prefix.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            throw .invalidArgument(field: "spec.objectStorage.prefix", reason: "must not contain '.' or '..' segments")
        }
        if let caCert = objectStorage.caCert, !caCert.contains("-----BEGIN CERTIFICATE-----") {
            throw .invalidArgument(field: "spec.objectStorage.caCert", reason: "must be PEM encoded certificates")
        }
        for (key, value) in (config ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "spec.config[\(key)]"
            guard Self.knownConfigKeys.contains(key) else {
                throw .invalidArgument(field: field, reason: "unknown config key; known keys: \(Self.knownConfigKeys.sorted().joined(separator: ", "))")
            }
            switch key {
            case "s3ForcePathStyle", "insecureSkipTLSVerify":
                if value != "true" && value != "false" { throw .invalidArgument(field: field, reason: "must be true or false") }
            case "s3Url", "publicUrl":
                try URLValidation.validateHTTPURL(value, field: field)
            default:
                if value.isEmpty { throw .invalidArgument(field: field, reason: "must not be empty") }
            }
        }
        try FilterValidation.validateDuration(backupSyncPeriod, field: "spec.backupSyncPeriod")
        try FilterValidation.validateDuration(validationFrequency, field: "spec.validationFrequency")
    }
}

/// Whether the last validation could use the location.
public enum BackupStorageLocationPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case available = "Available"
    case unavailable = "Unavailable"
}

/// Velero's `BackupStorageLocationStatus`; `phase` is unset until the first validation.
public struct BackupStorageLocationStatus: Sendable, Hashable, Codable {
    public var phase: BackupStorageLocationPhase?
    /// Why the location is unavailable (sanitised, never credentials).
    public var message: String?
    public var lastValidationTime: Date?
    public var lastSyncedTime: Date?

    public init(phase: BackupStorageLocationPhase? = nil, message: String? = nil,
                lastValidationTime: Date? = nil, lastSyncedTime: Date? = nil) {
        self.phase = phase
        self.message = message
        self.lastValidationTime = lastValidationTime
        self.lastSyncedTime = lastSyncedTime
    }
}
