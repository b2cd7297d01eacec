import Foundation
import LifeboatCore
@testable import LifeboatServer
import LifeboatStore
import Logging
import Testing

@Suite struct TokenIssuerTests {
    var quietLogger: Logger {
        var logger = Logger(label: "lifeboat.test.tokens")
        logger.logLevel = .critical
        return logger
    }

    @Test func tokensHaveTheDocumentedShape() {
        let token = APIToken.generate()
        #expect(token.hasPrefix("lb_") && token.count == 46)
        #expect(APIToken.isWellFormed(token))
        #expect(!APIToken.isWellFormed("lb_short"))
        #expect(!APIToken.isWellFormed("xx_" + token.dropFirst(3)))
        #expect(!APIToken.isWellFormed(token.dropLast() + "="))
        #expect(!APIToken.isWellFormed(token.dropLast() + "é"))  // a letter, but not one a token is made of
        #expect(!APIToken.isWellFormed(token + "A"))
        #expect(APIToken.generate() != token)
        let hash = APIToken.hash(token)
        #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit) && hash == APIToken.hash(token))
        #expect(APIToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func issuedTokensAuthenticateUntilRevoked() async throws {
        let database = try AppDatabase.inMemory()
        let issuer = TokenIssuer(database: database)
        let issued = try await issuer.issue(name: TokenName("ci"), role: .operator)
        #expect(!issued.description.contains(issued.secret))
        #expect(try await issuer.authenticate(bearer: issued.secret)?.role == .operator)
        #expect(try await issuer.authenticate(bearer: APIToken.generate()) == nil)
        #expect(try await issuer.authenticate(bearer: "not-a-token") == nil)
        try await database.revokeToken(named: TokenName("ci"))
        #expect(try await issuer.authenticate(bearer: issued.secret) == nil)
        // Only the hash is stored.
        #expect(try await database.authenticateToken(hash: issued.secret) == nil)
    }

    @Test func bootstrapWritesTheFirstAdminTokenOnce() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(in: directory)
        let issuer = TokenIssuer(database: database)
        #expect(try await issuer.bootstrapAdminToken(in: directory, logger: quietLogger))
        let file = directory.appendingPathComponent(TokenIssuer.adminTokenFileName)
        #expect(try posixMode(file) == 0o600)
        let secret = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let admin = try #require(try await issuer.authenticate(bearer: secret))
        #expect(admin.role == .admin && admin.name.rawValue == "admin")
        #expect(try await !issuer.bootstrapAdminToken(in: directory, logger: quietLogger))  // second start: nothing
        #expect(try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == secret)
        var bytes = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix(AppDatabase.fileName) {
            bytes += try Data(contentsOf: directory.appendingPathComponent(name))
        }
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        #expect(bytes.range(of: Data(APIToken.hash(secret).utf8)) != nil)
    }
}
