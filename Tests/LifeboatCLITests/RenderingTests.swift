import Foundation
@testable import lifeboat
import LifeboatAPI
import Testing

@Suite struct RenderingTests {
    static let created = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02T03:04:05Z

    static func backup(_ name: String, phase: Components.Schemas.BackupPhase?) -> Components.Schemas.Backup {
        var metadata = Components.Schemas.ObjectMeta.named(name, labels: ["flag": "true"])
        metadata.creationTimestamp = created
        var spec = Components.Schemas.BackupSpec()
        spec.cluster = "prod"
        spec.storageLocation = "default"
        return .init(metadata: metadata, spec: spec, status: .init(expiration: created.addingTimeInterval(30 * 86400), phase: phase, errors: 2))
    }

    @Test func jsonIsTheAPIObjectWithKubernetesTimestamps() throws {
        let text = try Rendering.json(Self.backup("nightly", phase: .completed))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let status = try #require(object["status"] as? [String: Any])
        #expect(status["phase"] as? String == "Completed")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["creationTimestamp"] as? String == "2026-01-02T03:04:05Z")
    }

    @Test func yamlCarriesTheSameValuesAndQuotesAmbiguousStrings() throws {
        let text = try Rendering.yaml(Self.backup("nightly", phase: .completed))
        #expect(text.contains("phase: Completed"))
        #expect(text.contains("name: nightly"))
        #expect(text.contains("creationTimestamp: '2026-01-02T03:04:05Z'") || text.contains("creationTimestamp: \"2026-01-02T03:04:05Z\""))
        // A label whose value is the string "true" must stay a string.
        #expect(text.contains("flag: 'true'") || text.contains("flag: \"true\""))
    }

    @Test func backupTableHasVeleroColumnsAligned() {
        let table = Tables.backups([Self.backup("nightly", phase: .completed), Self.backup("b", phase: nil)])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("NAME      CLUSTER   STATUS      ERRORS   WARNINGS   CREATED"))
        #expect(lines[1].hasPrefix("nightly   prod      Completed   2        0          2026-01-02 03:04:05 +0000 UTC"))
        #expect(lines[2].hasPrefix("b         prod      New"))
        #expect(lines[0].hasSuffix("STORAGE LOCATION   SELECTOR"))
    }

    @Test func locationTableShowsBucketAndPrefix() {
        let location = Components.Schemas.BackupStorageLocation(
            metadata: .named("default"),
            spec: .init(provider: .s3, objectStorage: .init(bucket: "velero", prefix: "a"), _default: true, accessMode: .readOnly),
            status: .init(phase: .available))
        let lines = Tables.locations([location]).split(separator: "\n")
        #expect(lines[0] == "NAME      PROVIDER   BUCKET/PREFIX   PHASE       LAST VALIDATED   ACCESS MODE   DEFAULT")
        #expect(lines[1] == "default   s3         velero/a        Available   <nil>            ReadOnly      true")
    }

    @Test(arguments: [(30, "30s"), (600, "10m"), (5 * 3600, "5h"), (30 * 86400, "30d"), (-5, "0s")])
    func expiresColumn(seconds: Int, expected: String) {
        let now = Date(timeIntervalSince1970: 0)
        #expect(Rendering.expires(now.addingTimeInterval(TimeInterval(seconds) + 0.5), now: now) == expected)
    }

    @Test func selectorsRenderLikeKubectl() throws {
        let selector = try LabelSelectorParser.parse("app=web,tier in (a,b),!legacy,env").wire
        #expect(Rendering.selector(selector) == "app=web,tier in (a,b),!legacy,env")
        #expect(Rendering.selector(nil) == "<none>")
    }

    @Test func problemsRenderAsOneLine() {
        let invalid = APIFailure(status: 422, problem: .init(
            _type: "/problems/invalid-argument", title: "Unprocessable Content", status: 422, detail: "spec.ttl: bad duration",
            errors: [.init(field: "spec.ttl", reason: "bad duration")]))
        #expect(invalid.description == "Unprocessable Content (422): spec.ttl: bad duration")
        let multiline = APIFailure(status: 400, problem: .init(
            _type: "/problems/bad-request", title: "Bad Request", status: 400, detail: "first\nsecond",
            errors: [.init(field: "metadata.name", reason: "is required")]))
        #expect(multiline.description == "Bad Request (400): first second; metadata.name: is required")
        let conflict = APIFailure(status: 409, body: Data(#"{"type":"/problems/already-exists","title":"Conflict","status":409,"detail":"backup 'a' already exists"}"#.utf8))
        #expect(conflict.description == "Conflict (409): backup 'a' already exists")
        #expect(APIFailure(status: 502, body: Data("<html>bad gateway</html>".utf8)).description == "HTTP 502")
    }
}

@Suite struct LabelSelectorParserTests {
    @Test func equalityAndSetRequirements() throws {
        let selector = try LabelSelectorParser.parse("app=web, tier!=db, env in (prod, staging), zone notin (a), gpu, !legacy, x==y")
        #expect(selector.matchLabels == ["app": "web", "x": "y"])
        #expect(selector.matchExpressions == [
            .init(key: "tier", operator: .notIn, values: ["db"]),
            .init(key: "env", operator: .in, values: ["prod", "staging"]),
            .init(key: "zone", operator: .notIn, values: ["a"]),
            .init(key: "gpu", operator: .exists, values: []),
            .init(key: "legacy", operator: .doesNotExist, values: []),
        ])
    }

    @Test(arguments: ["app in prod", "env in ()", "a=(b", "bad key=1", "=v"])
    func invalidSelectors(text: String) {
        #expect(throws: CLIError.self) { try LabelSelectorParser.parse(text) }
    }

    @Test func orSelectors() throws {
        #expect(try LabelSelectorParser.parseOr("a=b or c=d").count == 2)
        #expect(throws: CLIError.self) { try LabelSelectorParser.parseOr("a=b or ") }
    }
}

@Suite struct FlagParsingTests {
    @Test func commaListsAndMaps() throws {
        #expect(FlagParsing.commaList(["a,b", " c ", ",,"]) == ["a", "b", "c"])
        #expect(try FlagParsing.keyValueMap(["a=1,b=x=y"], flag: "--labels") == ["a": "1", "b": "x=y"])
        #expect(throws: CLIError.self) { try FlagParsing.keyValueMap(["novalue"], flag: "--labels") }
        #expect(try FlagParsing.namespaceMappings(["a:b", "c:d"]) == ["a": "b", "c": "d"])
    }
}
