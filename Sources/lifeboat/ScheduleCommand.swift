import ArgumentParser
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat schedule …`: cron-driven backups.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Work with schedules.",
        subcommands: [Create.self, Get.self, Describe.self, Pause.self, Unpause.self, Trigger.self, Delete.self], aliases: ["schedules"])
}

extension ScheduleCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a schedule of backups.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Schedule name (DNS-1123 label).") var name: String
        @Option(help: "Cron expression (5 fields), @every 1h, @daily…; CRON_TZ=<zone> prefix allowed.") var schedule: String
        @OptionGroup var template: BackupSpecOptions
        @Flag(help: "Create the schedule paused.") var paused = false
        @Option(help: "Skip the first due run: true or false.") var skipImmediately: Bool?
        @Option(help: "Give scheduled backups an owner reference to the schedule: true or false.") var useOwnerReferencesInBackup: Bool?

        func makeSchedule() throws -> Components.Schemas.Schedule {
            var spec = Components.Schemas.ScheduleSpec(schedule: schedule, template: try template.makeSpec())
            if paused { spec.paused = true }
            spec.skipImmediately = skipImmediately
            spec.useOwnerReferencesInBackup = useOwnerReferencesInBackup
            return Components.Schemas.Schedule(metadata: .named(name, labels: try template.makeLabels()), spec: spec)
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeSchedule()
            let created = try await callAPI { try await api.createSchedule(body: .json(body)).created.body.json }
            if let document = try Rendering.document(created, format: format.output) { print(document); return }
            print("Schedule \"\(name)\" created successfully.")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List schedules, or get the named ones.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Schedule names; none lists all.") var names: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Only schedules matching this label selector.") var selector: String?

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.Schedule] = []
            if names.isEmpty {
                var token: String? = nil
                repeat {
                    let page = try await callAPI {
                        try await api.listSchedules(query: .init(limit: 1000, _continue: token, labelSelector: selector)).ok.body.json
                    }
                    items += page.items
                    token = page._continue
                } while token != nil
            } else {
                for name in names { items.append(try await ScheduleCommand.fetch(name, api)) }
            }
            try printList(items, single: names.count == 1, format: format.output, list: Components.Schemas.ScheduleList(items: items), table: Tables.schedules)
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a schedule's details.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Schedule name.") var name: String

        func run() async throws {
            let schedule = try await ScheduleCommand.fetch(name, try client.makeClient())
            if let document = try Rendering.document(schedule, format: format.output) { print(document); return }
            print(Describing.schedule(schedule))
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause schedules.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule names.") var names: [String]

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.pauseSchedule(path: .init(name: name)).ok.body.json }
                print("Schedule \"\(name)\" paused successfully.")
            }
        }
    }

    struct Unpause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unpause schedules.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule names.") var names: [String]

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.unpauseSchedule(path: .init(name: name)).ok.body.json }
                print("Schedule \"\(name)\" unpaused successfully.")
            }
        }
    }

    /// `velero backup create --from-schedule` as a verb of the schedule: the server names the backup
    /// `<schedule>-<YYYYMMDDhhmmss>` from its template, as the scheduler would.
    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a backup from a schedule's template now.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Schedule name.") var name: String
        @Flag(name: [.customShort("w"), .long], help: "Wait until the backup finishes.") var wait = false

        func run() async throws {
            let api = try client.makeClient()
            let backup = try await callAPI { try await api.triggerSchedule(path: .init(name: name)).created.body.json }
            try await BackupCommand.report(queued: backup, name: backup.metadata.name, wait: wait, output: format.output, api: api)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete schedules; their backups are kept.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule names.") var names: [String]
        @Flag(help: "Accepted for Velero compatibility; lifeboat never prompts.") var confirm = false

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.deleteSchedule(path: .init(name: name)).noContent }
                print("Schedule deleted: \(name)")
            }
        }
    }

    static func fetch(_ name: String, _ api: Client) async throws -> Components.Schemas.Schedule {
        try await callAPI { try await api.getSchedule(path: .init(name: name)).ok.body.json }
    }
}
