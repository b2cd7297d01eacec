import ArgumentParser
import Foundation

/// `lifeboat config set|get`: the client config file (server URL and token), written 0600.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Read or change the client configuration file.",
        subcommands: [Set.self, Get.self])
}

extension ConfigCommand {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set keys: lifeboat config set server=URL token=TOKEN.")
        @Argument(help: "key=value pairs; an empty value removes the key.") var assignments: [String]

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let path = ClientConfigFile.path(environment: environment)
            var file = try ClientConfigFile.load(from: path)
            try file.apply(assignments: assignments)
            try file.save(to: path)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configuration; the token is masked.")
        @Flag(help: "Print the token in clear text.") var showToken = false

        func run() throws {
            let path = ClientConfigFile.path(environment: ProcessInfo.processInfo.environment)
            print(ConfigCommand.render(try ClientConfigFile.load(from: path), path: path, showToken: showToken))
        }
    }

    /// `key: value` lines; the token shows only its presence unless asked, so a screen share leaks nothing.
    static func render(_ file: ClientConfigFile, path: String, showToken: Bool) -> String {
        let token = file.token.map { showToken ? $0 : "<set>" } ?? "<unset>"
        return "file: \(path)\nserver: \(file.server ?? "<unset>")\ntoken: \(token)"
    }
}
