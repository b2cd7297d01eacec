import Foundation
@testable import LifeboatServer
import Logging
import Testing

@Suite struct ServerConfigurationTests {
    @Test func defaultsWhenNothingIsSet() throws {
        let configuration = try ServerConfiguration.resolve(flags: .init(), environment: .init(), file: nil)
        #expect(configuration == ServerConfiguration())
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
    }

    @Test func flagsBeatEnvironmentBeatFileBeatDefaults() throws {
        let file = try ServerConfiguration.Layer(
            fileContents: "listen: 0.0.0.0:9000\ndataDir: /file\nworkers: 2\nlogFormat: json\nlogLevel: debug\n", path: "lifeboat.yaml")
        let environment = try ServerConfiguration.Layer(environment: [
            "LIFEBOAT_DATA_DIR": "/env", "LIFEBOAT_WORKERS": "3", "LIFEBOAT_LISTEN": "", "UNRELATED": "x",
        ])
        let flags = ServerConfiguration.Layer(workers: 5)
        let configuration = try ServerConfiguration.resolve(flags: flags, environment: environment, file: file)
        #expect(configuration.workers == 5)  // flag
        #expect(configuration.dataDirectory == "/env")  // environment over file
        #expect(configuration.host == "0.0.0.0" && configuration.port == 9000)  // file (empty env var sets nothing)
        #expect(configuration.logFormat == .json)
        #expect(configuration.logLevel == .debug)
    }

    @Test func jsonFilesWorkToo() throws {
        let layer = try ServerConfiguration.Layer(fileContents: #"{"dataDir": "/data", "workers": 8}"#, path: "c.json")
        #expect(layer == .init(dataDir: "/data", workers: 8))
    }

    @Test func unknownFileKeyIsAnError() {
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.Layer(fileContents: "listen: :80\ndatadir: /typo\n", path: "c.yaml")
        }
    }

    @Test(arguments: [
        ("127.0.0.1:0", "127.0.0.1", 0), (":8443", "0.0.0.0", 8443), ("[::1]:9", "::1", 9), ("localhost:65535", "localhost", 65535),
    ])
    func listenAddresses(text: String, host: String, port: Int) throws {
        let parsed = try ServerConfiguration.parseListen(text)
        #expect(parsed.0 == host && parsed.1 == port)
    }

    @Test(arguments: ["127.0.0.1", "host:x", "host:70000"])
    func badListenAddresses(text: String) {
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.parseListen(text) }
    }

    @Test func invalidValuesAreReported() throws {
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: .init(logFormat: "xml"), environment: .init(), file: nil)
        }
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: .init(workers: 0), environment: .init(), file: nil)
        }
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: .init(tlsCertificate: "/cert.pem"), environment: .init(), file: nil)
        }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.Layer(environment: ["LIFEBOAT_WORKERS": "many"]) }
    }

    @Test func missingTLSFilesAreNamedButNotRead() throws {
        var configuration = ServerConfiguration()
        configuration.tlsCertificatePath = "/nonexistent/cert.pem"
        configuration.tlsKeyPath = "/nonexistent/key.pem"
        #expect(throws: ConfigurationError("cannot load TLS certificate /nonexistent/cert.pem and key /nonexistent/key.pem")) {
            try configuration.tlsConfiguration()
        }
    }
}
