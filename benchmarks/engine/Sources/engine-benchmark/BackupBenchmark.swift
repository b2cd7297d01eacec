import ArgumentParser
import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatEngine
import LifeboatKube
import LifeboatObjectStore
import Logging

/// `engine-benchmark backup`: pages through the backup's LISTs once (the baseline), then runs a `BackupEngine`
/// backup into a filesystem store with a fresh client, and prints both with their ratio.
struct BackupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Time a backup beside paging through the same LISTs.")

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Root directory of the filesystem object store the backup is written to.")
    var store: String

    @Option(help: "Name of the backup.")
    var backup = "bench"

    @Option(name: .customLong("namespace"), help: "A namespace to back up (repeatable); all namespaces when absent.")
    var namespaces: [String] = []

    @Option(help: "LISTs in flight at once (the engine's default is 8).")
    var listConcurrency = 8

    @Option(help: "Items per LIST page (the engine's default is 500).")
    var pageSize = 500

    @Flag(inversion: .prefixedNo, help: "Page through the same LISTs first, to report backup time / list time.")
    var baseline = true

    @Option(help: "Write the numbers as JSON to FILE.")
    var result: String?

    struct Report: Codable {
        var items: Int
        var seconds: Double
        var objectsPerSecond: Double
        var sizeBytes: Int64
        var phase: String
        var errors: Int
        var warnings: Int
        var failureReason: String?
        var list: ListBaseline.Result?
        var ratioToList: Double?
        var peakResidentMiBAfterList: Double
        var peakResidentMiB: Double
    }

    func run() async throws {
        var spec = BackupSpec(cluster: try ClusterName("sim"))
        spec.storageLocation = try LocationName("bench")
        if !namespaces.isEmpty { spec.includedNamespaces = namespaces }
        print("backup \(backup): namespaces \(namespaces.isEmpty ? "*" : namespaces.joined(separator: ",")), "
              + "\(listConcurrency) LISTs in flight, page size \(pageSize), \(cluster.limitsDescription)")

        var listed: ListBaseline.Result?
        if baseline {
            let result = try await cluster.withClient { client in
                try await ListBaseline(client: client, spec: spec, concurrency: listConcurrency, pageSize: pageSize).run()
            }
            listed = result
            print(String(format: "list baseline: %d objects (%@ JSON) in %d LISTs, %d pages, %.2f s = %.0f objects/s%@",
                         result.items, Measurement.mib(result.bytes), result.lists, result.pages, result.seconds,
                         Double(result.items) / result.seconds, result.failedLists > 0 ? ", \(result.failedLists) LISTs failed" : ""))
        }
        let peakAfterList = Measurement.peakResidentMiB()

        var backup = Backup(metadata: ObjectMeta(name: try BackupName(self.backup)), spec: spec)
        backup.status.startTimestamp = Date()
        let objectStore = try FileSystemObjectStore(root: URL(fileURLWithPath: store))
        let logger = Self.quietLogger()
        let (outcome, elapsed) = try await cluster.withClient { client in
            let engine = BackupEngine(backup: backup, client: client, store: objectStore, layout: StorageLayout(prefix: ""), logger: logger,
                                      listConcurrency: listConcurrency, pageSize: pageSize)
            return try await Measurement.time { try await engine.run(monitor: SilentMonitor()) }
        }
        let status = outcome.status
        let items = status.progress?.itemsBackedUp ?? 0
        let size = status.sizeBytes ?? 0
        let peak = Measurement.peakResidentMiB()
        let ratio = listed.map { elapsed / $0.seconds }
        print(String(format: "backup: %@, %d items in %.2f s = %.0f objects/s, tarball %@, %d errors, %d warnings",
                     status.phase.rawValue, items, elapsed, Double(items) / elapsed, Measurement.mib(size), status.errors ?? 0,
                     status.warnings ?? 0))
        if let failureReason = status.failureReason { print("backup failure: \(failureReason)") }
        if let ratio, let listed {
            print(String(format: "ratio backup / list: %.2f (%.2f s / %.2f s; items %d / %d)", ratio, elapsed, listed.seconds, items, listed.items))
        }
        if baseline {
            print(String(format: "peak RSS in process: %.1f MiB after the list baseline, %.1f MiB after the backup", peakAfterList, peak))
        } else {
            print(String(format: "peak RSS in process: %.1f MiB", peak))
        }

        try Measurement.write(
            Report(items: items, seconds: elapsed, objectsPerSecond: Double(items) / elapsed, sizeBytes: size, phase: status.phase.rawValue,
                   errors: status.errors ?? 0, warnings: status.warnings ?? 0, failureReason: status.failureReason, list: listed,
                   ratioToList: ratio, peakResidentMiBAfterList: peakAfterList, peakResidentMiB: peak),
            to: result)
        if status.phase == .failed { throw ExitCode.failure }
    }

    /// The engine logs every run to its `RunLog` (uploaded with the backup); on the terminal only problems matter.
    static func quietLogger() -> Logger {
        var logger = Logger(label: "engine-benchmark")
        logger.logLevel = .warning
        return logger
    }
}
