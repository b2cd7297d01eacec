import Foundation

/// How to reach one bucket, and how to move data to it.
///
/// Build it from a Velero BackupStorageLocation's `config` map with ``init(bucket:veleroConfig:environment:)``
/// so that a BSL that works with Velero's AWS plugin works unchanged here.
public struct S3Configuration: Sendable {
    public var bucket: String
    /// SigV4 signing region; AWS needs the bucket's real region, MinIO and moto accept any.
    public var region: String
    /// A custom endpoint (`s3Url`) such as `http://minio:9000`; nil means AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: URL?
    /// The endpoint used in pre-signed URLs (`publicUrl`), for when clients reach the store by another name.
    public var publicEndpoint: URL?
    /// `http://host/bucket/key` instead of `http://bucket.host/key`; what MinIO and most non-AWS stores need.
    public var forcePathStyle: Bool
    public var credentials: S3CredentialSource
    /// PEM certificates to trust instead of the system roots (`caCert`).
    public var caBundlePEM: String?
    /// Skip TLS certificate verification; only for test setups (`insecureSkipTLSVerify`).
    public var insecureSkipTLSVerify: Bool
    /// An additional checksum header on every PUT and part (`checksumAlgorithm`); nil sends none. Every
    /// request already carries its signed SHA-256 and Content-MD5, which S3 verifies.
    public var checksumAlgorithm: S3ChecksumAlgorithm?
    /// Bytes per multipart part, 8–64 MiB; also the largest object sent with a single PUT.
    public var partSize: Int
    /// Parts uploaded at once; memory is bounded by `partSize × (maxPartsInFlight + 1)`.
    public var maxPartsInFlight: Int
    /// Attempts per request, including the first, on throttling, 5xx and connection failures.
    public var maxAttempts: Int
    /// The first retry waits about this long; each later one doubles it, with full jitter.
    public var retryBaseDelay: Duration
    /// Upper bound for one backoff wait.
    public var retryMaxDelay: Duration
    /// Time without a byte from the server before a request fails (and is retried).
    public var readTimeout: Duration
    /// Time to open a connection (TCP and TLS) before the attempt fails; within it, failed connection
    /// attempts are repeated with backoff, so it is also how long an untrusted certificate takes to report.
    public var connectTimeout: Duration

    public static let minimumPartSize = 8 * 1024 * 1024
    public static let maximumPartSize = 64 * 1024 * 1024

    public init(
        bucket: String, region: String = "us-east-1", endpoint: URL? = nil, forcePathStyle: Bool = false,
        credentials: S3CredentialSource, caBundlePEM: String? = nil, insecureSkipTLSVerify: Bool = false,
        checksumAlgorithm: S3ChecksumAlgorithm? = nil, partSize: Int = 8 * 1024 * 1024, maxPartsInFlight: Int = 4,
        maxAttempts: Int = 6, retryBaseDelay: Duration = .milliseconds(100), retryMaxDelay: Duration = .seconds(5),
        readTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10)
    ) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.publicEndpoint = nil
        self.forcePathStyle = forcePathStyle
        self.credentials = credentials
        self.caBundlePEM = caBundlePEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.checksumAlgorithm = checksumAlgorithm
        self.partSize = partSize
        self.maxPartsInFlight = maxPartsInFlight
        self.maxAttempts = maxAttempts
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
        self.readTimeout = readTimeout
        self.connectTimeout = connectTimeout
    }

    /// Velero BSL `config` keys we honour. Keys that would change what is stored or how it is protected
    /// (encryption, tagging, SigV2) are refused rather than silently ignored.
    static let veleroKeys: Set<String> = [
        "region", "s3Url", "publicUrl", "s3ForcePathStyle", "insecureSkipTLSVerify", "profile", "checksumAlgorithm",
        "caCert", "credentialsFile", "bucket", "prefix", "enableSharedConfig",
    ]
    static let unsupportedVeleroKeys: Set<String> = [
        "serverSideEncryption", "kmsKeyId", "customerKeyEncryptionFile", "tagging", "signatureVersion",
    ]

    /// Maps a Velero BSL: `objectStorage.bucket` and its `config` map (as Velero's AWS plugin reads it).
    ///
    /// `credentialsFile` (which Velero sets from `spec.credential`) selects a shared-credentials file and
    /// `profile` (default `default`) a profile in it; without one, credentials come from `environment`.
    /// `caCert` is the PEM bundle Velero passes from `objectStorage.caCert`/`caCertRef`.
    public init(bucket: String, veleroConfig config: [String: String], environment: [String: String] = [:]) throws {
        for key in config.keys {
            if Self.unsupportedVeleroKeys.contains(key) {
                throw ObjectStoreError.invalidArgument(reason: "BSL config key \(key) is not supported by Lifeboat")
            }
            guard Self.veleroKeys.contains(key) else {
                throw ObjectStoreError.invalidArgument(reason: "unknown BSL config key \(key)")
            }
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = config[key], !value.isEmpty else { return false }
            guard let parsed = Bool(value.lowercased()) else {
                throw ObjectStoreError.invalidArgument(reason: "BSL config \(key) must be true or false")
            }
            return parsed
        }
        func url(_ key: String) throws -> URL? {
            guard let value = config[key], !value.isEmpty else { return nil }
            guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ObjectStoreError.invalidArgument(reason: "BSL config \(key) must be an http or https URL")
            }
            return url
        }
        let credentials: S3CredentialSource
        if let file = config["credentialsFile"], !file.isEmpty {
            credentials = .sharedCredentialsFile(path: file, profile: config["profile"].flatMap { $0.isEmpty ? nil : $0 } ?? "default")
        } else {
            credentials = .environment(environment)
        }
        let checksum: S3ChecksumAlgorithm?
        switch config["checksumAlgorithm"] ?? "" {
        case "": checksum = nil
        // Velero's default. Every body we send is already verified by S3 through its signed SHA-256 and
        // Content-MD5, which are stronger than a CRC, so no extra header is needed for the same protection.
        case let name where ["CRC32", "CRC32C"].contains(name.uppercased()): checksum = nil
        case let name:
            guard let algorithm = S3ChecksumAlgorithm(rawValue: name.uppercased()) else {
                throw ObjectStoreError.invalidArgument(reason: "BSL config checksumAlgorithm \(name) is not one of CRC32, CRC32C, SHA1, SHA256")
            }
            checksum = algorithm
        }
        self.init(
            bucket: bucket, region: config["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1", endpoint: try url("s3Url"),
            forcePathStyle: try flag("s3ForcePathStyle"), credentials: credentials,
            caBundlePEM: config["caCert"].flatMap { $0.isEmpty ? nil : $0 }, insecureSkipTLSVerify: try flag("insecureSkipTLSVerify"),
            checksumAlgorithm: checksum)
        publicEndpoint = try url("publicUrl")
    }

    /// Rejects settings that would break the memory bound or S3's limits.
    func validate() throws {
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw ObjectStoreError.invalidArgument(reason: "the bucket name must be non-empty and contain no / (put the prefix elsewhere)")
        }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw ObjectStoreError.invalidArgument(reason: "partSize must be between 8 MiB and 64 MiB")
        }
        guard (1...64).contains(maxPartsInFlight) else {
            throw ObjectStoreError.invalidArgument(reason: "maxPartsInFlight must be between 1 and 64")
        }
        guard maxAttempts >= 1 else { throw ObjectStoreError.invalidArgument(reason: "maxAttempts must be at least 1") }
        guard connectTimeout >= .milliseconds(1), readTimeout >= .milliseconds(1) else {
            throw ObjectStoreError.invalidArgument(reason: "connectTimeout and readTimeout must be positive")
        }
    }
}

/// The extra checksum S3 verifies on each PUT and part (`x-amz-checksum-*`).
public enum S3ChecksumAlgorithm: String, Sendable, Hashable {
    case sha256 = "SHA256"
    case sha1 = "SHA1"
}
