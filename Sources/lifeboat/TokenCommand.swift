import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat token …`: API tokens (admin only on the server side).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Work with API tokens.",
        subcommands: [Create.self, List.self, Revoke.self], aliases: ["tokens"])
}

extension TokenCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token. Its secret is printed once: with -o json it is the `token` field.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Token name (DNS-1123 label).") var name: String
        @Option(help: "admin, operator or viewer.") var role: String
        @Option(help: "Expiry, RFC 3339 (e.g. 2027-01-01T00:00:00Z); default never.") var expires: String?

        func validate() throws {
            guard Components.Schemas.Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, operator or viewer") }
            if let expires, (try? KubernetesDateTranscoder().decode(expires)) == nil {
                throw ValidationError("--expires must be an RFC 3339 time such as 2027-01-01T00:00:00Z")
            }
        }

        func makeToken() throws -> Components.Schemas.Token {
            guard let role = Components.Schemas.Role(rawValue: role) else { throw CLIError("--role must be admin, operator or viewer") }
            var spec = Components.Schemas.TokenSpec(role: role)
            if let expires { spec.expirationTimestamp = try KubernetesDateTranscoder().decode(expires) }
            return Components.Schemas.Token(metadata: .named(name), spec: spec)
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeToken()
            let token = try await callAPI { try await api.createToken(body: .json(body)).created.body.json }
            if let document = try Rendering.document(token, format: format.output) { print(document); return }
            print("Token \"\(name)\" created with role \(token.spec.role.rawValue). Store it now; it is not shown again:")
            print(token.token ?? "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).", aliases: ["get"])
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.Token] = []
            var token: String? = nil
            repeat {
                let page = try await callAPI { try await api.listTokens(query: .init(limit: 1000, _continue: token)).ok.body.json }
                items += page.items
                token = page._continue
            } while token != nil
            try printList(items, single: false, format: format.output, list: Components.Schemas.TokenList(items: items), table: Tables.tokens)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke tokens; requests with them fail from now on.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Token names.") var names: [String]

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.revokeToken(path: .init(name: name)).noContent }
                print("Token \"\(name)\" revoked.")
            }
        }
    }
}
