import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatStore
@testable import LifeboatServer
import Logging
import Synchronization
import Testing

/// Keeps every log line, with its metadata, so a test can search them.
final class CapturedLogs: Sendable {
    /// One written line: its message and all its metadata, the logger's and the call's.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let lines = Mutex<[String]>([])
    private let kept = Mutex<[Record]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: String { lines.withLock { $0.joined(separator: "\n") } }
    var records: [Record] { kept.withLock { $0 } }

    func logger() -> Logger {
        var logger = Logger(label: "capture") { _ in CapturingHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.append("\(event.level) \(event.message) \(merged)")
            sink.kept.withLock { $0.append(Record(level: event.level, message: "\(event.message)", metadata: merged)) }
        }
    }
}

@Suite struct SecretsNeverLeakTests {
    @Test func credentialsAppearInNoResponseLogOrDatabaseFile() async throws {
        let directory = try makeTemporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logs = CapturedLogs()
        let database = try AppDatabase.open(in: URL(fileURLWithPath: directory))
        let server = try CatalogTestServer(database: database, logger: logs.logger())
        let sharedCredentials = "[default]\naws_access_key_id = AKIAFIXTURE\naws_secret_access_key = \(Fixtures.s3Secret)-file\n"
        let fileLocation = try String(decoding: JSONSerialization.data(withJSONObject: [
            "metadata": ["name": "from-file"],
            "spec": ["provider": "s3", "objectStorage": ["bucket": "velero"], "config": ["region": "us-east-1"],
                     "credential": ["awsSharedCredentials": sharedCredentials]],
        ]), as: UTF8.self)
        let responses = try await server.application().test(.router) { client in
            var responses: [String] = []
            for (method, uri, body) in [
                (HTTPRequest.Method.post, "/v1/clusters", Fixtures.cluster()),
                (.post, "/v1/backup-locations", Fixtures.s3Location()),
                (.post, "/v1/backup-locations", fileLocation),
                (.get, "/v1/clusters", nil), (.get, "/v1/clusters/prod", nil),
                (.get, "/v1/backup-locations", nil), (.get, "/v1/backup-locations/minio", nil),
                (.post, "/v1/clusters", Fixtures.cluster()),  // a duplicate: the error must not echo the token either
                (.post, "/v1/clusters", #"{"metadata":{"name":"x"},"spec":{"server":"nope","token":"\#(Fixtures.clusterToken)"}}"#),
            ] {
                let response = try await client.send(method, uri, json: body)
                responses.append(String(buffer: response.body))
            }
            return responses
        }
        let databaseBytes = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("lifeboat.sqlite") }
            .map { try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent($0)) }
            .reduce(Data(), +)
        #expect(!databaseBytes.isEmpty)
        for secret in [Fixtures.clusterToken, Fixtures.s3Secret, "\(Fixtures.s3Secret)-file", "AKIAFIXTURE"] {
            for response in responses { #expect(!response.contains(secret)) }
            #expect(!logs.all.contains(secret))
            #expect(databaseBytes.range(of: Data(secret.utf8)) == nil, "\(secret) is stored in clear text")
        }
        #expect(!logs.all.isEmpty)
    }
}
