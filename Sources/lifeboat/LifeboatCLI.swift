import ArgumentParser

/// The `lifeboat` command: a client of the Lifeboat API and nothing else (it links only `LifeboatAPI`).
@main
struct LifeboatCLI: AsyncParsableCommand {
    /// The client's version, printed by `lifeboat version`.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "lifeboat",
        abstract: "Lifeboat command-line client.",
        discussion: "Server and token come from --server/--token, LIFEBOAT_SERVER/LIFEBOAT_TOKEN, or `lifeboat config set`.",
        version: version,
        subcommands: [
            ClusterCommand.self, BackupLocationCommand.self, BackupCommand.self, RestoreCommand.self,
            ScheduleCommand.self, TokenCommand.self, ConfigCommand.self, VersionCommand.self, CompletionCommand.self,
        ])

    /// Accepted before the subcommand too (`lifeboat --server URL backup get`); the leaves read the same options.
    @OptionGroup var client: ClientOptions
}
