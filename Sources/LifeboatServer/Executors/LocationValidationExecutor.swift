import Foundation
import LifeboatCore
import LifeboatObjectStore
import LifeboatStore
import Logging

/// Validates a backup storage location the way Velero does (`objectBackupStore.IsValid`): the store must be
/// reachable with the location's credentials, and the root may hold no top-level prefix other than the ones
/// Velero allows. Records `Available` or `Unavailable` with a sanitised message.
///
/// An unavailable location is a finding, not a failed job: the job fails only when the check itself cannot
/// run (the location was deleted meanwhile).
struct LocationValidationExecutor: JobExecutor {
    /// Velero's allowed top-level prefixes (velero-reference §1.1).
    static let allowedTopLevelPrefixes: Set<String> = ["backups", "restores", "restic", "kopia", "metadata", "plugins"]

    let kind: JobKind = .locationValidation
    let database: AppDatabase
    let stores: LocationStores
    let now: @Sendable () -> Date

    func execute(_ job: Job, context: JobContext) async throws {
        let name = try LocationName(job.target, field: "target")
        let location = try await database.location(named: name)
        let sealed = try await location.spec.credential.asyncMap { try await database.sealedCredential($0) }

        var status = location.status
        do {
            let opened = try stores.open(location, sealed: sealed)
            let result: Result<[String], any Error>
            do {
                result = .success(try await Self.invalidTopLevelPrefixes(in: opened))
            } catch {
                result = .failure(error)
            }
            await opened.close()
            let invalid = try result.get()
            if invalid.isEmpty {
                status.phase = .available
                status.message = nil
            } else {
                status.phase = .unavailable
                status.message = "Backup store contains invalid top-level directories: [\(invalid.joined(separator: " "))]"
            }
        } catch {
            status.phase = .unavailable
            status.message = Self.describe(error)
        }
        status.lastValidationTime = now()
        try await database.updateLocationStatus(name, status)
        context.logger.info("Location validated", metadata: ["location.name": "\(name)", "location.phase": "\(status.phase?.rawValue ?? "")"])
    }

    static func invalidTopLevelPrefixes(in opened: OpenedLocation) async throws -> [String] {
        let listing = try await opened.store.listAll(prefix: opened.rootPrefix, delimiter: "/")
        return listing.commonPrefixes
            .map { String($0.dropFirst(opened.rootPrefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
            .filter { !allowedTopLevelPrefixes.contains($0) }
            .sorted()
    }

    /// A reason fit for the status: typed errors already name sources, never secrets.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as LifeboatError:
            switch error {
            case .unavailable(let dependency): "\(dependency) is unavailable"
            case .invalidArgument(let field, let reason): "\(field): \(reason)"
            case .notFound(let kind, let name): "\(kind) '\(name)' does not exist"
            case .alreadyExists(let kind, let name): "\(kind) '\(name)' already exists"
            case .conflict(let reason): reason
            }
        case let error as ObjectStoreError: "\(error)"
        default: "the location cannot be used (\(type(of: error)))"
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
