import ArgumentParser
import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore

/// `engine-benchmark restore`: runs a `RestoreEngine` restore of a backup in a filesystem store, prints its time
/// and per-outcome counts, then counts what landed in the target namespaces.
struct RestoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Time a restore.")

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Root directory of the filesystem object store holding the backup.")
    var store: String

    @Option(help: "Name of the backup to restore.")
    var backup: String

    @Option(help: "Name of the restore (its files go to restores/NAME/).")
    var restore = "bench-restore"

    @Option(help: "Restore namespace SRC into DST (repeatable), as SRC:DST.")
    var mapping: [String] = []

    @Option(help: "Creates in flight at once (the engine's default is 32).")
    var concurrency = 32

    @Flag(inversion: .prefixedNo, help: "Afterwards, count the restored objects with LISTs (not timed).")
    var verify = true

    @Option(help: "Write the numbers as JSON to FILE.")
    var result: String?

    struct Report: Codable {
        var items: Int
        var created: Int
        var failed: Int
        var outcomes: [String: Int]
        var seconds: Double
        var itemsPerSecond: Double
        var phase: String
        var errors: Int
        var warnings: Int
        var failureReason: String?
        var verified: [String: Int]
        var peakResidentMiB: Double
    }

    func validate() throws {
        for entry in mapping where entry.split(separator: ":").count != 2 {
            throw ValidationError("--mapping must be SRC:DST, not '\(entry)'")
        }
    }

    func run() async throws {
        var namespaceMapping: [String: String] = [:]
        for entry in mapping {
            let parts = entry.split(separator: ":").map(String.init)
            namespaceMapping[parts[0]] = parts[1]
        }
        var spec = RestoreSpec(backupName: try BackupName(backup))
        if !namespaceMapping.isEmpty { spec.namespaceMapping = namespaceMapping }
        var restore = Restore(metadata: ObjectMeta(name: try RestoreName(self.restore)), spec: spec)
        restore.status.startTimestamp = Date()
        print("restore \(self.restore) of backup \(backup): mapping \(mapping.isEmpty ? "none" : mapping.joined(separator: ",")), "
              + "\(concurrency) creates in flight, \(cluster.limitsDescription)")

        let objectStore = try FileSystemObjectStore(root: URL(fileURLWithPath: store))
        let logger = BackupBenchmark.quietLogger()
        let (outcome, elapsed) = try await cluster.withClient { client in
            let engine = RestoreEngine(restore: restore, backupName: backup, client: client, store: objectStore,
                                       layout: StorageLayout(prefix: ""), logger: logger, concurrency: concurrency)
            return try await Measurement.time { try await engine.run(monitor: SilentMonitor()) }
        }
        let status = outcome.status
        let results = outcome.items.items
        var outcomes: [String: Int] = [:]
        var createdByResource: [String: Int] = [:]
        for item in results {
            outcomes[item.outcome.rawValue, default: 0] += 1
            if item.outcome == .created { createdByResource[item.resource, default: 0] += 1 }
        }
        let created = outcomes[RestoreItemOutcome.created.rawValue] ?? 0
        let failed = outcomes[RestoreItemOutcome.failed.rawValue] ?? 0
        print(String(format: "restore: %@, %d items, %d created in %.2f s = %.0f items/s, %d failed, %d errors, %d warnings",
                     status.phase.rawValue, results.count, created, elapsed, Double(created) / elapsed, failed, status.errors ?? 0,
                     status.warnings ?? 0))
        print("outcomes: " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("created by resource: " + createdByResource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if let failureReason = status.failureReason { print("restore failure: \(failureReason)") }
        for item in results.filter({ $0.outcome == .failed }).prefix(5) {
            print("failed: \(item.resource) \(item.targetNamespace ?? "")/\(item.name): \(item.reason ?? "")")
        }

        var verified: [String: Int] = [:]
        if verify {
            let targets = Set(results.filter { $0.outcome == .created && $0.resource != "namespaces" }
                .map { "\($0.resource) \($0.targetNamespace ?? "")" })
            verified = try await cluster.withClient { client in
                let catalog = try await client.discover()
                var counts: [String: Int] = [:]
                for target in targets.sorted() {
                    let parts = target.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                    guard let resource = catalog.resolve(parts[0]) else { continue }
                    var count = 0
                    for try await page in client.listPages(resource, namespace: parts[1].isEmpty ? nil : parts[1]) { count += page.items.count }
                    counts[target] = count
                }
                return counts
            }
            for (target, count) in verified.sorted(by: { $0.key < $1.key }) { print("verified: \(count) live \(target)") }
        }
        let peak = Measurement.peakResidentMiB()
        print(String(format: "peak RSS in process: %.1f MiB", peak))

        try Measurement.write(
            Report(items: results.count, created: created, failed: failed, outcomes: outcomes, seconds: elapsed,
                   itemsPerSecond: Double(created) / elapsed, phase: status.phase.rawValue, errors: status.errors ?? 0,
                   warnings: status.warnings ?? 0, failureReason: status.failureReason, verified: verified, peakResidentMiB: peak),
            to: result)
        if status.phase == .failed { throw ExitCode.failure }
    }
}
