import Foundation
import LifeboatAPI
import LifeboatCore
import LifeboatStore

extension APIHandler {
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let options = try Self.listOptions(limit: input.query.limit, continueToken: input.query._continue, cluster: nil, phase: nil,
                                           labelSelector: nil)
        let page = try await database.tokens(options)
        return .ok(.init(body: .json(.init(apiVersion: "lifeboat.io/v1", kind: "TokenList", items: page.items.map(Self.wireToken),
                                           _continue: page.continueToken))))
    }

    /// Issues a token. The secret is in this response only; the catalog keeps its hash.
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(let wire) = input.body else { throw LifeboatError.invalidArgument(field: "body", reason: "must be JSON") }
        let name = try TokenName(wire.metadata.name, field: "metadata.name")
        guard let role = Role(rawValue: wire.spec.role.rawValue) else {
            throw LifeboatError.invalidArgument(field: "spec.role", reason: "must be admin, operator or viewer")
        }
        if wire.spec.expirationTimestamp != nil {
            throw LifeboatError.invalidArgument(field: "spec.expirationTimestamp", reason: "token expiry is not supported; revoke tokens instead")
        }
        let issued = try await tokens.issue(name: name, role: role, now: now())
        var token = Self.wireToken(issued.info)
        token.token = issued.secret
        return .created(.init(body: .json(token)))
    }

    func getToken(_ input: Operations.GetToken.Input) async throws -> Operations.GetToken.Output {
        .ok(.init(body: .json(Self.wireToken(try await database.token(named: TokenName(input.path.name, field: "name"))))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await database.revokeToken(named: TokenName(input.path.name, field: "name"), now: now())
        return .noContent(.init())
    }

    static func wireToken(_ info: TokenInfo) -> Components.Schemas.Token {
        Components.Schemas.Token(
            apiVersion: "lifeboat.io/v1", kind: "Token",
            metadata: .init(name: info.name.rawValue, creationTimestamp: info.createdAt),
            spec: .init(role: .init(rawValue: info.role.rawValue) ?? .viewer),
            status: .init(lastUsedTime: info.lastUsedAt))
    }
}
