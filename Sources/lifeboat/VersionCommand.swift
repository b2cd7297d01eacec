import ArgumentParser
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat version`: the client's version and, unless `--client-only`, the server's.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the client and server versions.")
    @OptionGroup var client: ClientOptions
    @Flag(help: "Do not contact the server.") var clientOnly = false

    func run() async throws {
        print("Client:\n\tVersion: \(LifeboatCLI.version)")
        guard !clientOnly else { return }
        let api = try client.makeClient()
        let status = try await callAPI { try await api.getServerStatus().ok.body.json }
        print("Server:\n\tVersion: \(status.serverVersion)\n\tAPI: \(status.apiVersion)")
        if let caller = status.caller { print("\tYou: \(caller.name) (\(caller.role.rawValue))") }
    }
}
