import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// Where the server is and who we are: flags, then `LIFEBOAT_SERVER`/`LIFEBOAT_TOKEN`, then the config file.
///
/// Declared on the root and on every leaf, so `lifeboat --server URL backup get` and
/// `lifeboat backup get --server URL` both work. The options have no ArgumentParser defaults; a default
/// would always win over the environment.
struct ClientOptions: ParsableArguments {
    @Option(help: "Lifeboat server URL (env LIFEBOAT_SERVER, or `lifeboat config set server=URL`).")
    var server: String?

    @Option(help: "Bearer token (env LIFEBOAT_TOKEN, or `lifeboat config set token=TOKEN`).")
    var token: String?

    /// The server URL and token after applying flag > environment > config file.
    struct Resolved: Equatable {
        var server: URL
        var token: String?
    }

    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resolved {
        let file = try ClientConfigFile.load(from: ClientConfigFile.path(environment: environment))
        let nonEmpty: (String?) -> String? = { $0.flatMap { $0.isEmpty ? nil : $0 } }
        guard let serverText = nonEmpty(server) ?? nonEmpty(environment["LIFEBOAT_SERVER"]) ?? nonEmpty(file.server) else {
            throw CLIError("no server given: use --server, LIFEBOAT_SERVER or `lifeboat config set server=URL`")
        }
        guard let url = URL(string: serverText), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CLIError("invalid server URL '\(serverText)': expected http://host:port or https://host:port")
        }
        return Resolved(server: url, token: nonEmpty(token) ?? nonEmpty(environment["LIFEBOAT_TOKEN"]) ?? nonEmpty(file.token))
    }

    /// A generated client with the bearer token and problem-document handling installed.
    func makeClient() throws -> Client {
        let resolved = try resolve()
        return Client(
            serverURL: resolved.server,
            configuration: .lifeboat,
            transport: AsyncHTTPClientTransport(),
            middlewares: [ProblemResponseMiddleware(), BearerTokenMiddleware(token: resolved.token)]
        )
    }
}

/// Output format of `get`, `describe` and `create` commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, yaml
}

/// `-o table|json|yaml`, spliced into the commands that print objects.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Output format: table, json or yaml.")
    var output: OutputFormat = .table
}
