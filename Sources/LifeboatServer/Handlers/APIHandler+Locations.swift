import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatStore

extension APIHandler {
    func listBackupStorageLocations(
        _ input: Operations.ListBackupStorageLocations.Input
    ) async throws -> Operations.ListBackupStorageLocations.Output {
        let query = input.query
        let page = try await database.locations(
            Self.listOptions(limit: query.limit, continueToken: query._continue, cluster: nil, phase: query.phase, labelSelector: query.labelSelector))
        let items = page.items.map(Self.wireLocation)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "BackupStorageLocationList", items: items, _continue: page.continueToken))))
    }

    func createBackupStorageLocation(
        _ input: Operations.CreateBackupStorageLocation.Input
    ) async throws -> Operations.CreateBackupStorageLocation.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let metadata = try newMetadata(wire.metadata, as: LocationName.self)
        var spec = try Self.locationSpec(from: wire.spec)
        let sealed = try Self.storageSecret(from: wire.spec.credential).map { try vault.seal($0) }
        spec.credential = sealed?.id
        let (location, _) = try await database.createLocation(BackupStorageLocation(metadata: metadata, spec: spec), credential: sealed, now: now())
        return .created(.init(body: .json(Self.wireLocation(location))))
    }

    func getBackupStorageLocation(
        _ input: Operations.GetBackupStorageLocation.Input
    ) async throws -> Operations.GetBackupStorageLocation.Output {
        let location = try await database.location(named: LocationName(input.path.name, field: "name"))
        return .ok(.init(body: .json(Self.wireLocation(location))))
    }

    /// Replaces a location's spec. Credentials are write-only: a request without `spec.credential` keeps the
    /// stored ones, a request with them replaces them.
    func replaceBackupStorageLocation(
        _ input: Operations.ReplaceBackupStorageLocation.Input
    ) async throws -> Operations.ReplaceBackupStorageLocation.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let name = try LocationName(input.path.name, field: "name")
        guard wire.metadata.name == name.rawValue else {
            throw LifeboatError.invalidArgument(field: "metadata.name", reason: "must match the name in the path")
        }
        let existing = try await database.location(named: name)
        var spec = try Self.locationSpec(from: wire.spec)
        let sealed = try Self.storageSecret(from: wire.spec.credential).map { try vault.seal($0) }
        spec.credential = sealed?.id ?? existing.spec.credential
        let (location, _) = try await database.updateLocationSpec(name, spec: spec, credential: sealed, now: now())
        return .ok(.init(body: .json(Self.wireLocation(location))))
    }

    func deleteBackupStorageLocation(
        _ input: Operations.DeleteBackupStorageLocation.Input
    ) async throws -> Operations.DeleteBackupStorageLocation.Output {
        try await database.deleteLocation(named: LocationName(input.path.name, field: "name"))
        return .noContent(.init())
    }

    // MARK: - Mapping

    static func locationSpec(from wire: Components.Schemas.BackupStorageLocationSpec) throws -> BackupStorageLocationSpec {
        guard let provider = StorageProvider(rawValue: wire.provider.rawValue) else {
            throw LifeboatError.invalidArgument(field: "spec.provider", reason: "must be s3 or filesystem")
        }
        var spec = BackupStorageLocationSpec(
            provider: provider,
            objectStorage: ObjectStorageLocation(
                bucket: wire.objectStorage.bucket, prefix: wire.objectStorage.prefix, caCert: wire.objectStorage.caCert),
            config: wire.config?.additionalProperties, default: wire._default,
            accessMode: wire.accessMode.flatMap { AccessMode(rawValue: $0.rawValue) })
        spec.backupSyncPeriod = wire.backupSyncPeriod
        spec.validationFrequency = wire.validationFrequency
        try spec.validate()
        return spec
    }

    /// The secret part of a location, checked for shape: shared-credentials content, or a key pair.
    static func storageSecret(from wire: Components.Schemas.StorageCredential?) throws -> StorageSecret? {
        guard let wire else { return nil }
        let secret = StorageSecret(
            awsSharedCredentials: wire.awsSharedCredentials, profile: wire.profile, accessKeyId: wire.accessKeyId,
            secretAccessKey: wire.secretAccessKey, sessionToken: wire.sessionToken)
        let hasFile = !(secret.awsSharedCredentials ?? "").isEmpty
        let hasKeys = !(secret.accessKeyId ?? "").isEmpty || !(secret.secretAccessKey ?? "").isEmpty
        switch (hasFile, hasKeys) {
        case (true, true):
            throw LifeboatError.invalidArgument(
                field: "spec.credential", reason: "give either awsSharedCredentials or accessKeyId and secretAccessKey, not both")
        case (false, false):
            throw LifeboatError.invalidArgument(field: "spec.credential", reason: "needs awsSharedCredentials or accessKeyId and secretAccessKey")
        case (false, true):
            if (secret.accessKeyId ?? "").isEmpty {
                throw LifeboatError.invalidArgument(field: "spec.credential.accessKeyId", reason: "is required with secretAccessKey")
            }
            if (secret.secretAccessKey ?? "").isEmpty {
                throw LifeboatError.invalidArgument(field: "spec.credential.secretAccessKey", reason: "is required with accessKeyId")
            }
        case (true, false):
            break
        }
        return secret
    }

    static func wireLocation(_ location: BackupStorageLocation) -> Components.Schemas.BackupStorageLocation {
        let spec = location.spec
        let status = location.status
        return Components.Schemas.BackupStorageLocation(
            apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: wireMetadata(location.metadata),
            spec: .init(
                provider: .init(rawValue: spec.provider.rawValue) ?? .filesystem,
                objectStorage: .init(bucket: spec.objectStorage.bucket, prefix: spec.objectStorage.prefix, caCert: spec.objectStorage.caCert),
                config: spec.config.map { .init(additionalProperties: $0) }, _default: spec.default,
                accessMode: .init(rawValue: spec.effectiveAccessMode.rawValue),
                backupSyncPeriod: spec.backupSyncPeriod, validationFrequency: spec.validationFrequency),
            status: .init(
                phase: status.phase.flatMap { .init(rawValue: $0.rawValue) } ?? .unavailable, message: status.message,
                lastValidationTime: status.lastValidationTime, lastSyncedTime: status.lastSyncedTime,
                credentialsConfigured: spec.credential != nil))
    }
}
