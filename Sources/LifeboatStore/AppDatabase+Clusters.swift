import Foundation
import GRDB
import LifeboatCore

extension AppDatabase {
    /// Registers a cluster with its sealed kubeconfig or token and queues its first check, in one transaction.
    /// `cluster.spec.credential` must name `credential`.
    public func createCluster(_ cluster: Cluster, credential: SealedCredential?, now: Date = Date()) async throws -> (cluster: Cluster, job: Job) {
        try cluster.validate()
        try Self.checkCredential(cluster.spec.credential, credential, field: "spec.credential")
        return try await writer.write { db in
            try ObjectRows.insert(cluster, in: db)
            if let credential { try Self.insertCredential(credential, now: now, in: db) }
            let job = try Self.enqueue(kind: .clusterCheck, target: cluster.name.rawValue, dueAt: now, now: now, in: db)
            return (cluster, job)
        }
    }

    /// One cluster; `.notFound` when absent.
    public func cluster(named name: ClusterName) async throws -> Cluster {
        try await writer.read { db in try ObjectRows.require(Cluster.self, named: name.rawValue, in: db) }
    }

    /// A page of clusters ordered by name.
    public func clusters(_ options: ListOptions = ListOptions()) async throws -> ListPage<Cluster> {
        try await writer.read { db in try ObjectRows.list(Cluster.self, options, in: db) }
    }

    /// Records the result of a cluster check.
    @discardableResult
    public func updateClusterStatus(_ name: ClusterName, _ status: ClusterStatus) async throws -> Cluster {
        try await writer.write { db in
            var cluster = try ObjectRows.require(Cluster.self, named: name.rawValue, in: db)
            cluster.status = status
            try ObjectRows.update(cluster, in: db)
            return cluster
        }
    }

    /// Queues another check of a registered cluster.
    public func enqueueClusterCheck(_ name: ClusterName, now: Date = Date()) async throws -> Job {
        try await writer.write { db in
            _ = try ObjectRows.require(Cluster.self, named: name.rawValue, in: db)
            return try Self.enqueue(kind: .clusterCheck, target: name.rawValue, dueAt: now, now: now, in: db)
        }
    }

    /// Removes a cluster and its credential. Refused while a schedule backs it up or a backup or restore of it is
    /// still running; finished backups keep their history (they also live in the bucket).
    public func deleteCluster(named name: ClusterName) async throws {
        try await writer.write { db in
            let cluster = try ObjectRows.require(Cluster.self, named: name.rawValue, in: db)
            if let schedule = try String.fetchOne(db, sql: "SELECT name FROM schedule WHERE cluster = ? ORDER BY name LIMIT 1",
                                                  arguments: [name.rawValue]) {
                throw LifeboatError.conflict(reason: "cluster '\(name)' is used by schedule '\(schedule)'; delete the schedule first")
            }
            let busy = try Self.unfinishedWork(onCluster: name.rawValue, in: db)
            if let busy { throw LifeboatError.conflict(reason: "cluster '\(name)' has \(busy) still running") }
            try ObjectRows.delete(Cluster.self, named: name.rawValue, in: db)
            try Self.deleteCredential(cluster.spec.credential, in: db)
        }
    }

    private static func unfinishedWork(onCluster name: String, in db: Database) throws -> String? {
        let backupPhases = BackupPhase.allCases.filter { !$0.isFinished }.map(\.rawValue)
        let restorePhases = RestorePhase.allCases.filter { !$0.isFinished }.map(\.rawValue)
        if let backup = try String.fetchOne(
            db, sql: "SELECT name FROM backup WHERE cluster = ? AND phase IN (\(backupPhases.map { _ in "?" }.joined(separator: ","))) LIMIT 1",
            arguments: StatementArguments([name] + backupPhases)) {
            return "backup '\(backup)'"
        }
        if let restore = try String.fetchOne(
            db, sql: "SELECT name FROM restore WHERE cluster = ? AND phase IN (\(restorePhases.map { _ in "?" }.joined(separator: ","))) LIMIT 1",
            arguments: StatementArguments([name] + restorePhases)) {
            return "restore '\(restore)'"
        }
        return nil
    }
}
