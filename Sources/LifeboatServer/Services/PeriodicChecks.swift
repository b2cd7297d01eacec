import Foundation
import LifeboatCore
import LifeboatStore
import Logging
import ServiceLifecycle

/// Keeps cluster and location status fresh by queueing check jobs; it never does the checks inline.
///
/// Locations are validated every `validationFrequency` (Velero's default one minute; `0s` disables periodic
/// validation), clusters every `clusterCheckInterval`. A check is not queued while the previous one for the
/// same object is still queued or running, so a slow or unreachable target never piles up jobs.
struct PeriodicChecks: Service, CustomStringConvertible {
    struct Configuration: Sendable {
        var tick: Duration = .seconds(15)
        var clusterCheckInterval: TimeInterval = 300
        var defaultValidationFrequency: TimeInterval = 60
    }

    let configuration: Configuration
    let database: AppDatabase
    let logger: Logger
    let now: @Sendable () -> Date

    var description: String { "PeriodicChecks(tick: \(configuration.tick))" }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await enqueueDueChecks()
            } catch {
                logger.warning("Queueing periodic checks failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.tick) }
        }
    }

    func enqueueDueChecks() async throws {
        let date = now()
        var token: String?
        repeat {
            let page = try await database.locations(ListOptions(limit: ListOptions.maximumLimit, continueToken: token))
            for location in page.items {
                let frequency = try location.spec.validationFrequency.map { try GoDuration(parsing: $0, field: "spec.validationFrequency").timeInterval }
                    ?? configuration.defaultValidationFrequency
                // 0 disables periodic validation, but every location is validated at least once (Velero §8.3).
                guard frequency > 0 || location.status.lastValidationTime == nil else { continue }
                try await enqueueIfDue(.locationValidation, target: location.name.rawValue, last: location.status.lastValidationTime,
                                       interval: frequency, now: date)
            }
            token = page.continueToken
        } while token != nil
        repeat {
            let page = try await database.clusters(ListOptions(limit: ListOptions.maximumLimit, continueToken: token))
            for cluster in page.items {
                try await enqueueIfDue(.clusterCheck, target: cluster.name.rawValue, last: cluster.status.lastCheckTime,
                                       interval: configuration.clusterCheckInterval, now: date)
            }
            token = page.continueToken
        } while token != nil
    }

    private func enqueueIfDue(_ kind: JobKind, target: String, last: Date?, interval: TimeInterval, now: Date) async throws {
        if let last, now.timeIntervalSince(last) < interval { return }
        if let previous = try await database.latestJob(kind: kind, target: target), !previous.state.isFinished { return }
        _ = try await database.enqueueJob(kind: kind, target: target, now: now)
    }
}
