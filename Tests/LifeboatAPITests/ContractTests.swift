import Foundation
import LifeboatAPI
import OpenAPIRuntime
import Testing

/// The contract itself: the spec is valid OpenAPI and Velero's documents decode into our wire types.
@Suite struct ContractTests {
    /// Repository root, found from this file's path so the test does not depend on the working directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func specIsValidOpenAPI() async throws {
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("openapi/validate.sh")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
    }

    /// A `velero-backup.json` as Velero v1.18 writes it maps straight onto `Backup`.
    @Test func veleroBackupJSONDecodesAsBackup() throws {
        let json = #"""
        {"kind":"Backup","apiVersion":"velero.io/v1",
         "metadata":{"name":"nightly-20260101000000","namespace":"velero","uid":"6f0c","resourceVersion":"1234","generation":7,
           "creationTimestamp":"2026-01-01T00:00:00Z","labels":{"velero.io/storage-location":"default","velero.io/schedule-name":"nightly"},
           "annotations":{"velero.io/source-cluster-k8s-gitversion":"v1.31.0"}},
         "spec":{"metadata":{},"includedNamespaces":["shop","db-*"],"excludedResources":["events"],"ttl":"720h0m0s",
           "hooks":{},"storageLocation":"default","volumeSnapshotLocations":["default"],"defaultVolumesToFsBackup":false,
           "labelSelector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]}]},
           "csiSnapshotTimeout":"10m0s","itemOperationTimeout":"4h0m0s","snapshotMoveData":false},
         "status":{"version":1,"formatVersion":"1.1.0","expiration":"2026-01-31T00:00:00Z","phase":"Completed",
           "startTimestamp":"2026-01-01T00:00:01Z","completionTimestamp":"2026-01-01T00:00:09.5Z",
           "progress":{"totalItems":42,"itemsBackedUp":42},"warnings":1,"hookStatus":{}}}
        """#
        let backup = try JSONDecoder.lifeboat.decode(Components.Schemas.Backup.self, from: Data(json.utf8))
        #expect(backup.metadata.name == "nightly-20260101000000")
        #expect(backup.spec.includedNamespaces == ["shop", "db-*"])
        #expect(backup.spec.labelSelector?.matchExpressions?.first?._operator == .notIn)
        #expect(backup.status?.phase == .completed)
        #expect(backup.status?.progress?.itemsBackedUp == 42)
        #expect(backup.status?.completionTimestamp != nil)
    }

    /// Specs are strict: an unknown field is an error, not silently dropped.
    @Test func unknownSpecFieldIsRejected() {
        let json = #"{"metadata":{"name":"a"},"spec":{"cluster":"prod","includedNamespace":["typo"]}}"#
        #expect(throws: (any Error).self) {
            try JSONDecoder.lifeboat.decode(Components.Schemas.Backup.self, from: Data(json.utf8))
        }
    }

    @Test(arguments: ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123Z", "2026-01-02T05:04:05+02:00"])
    func datesWithAndWithoutFractionsDecode(text: String) throws {
        let date = try KubernetesDateTranscoder().decode(text)
        #expect(abs(date.timeIntervalSince1970 - 1_767_323_045) < 1)
        #expect(try KubernetesDateTranscoder().encode(date) == "2026-01-02T03:04:05Z")
    }
}

extension JSONDecoder {
    /// A decoder with the API's date rules, for decoding wire documents in tests.
    static var lifeboat: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try KubernetesDateTranscoder().decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }
}
