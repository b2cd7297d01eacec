import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import Logging

/// An object store opened for one backup storage location, with the key prefix everything lives under.
///
/// Owners call `close()` when done: an S3 store owns an HTTP client that must be shut down.
struct OpenedLocation: Sendable {
    let store: any ObjectStore
    /// `<prefix>/` of the location, or "" at the bucket root.
    let rootPrefix: String
    let close: @Sendable () async -> Void
}

/// Opens the object store behind a location from its spec and its sealed credential.
struct LocationStores: Sendable {
    let vault: CredentialVault
    let logger: Logger

    func open(_ location: BackupStorageLocation, sealed: SealedCredential?) throws -> OpenedLocation {
        let spec = location.spec
        let rootPrefix = Self.rootPrefix(spec.objectStorage.prefix)
        switch spec.provider {
        case .filesystem:
            let root = URL(fileURLWithPath: spec.objectStorage.bucket, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw LifeboatError.unavailable(dependency: "directory \(root.path) (it does not exist)")
            }
            let store = try FileSystemObjectStore(root: root, createIfMissing: false)
            return OpenedLocation(store: store, rootPrefix: rootPrefix, close: {})
        case .s3:
            var config = spec.config ?? [:]
            let profile = config.removeValue(forKey: "profile")
            var configuration = try S3Configuration(bucket: spec.objectStorage.bucket, veleroConfig: config)
            if let caCert = spec.objectStorage.caCert, !caCert.isEmpty {
                configuration.caBundlePEM = Data(base64Encoded: caCert).map { String(decoding: $0, as: UTF8.self) } ?? caCert
            }
            let source = "credentials of location \(location.name)"
            if let sealed {
                let secret = try vault.open(sealed, as: StorageSecret.self)
                if let file = secret.awsSharedCredentials, !file.isEmpty {
                    configuration.credentials = .sharedCredentials(
                        contents: file, profile: secret.profile ?? profile ?? "default", source: source)
                } else {
                    configuration.credentials = .staticKeys(
                        S3Credentials(
                            accessKeyID: secret.accessKeyId ?? "", secretAccessKey: secret.secretAccessKey ?? "",
                            sessionToken: secret.sessionToken, source: source))
                }
            }
            let store = try S3ObjectStore(configuration: configuration, logger: logger)
            return OpenedLocation(store: store, rootPrefix: rootPrefix, close: { try? await store.shutdown() })
        }
    }

    /// Opens `location` with its sealed credential from the catalog.
    func open(_ location: BackupStorageLocation, database: AppDatabase) async throws -> OpenedLocation {
        var sealed: SealedCredential?
        if let credential = location.spec.credential { sealed = try await database.sealedCredential(credential) }
        return try open(location, sealed: sealed)
    }

    /// Velero trims leading and trailing slashes from the prefix and puts everything under `<prefix>/`.
    static func rootPrefix(_ prefix: String?) -> String {
        StorageLayout(prefix: prefix ?? "").rootPrefix
    }
}
