import Foundation
@testable import LifeboatServer
import Testing

@Suite struct AdminTokenFileTests {
    @Test func firstStartWritesA0600TokenThatAuthenticatesAsAdmin() async throws {
        let directory = try makeTemporaryDirectory() + "/data"
        let authenticator = try AdminTokenFile(directory: directory)
        let path = directory + "/admin-token"
        let permissions = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(permissions & 0o777 == 0o600)
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("lbt_") && token.count > 40)
        #expect(try await authenticator.authenticate(token: token) == AdminTokenFile.identity)
        #expect(try await authenticator.authenticate(token: token + "x") == nil)

        // A restart keeps the same token.
        let again = try AdminTokenFile(directory: directory)
        #expect(try await again.authenticate(token: token) == AdminTokenFile.identity)
    }

    @Test func aWorldReadableTokenFileIsRefused() throws {
        let directory = try makeTemporaryDirectory()
        _ = try AdminTokenFile(directory: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/admin-token")
        #expect(throws: ConfigurationError.self) { try AdminTokenFile(directory: directory) }
    }

    @Test func tokensAreUnique() {
        #expect(AdminTokenFile.generateToken() != AdminTokenFile.generateToken())
    }
}
