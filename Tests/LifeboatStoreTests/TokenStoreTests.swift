import Foundation
import LifeboatCore
@testable import LifeboatStore
import Testing

@Suite struct TokenStoreTests {
    let database: AppDatabase
    let t0 = StoreFixture.epoch

    init() throws { database = try AppDatabase.inMemory() }

    @Test func tokensAreFoundByHashUntilRevoked() async throws {
        #expect(try await !database.hasAnyToken())
        let created = try await database.createToken(name: TokenName("ci"), role: .operator, hash: "abc", now: t0)
        #expect(try await database.hasAnyToken())
        let found = try #require(try await database.authenticateToken(hash: "abc", now: t0.addingTimeInterval(5)))
        #expect(found.name == created.name && found.role == .operator && found.lastUsedAt == t0.addingTimeInterval(5))
        #expect(try await database.authenticateToken(hash: "other", now: t0) == nil)
        try await database.revokeToken(named: TokenName("ci"), now: t0.addingTimeInterval(10))
        #expect(try await database.authenticateToken(hash: "abc", now: t0.addingTimeInterval(11)) == nil)
        #expect(try await database.token(named: TokenName("ci")).revokedAt == t0.addingTimeInterval(10))
    }

    @Test func lastUsedIsRefreshedAtMostOnceAMinute() async throws {
        _ = try await database.createToken(name: TokenName("ci"), role: .viewer, hash: "h", now: t0)
        _ = try await database.authenticateToken(hash: "h", now: t0)
        _ = try await database.authenticateToken(hash: "h", now: t0.addingTimeInterval(30))
        #expect(try await database.token(named: TokenName("ci")).lastUsedAt == t0)
        _ = try await database.authenticateToken(hash: "h", now: t0.addingTimeInterval(61))
        #expect(try await database.token(named: TokenName("ci")).lastUsedAt == t0.addingTimeInterval(61))
    }

    @Test func namesAreUniqueAndListed() async throws {
        _ = try await database.createToken(name: TokenName("b"), role: .viewer, hash: "1", now: t0)
        _ = try await database.createToken(name: TokenName("a"), role: .admin, hash: "2", now: t0)
        await #expect(throws: LifeboatError.alreadyExists(kind: "token", name: "a")) {
            try await database.createToken(name: TokenName("a"), role: .viewer, hash: "3", now: t0)
        }
        #expect(try await database.tokens().map(\.name.rawValue) == ["a", "b"])
        await #expect(throws: LifeboatError.notFound(kind: "token", name: "zz")) { try await database.revokeToken(named: TokenName("zz")) }
    }
}
