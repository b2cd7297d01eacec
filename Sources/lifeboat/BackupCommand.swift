import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat backup …`: Velero's backup verbs over the API.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Work with backups.",
        subcommands: [Create.self, Get.self, Describe.self, Logs.self, Download.self, Delete.self, Cancel.self], aliases: ["backups"])
}

extension BackupCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a new backup.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Backup name (DNS-1123 label).") var name: String
        @OptionGroup var spec: BackupSpecOptions
        @Flag(name: [.customShort("w"), .long], help: "Wait until the backup finishes.") var wait = false

        /// The request body; separate from `run()` so tests can check every flag's effect.
        func makeBackup() throws -> Components.Schemas.Backup {
            Components.Schemas.Backup(metadata: .named(name, labels: try spec.makeLabels()), spec: try spec.makeSpec())
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeBackup()
            let backup = try await callAPI { try await api.createBackup(body: .json(body)).created.body.json }
            try await BackupCommand.report(queued: backup, name: name, wait: wait, output: format.output, api: api)
        }
    }

    /// What `backup create` and `schedule trigger` print once the server has queued a backup, Velero's lines for
    /// a table and the object for `-o json|yaml`; with `wait`, polls until the backup ends and fails the command
    /// unless it completed.
    static func report(queued: Components.Schemas.Backup, name: String, wait: Bool, output: OutputFormat, api: Client) async throws {
        var backup = queued
        if output == .table { print("Backup request \"\(name)\" submitted successfully.") }
        if wait {
            if output == .table { print("Waiting for backup to complete. You may safely press ctrl-c to stop waiting.") }
            backup = try await Waiting.until({ try await BackupCommand.fetch(name, api) }, isDone: { Waiting.isTerminal($0.status?.phase) })
            if output == .table { print("Backup completed with status: \(backup.status?.phase?.rawValue ?? "")") }
        } else if output == .table {
            print("Run `lifeboat backup describe \(name)` or `lifeboat backup logs \(name)` for more details.")
        }
        if let document = try Rendering.document(backup, format: output) { print(document) }
        if wait, let failure = Waiting.failureMessage(kind: "backup", name: name, phase: backup.status?.phase?.rawValue,
                                                      reason: backup.status?.failureReason) { throw failure }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List backups, or get the named ones.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Backup names; none lists all.") var names: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Only backups matching this label selector.") var selector: String?
        @Option(help: "Only backups of this cluster.") var cluster: String?

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.Backup] = []
            if names.isEmpty {
                var token: String? = nil
                repeat {
                    let page = try await callAPI {
                        try await api.listBackups(query: .init(limit: 1000, _continue: token, cluster: cluster, labelSelector: selector)).ok.body.json
                    }
                    items += page.items
                    token = page._continue
                } while token != nil
            } else {
                for name in names { items.append(try await BackupCommand.fetch(name, api)) }
            }
            try printList(items, single: names.count == 1, format: format.output, list: Components.Schemas.BackupList(items: items), table: Tables.backups)
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a backup's details.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Backup name.") var name: String
        @Flag(help: "Also list the backed-up resources.") var details = false

        func run() async throws {
            let api = try client.makeClient()
            let backup = try await BackupCommand.fetch(name, api)
            if let document = try Rendering.document(backup, format: format.output) { print(document); return }
            print(Describing.backup(backup))
            if details {
                let resources = try await callAPI { try await api.getBackupResources(path: .init(name: name)).ok.body.json }
                print(Describing.resourceList(resources.additionalProperties))
            }
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a backup's log.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Backup name.") var name: String

        func run() async throws {
            let api = try client.makeClient()
            let body = try await callAPI { try await api.getBackupLogs(path: .init(name: name)).ok.body.plainText }
            try await Streaming.copy(body, to: FileHandle.standardOutput)
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a backup's tarball.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Backup name.") var name: String
        @Option(name: [.short, .long], help: "File to write; default <NAME>-data.tar.gz.") var output: String?
        @Flag(help: "Overwrite the file if it exists.") var force = false

        func run() async throws {
            let path = output ?? "\(name)-data.tar.gz"
            if FileManager.default.fileExists(atPath: path) && !force {
                throw CLIError("file \(path) already exists; use --force to overwrite")
            }
            let api = try client.makeClient()
            let body = try await callAPI { try await api.downloadBackup(path: .init(name: name)).ok.body.applicationGzip }
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CLIError("cannot create \(path)") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try await Streaming.copy(body, to: handle)
            print("Backup \(name) has been successfully downloaded to \(path)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a backup from storage and the catalog.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Backup names.") var names: [String]
        @Flag(help: "Accepted for Velero compatibility; lifeboat never prompts.") var confirm = false

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.deleteBackup(path: .init(name: name)).accepted.body.json }
                print("Request to delete backup \"\(name)\" submitted successfully.")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a queued or running backup; it ends Failed and nothing of it is published as complete.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Backup names.") var names: [String]

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.cancelBackup(path: .init(name: name)).accepted.body.json }
                print("Request to cancel backup \"\(name)\" submitted successfully.")
            }
        }
    }

    static func fetch(_ name: String, _ api: Client) async throws -> Components.Schemas.Backup {
        try await callAPI { try await api.getBackup(path: .init(name: name)).ok.body.json }
    }
}

/// Prints objects for `get`: one object as itself, several as a `{items}` list, or a table.
func printList<Item: Encodable, List: Encodable>(
    _ items: [Item], single: Bool, format: OutputFormat, list: List, table: ([Item]) -> String
) throws {
    switch format {
    case .table: print(table(items))
    case .json, .yaml:
        if single, let item = items.first {
            print(try Rendering.document(item, format: format) ?? "")
        } else {
            print(try Rendering.document(list, format: format) ?? "")
        }
    }
}

/// Copies a streamed response body to a file handle chunk by chunk, so logs and tarballs never sit in memory whole.
enum Streaming {
    static func copy(_ body: HTTPBody, to handle: FileHandle) async throws {
        for try await chunk in body {
            try handle.write(contentsOf: Data(chunk))
        }
    }
}
