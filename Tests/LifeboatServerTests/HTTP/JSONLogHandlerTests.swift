import Foundation
@testable import LifeboatServer
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    @Test func writesOneJSONObjectPerLineWithMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "lifeboat-test") { label in JSONLogHandler(label: label, output: { line, _ in lines.append(line) }) }
        logger[metadataKey: "hb.request.id"] = "r42"
        logger.info("Backup finished", metadata: ["backup.name": "nightly", "items": "12"])
        logger.debug("not at info level")
        #expect(lines.all.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "Backup finished")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "lifeboat-test")
        #expect(object["backup.name"] as? String == "nightly")
        #expect(object["hb.request.id"] as? String == "r42")
        #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
        #expect(!lines.all[0].contains("\n"))
    }
}
