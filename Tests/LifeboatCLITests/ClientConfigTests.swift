import ArgumentParser
import Foundation
@testable import lifeboat
import Testing

@Suite struct ClientConfigTests {
    @Test func configSetWritesA0600FileThatLoadsBack() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/nested/config.yaml"
        var file = ClientConfigFile()
        try file.apply(assignments: ["server=http://127.0.0.1:8080", "token=lbt_secret"])
        try file.save(to: path)
        let permissions = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(permissions & 0o777 == 0o600)
        #expect(try ClientConfigFile.load(from: path) == file)

        try file.apply(assignments: ["token="])
        try file.save(to: path)
        #expect(try ClientConfigFile.load(from: path).token == nil)
        #expect(try ClientConfigFile.load(from: path).server == "http://127.0.0.1:8080")
    }

    @Test func unknownKeysAndBadAssignmentsAreRejected() {
        var file = ClientConfigFile()
        #expect(throws: CLIError.self) { try file.apply(assignments: ["sever=x"]) }
        #expect(throws: CLIError.self) { try file.apply(assignments: ["server"]) }
    }

    @Test func pathComesFromTheEnvironment() {
        #expect(ClientConfigFile.path(environment: ["LIFEBOAT_CONFIG": "/x/c.yaml", "HOME": "/home/a"]) == "/x/c.yaml")
        #expect(ClientConfigFile.path(environment: ["HOME": "/home/a"]) == "/home/a/.config/lifeboat/config.yaml")
    }

    @Test func missingFileIsEmpty() throws {
        #expect(try ClientConfigFile.load(from: "/nonexistent/lifeboat/config.yaml") == ClientConfigFile())
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.yaml"
        var file = ClientConfigFile()
        try file.apply(assignments: ["server=http://file:1", "token=file-token"])
        try file.save(to: path)

        var options = try ClientOptions.parse([])
        let fromFile = try options.resolve(environment: ["LIFEBOAT_CONFIG": path])
        #expect(fromFile == .init(server: URL(string: "http://file:1")!, token: "file-token"))

        let fromEnvironment = try options.resolve(environment: ["LIFEBOAT_CONFIG": path, "LIFEBOAT_SERVER": "http://env:2"])
        #expect(fromEnvironment == .init(server: URL(string: "http://env:2")!, token: "file-token"))

        options = try ClientOptions.parse(["--server", "https://flag:3", "--token", "flag-token"])
        let fromFlags = try options.resolve(environment: ["LIFEBOAT_CONFIG": path, "LIFEBOAT_SERVER": "http://env:2", "LIFEBOAT_TOKEN": "t"])
        #expect(fromFlags == .init(server: URL(string: "https://flag:3")!, token: "flag-token"))
    }

    @Test func missingOrBadServerIsAClearError() throws {
        let options = try ClientOptions.parse([])
        #expect(throws: CLIError.self) { try options.resolve(environment: ["LIFEBOAT_CONFIG": "/nonexistent/c.yaml"]) }
        let bad = try ClientOptions.parse(["--server", "127.0.0.1:8080"])
        #expect(throws: CLIError.self) { try bad.resolve(environment: ["LIFEBOAT_CONFIG": "/nonexistent/c.yaml"]) }
    }

    @Test func configGetMasksTheToken() {
        let file = ClientConfigFile(server: "http://a:1", token: "lbt_secret")
        #expect(!ConfigCommand.render(file, path: "/c", showToken: false).contains("lbt_secret"))
        #expect(ConfigCommand.render(file, path: "/c", showToken: true).contains("lbt_secret"))
    }
}

@Suite struct AWSCredentialsFileTests {
    @Test func parsesProfilesLikeTheAWSCLI() throws {
        let file = try AWSCredentialsFile(parsing: """
            # MinIO quick start
            [default]
            aws_access_key_id = minio
            aws_secret_access_key=minio123

            [profile backup]
            aws_access_key_id = AKIA
            aws_secret_access_key = s
            """)
        #expect(file.profiles["default"] == ["aws_access_key_id": "minio", "aws_secret_access_key": "minio123"])
        #expect(file.profiles["backup"]?["aws_access_key_id"] == "AKIA")
        try file.validate(profile: "default")
        try file.validate(profile: "backup")
        #expect(throws: CLIError("credentials file has no [other] profile")) { try file.validate(profile: "other") }
    }

    @Test func incompleteProfilesAndGarbageAreRejected() throws {
        let partial = try AWSCredentialsFile(parsing: "[default]\naws_access_key_id = a\n")
        #expect(throws: CLIError.self) { try partial.validate(profile: "default") }
        #expect(throws: CLIError.self) { try AWSCredentialsFile(parsing: "aws_access_key_id = a\n") }
        #expect(throws: CLIError.self) { try AWSCredentialsFile(parsing: "[default\n") }
    }

    @Test func errorsNeverQuoteTheSecret() throws {
        let partial = try AWSCredentialsFile(parsing: "[default]\naws_secret_access_key = TOPSECRET\n")
        do {
            try partial.validate(profile: "default")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("TOPSECRET"))
        }
    }
}
