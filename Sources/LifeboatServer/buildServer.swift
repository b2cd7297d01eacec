import Foundation
import Hummingbird
import LifeboatStore
import Logging
import Prometheus
import ServiceLifecycle

/// The whole `lifeboat-server` process, wired from its configuration: the catalog in the data directory, the
/// credential key, the bootstrap admin token, the API, the worker pool with its executors and the periodic checks.
///
/// Start-up order matters: the data directory is held first (`DataDirectoryLock`, so no second server shares it);
/// the catalog is opened and migrated and the first admin token written before the HTTP server accepts a request;
/// the worker pool recovers jobs left running by a previous process before it claims new ones.
package func buildServer(
    configuration: ServerConfiguration, metrics: PrometheusCollectorRegistry?, logger: Logger,
    version: String = LifeboatVersion.current, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true)
    try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let lock = try DataDirectoryLock(directory: dataDirectory)
    let database = try AppDatabase.open(in: dataDirectory)
    let sealer = try CredentialSealer.loadOrCreateKey(in: dataDirectory)
    let issuer = TokenIssuer(database: database)
    try await issuer.bootstrapAdminToken(in: dataDirectory, logger: logger)

    let vault = CredentialVault(sealer: sealer)
    let now: @Sendable () -> Date = { Date() }
    let handler = APIHandler(
        database: database, vault: vault,
        server: .init(version: version, startTime: now(), workers: configuration.workers, isReady: { true }), now: now)
    let stores = LocationStores(vault: vault, logger: logger)
    let clusters = ClusterClients(database: database, vault: vault)
    let pool = WorkerPool(
        configuration: .init(concurrency: configuration.workers), database: database,
        executors: [
            ClusterCheckExecutor(database: database, vault: vault, now: now),
            LocationValidationExecutor(database: database, stores: stores, now: now),
            BackupDeletionExecutor(database: database, stores: stores),
            BackupJobExecutor(database: database, clusters: clusters, stores: stores, now: now),
            RestoreJobExecutor(database: database, clusters: clusters, stores: stores, now: now),
        ],
        logger: logger, now: now)
    let checks = PeriodicChecks(configuration: .init(), database: database, logger: logger, now: now)
    let dependencies = HTTPDependencies(
        authenticator: CatalogTokenAuthenticator(issuer: issuer, now: now), api: handler, metrics: metrics,
        webAssetsDirectory: configuration.webAssetsDirectory, openAPISpecPath: configuration.openAPISpecPath)
    return try buildApplication(
        configuration: configuration, dependencies: dependencies, services: [lock, pool, checks], logger: logger,
        onServerRunning: onServerRunning)
}

/// The version this build reports in `GET /v1/status` and `lifeboat version`.
package enum LifeboatVersion {
    package static let current = "0.1.0-dev"
}
