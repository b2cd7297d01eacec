import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat restore …`: Velero's restore verbs over the API.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Work with restores.",
        subcommands: [Create.self, Get.self, Describe.self, Logs.self, Cancel.self], aliases: ["restores"])
}

extension RestoreCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a restore from a backup.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Restore name; default <backup>-<YYYYMMDDhhmmss>.") var name: String?
        @Option(help: "Backup to restore from.") var fromBackup: String?
        @Option(help: "Restore the latest successful backup of this schedule.") var fromSchedule: String?
        @Option(help: "Target cluster; default: the backup's cluster (another cluster is a migration).") var cluster: String?
        @Option(help: "Namespaces to include, comma-separated (default: all in the backup).") var includeNamespaces: [String] = []
        @Option(help: "Namespaces to exclude, comma-separated.") var excludeNamespaces: [String] = []
        @Option(help: "Resources to include, comma-separated.") var includeResources: [String] = []
        @Option(help: "Resources to exclude, comma-separated.") var excludeResources: [String] = []
        @Option(help: "Include cluster-scoped resources: true or false (default: automatic).") var includeClusterResources: Bool?
        @Option(help: "Map namespaces to new names: src1:dst1,src2:dst2.") var namespaceMappings: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Restore only items matching this label selector.") var selector: String?
        @Option(help: "Restore items matching any of these selectors: \"a=b or c=d\".") var orSelector: String?
        @Option(help: "What to do with resources that already exist: none or update.") var existingResourcePolicy: String?
        @Option(help: "Resources whose status is restored, comma-separated.") var statusIncludeResources: [String] = []
        @Option(help: "Resources whose status is not restored, comma-separated.") var statusExcludeResources: [String] = []
        @Option(help: "Restore persistent volumes from snapshots: true or false.") var restoreVolumes: Bool?
        @Flag(help: "Keep Service node ports.") var preserveNodeports = false
        @Option(help: "Labels on the restore, key=value comma-separated.") var labels: [String] = []
        @Flag(help: "Only plan: report what would be restored and change nothing.") var preview = false
        @Flag(name: [.customShort("w"), .long], help: "Wait until the restore finishes.") var wait = false

        func validate() throws {
            if (fromBackup == nil) == (fromSchedule == nil) {
                throw ValidationError("exactly one of --from-backup and --from-schedule is required")
            }
            if selector != nil && orSelector != nil {
                throw ValidationError("--selector and --or-selector are mutually exclusive")
            }
            if let existingResourcePolicy, !["none", "update"].contains(existingResourcePolicy) {
                throw ValidationError("--existing-resource-policy must be none or update")
            }
        }

        /// The restore's name: given, or Velero's default `<source>-<YYYYMMDDhhmmss>` in UTC.
        func resolvedName(now: Date = Date()) -> String {
            if let name { return name }
            let stamp = now.formatted(Date.ISO8601FormatStyle()).filter(\.isNumber).prefix(14)
            return "\(fromBackup ?? fromSchedule ?? "restore")-\(stamp)"
        }

        /// The request body; separate from `run()` so tests can check every flag's effect.
        func makeRestore(now: Date = Date()) throws -> Components.Schemas.Restore {
            var spec = Components.Schemas.RestoreSpec()
            spec.backupName = fromBackup
            spec.scheduleName = fromSchedule
            spec.cluster = cluster
            spec.includedNamespaces = BackupSpecOptions.nonEmpty(FlagParsing.commaList(includeNamespaces))
            spec.excludedNamespaces = BackupSpecOptions.nonEmpty(FlagParsing.commaList(excludeNamespaces))
            spec.includedResources = BackupSpecOptions.nonEmpty(FlagParsing.commaList(includeResources))
            spec.excludedResources = BackupSpecOptions.nonEmpty(FlagParsing.commaList(excludeResources))
            spec.includeClusterResources = includeClusterResources
            let mappings = try FlagParsing.namespaceMappings(namespaceMappings)
            if !mappings.isEmpty { spec.namespaceMapping = .init(additionalProperties: mappings) }
            if let selector { spec.labelSelector = try LabelSelectorParser.parse(selector).wire }
            if let orSelector { spec.orLabelSelectors = try LabelSelectorParser.parseOr(orSelector).map(\.wire) }
            spec.existingResourcePolicy = existingResourcePolicy.flatMap { .init(rawValue: $0) }
            let statusIncluded = FlagParsing.commaList(statusIncludeResources)
            let statusExcluded = FlagParsing.commaList(statusExcludeResources)
            if !statusIncluded.isEmpty || !statusExcluded.isEmpty {
                spec.restoreStatus = .init(includedResources: BackupSpecOptions.nonEmpty(statusIncluded),
                                           excludedResources: BackupSpecOptions.nonEmpty(statusExcluded))
            }
            spec.restorePVs = restoreVolumes
            if preserveNodeports { spec.preserveNodePorts = true }
            if preview { spec.preview = true }
            let labels = try FlagParsing.keyValueMap(labels, flag: "--labels")
            return Components.Schemas.Restore(metadata: .named(resolvedName(now: now), labels: labels), spec: spec)
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeRestore()
            let name = body.metadata.name
            var restore = try await callAPI { try await api.createRestore(body: .json(body)).created.body.json }
            if format.output == .table { print("Restore request \"\(name)\" submitted successfully.") }
            if wait {
                if format.output == .table { print("Waiting for restore to complete. You may safely press ctrl-c to stop waiting.") }
                restore = try await Waiting.until({ try await RestoreCommand.fetch(name, api) }, isDone: { Waiting.isTerminal($0.status?.phase) })
                if format.output == .table { print("Restore completed with status: \(restore.status?.phase?.rawValue ?? "")") }
            } else if format.output == .table {
                print("Run `lifeboat restore describe \(name)` or `lifeboat restore logs \(name)` for more details.")
            }
            if let document = try Rendering.document(restore, format: format.output) { print(document) }
            if wait, let failure = Waiting.failureMessage(kind: "restore", name: name, phase: restore.status?.phase?.rawValue,
                                                          reason: restore.status?.failureReason) { throw failure }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List restores, or get the named ones.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Restore names; none lists all.") var names: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Only restores matching this label selector.") var selector: String?
        @Option(help: "Only restores into this cluster.") var cluster: String?

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.Restore] = []
            if names.isEmpty {
                var token: String? = nil
                repeat {
                    let page = try await callAPI {
                        try await api.listRestores(query: .init(limit: 1000, _continue: token, cluster: cluster, labelSelector: selector)).ok.body.json
                    }
                    items += page.items
                    token = page._continue
                } while token != nil
            } else {
                for name in names { items.append(try await RestoreCommand.fetch(name, api)) }
            }
            try printList(items, single: names.count == 1, format: format.output, list: Components.Schemas.RestoreList(items: items), table: Tables.restores)
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a restore's details.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Restore name.") var name: String
        @Flag(help: "Also list what happened to each item.") var details = false

        func run() async throws {
            let api = try client.makeClient()
            let restore = try await RestoreCommand.fetch(name, api)
            if format.output != .table && details {
                // A document with both, so scripts get the per-item results without a second call.
                let items = try await callAPI { try await api.getRestoreItems(path: .init(name: name)).ok.body.json }
                if let document = try Rendering.document(RestoreWithItems(restore: restore, items: items), format: format.output) { print(document) }
                return
            }
            if let document = try Rendering.document(restore, format: format.output) { print(document); return }
            print(Describing.restore(restore))
            // Items exist once the restore ran; before that (or from a server without them) there is nothing to add.
            let finished = Waiting.isTerminal(restore.status?.phase)
            guard finished || details else { return }
            let items: Components.Schemas.RestoreItemResults
            do {
                items = try await callAPI { try await api.getRestoreItems(path: .init(name: name)).ok.body.json }
            } catch {
                if details && finished { throw error }
                return
            }
            print(Describing.restoreItemSummary(items))
            if details { print(Describing.restoreItems(items)) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a queued or running restore; it ends Failed.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Restore names.") var names: [String]

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.cancelRestore(path: .init(name: name)).accepted.body.json }
                print("Request to cancel restore \"\(name)\" submitted successfully.")
            }
        }
    }

    /// `restore describe --details -o json|yaml`: the restore and what happened to each of its items.
    struct RestoreWithItems: Encodable {
        var restore: Components.Schemas.Restore
        var items: Components.Schemas.RestoreItemResults
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a restore's log.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Restore name.") var name: String

        func run() async throws {
            let api = try client.makeClient()
            let body = try await callAPI { try await api.getRestoreLogs(path: .init(name: name)).ok.body.plainText }
            try await Streaming.copy(body, to: FileHandle.standardOutput)
        }
    }

    static func fetch(_ name: String, _ api: Client) async throws -> Components.Schemas.Restore {
        try await callAPI { try await api.getRestore(path: .init(name: name)).ok.body.json }
    }
}
