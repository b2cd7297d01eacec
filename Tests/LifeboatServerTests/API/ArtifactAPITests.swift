import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeboatAPI
import LifeboatArchive
import LifeboatCore
import LifeboatStore
import NIOCore
import NIOFoundationCompat
@testable import LifeboatServer
import Testing

/// Backup and restore artifacts served from a real filesystem location through the real router: artifacts written
/// by hand in Velero's layout, under a location prefix, with the LifeboatArchive types the engine uses.
@Suite struct ArtifactAPITests {
    @Test func completedBackupServesItsLogResourcesResultsAndTarball() async throws {
        let fixtures = try ArtifactFixtures()
        let log = ArtifactFixtures.logText()
        let tarball = try ArtifactFixtures.tarball()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: log, tarball: tarball)

            try await client.send(.get, "/v1/backups/nightly/logs", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body) == log)
            }
            try await client.send(.get, "/v1/backups/nightly/resources", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                let list = try JSONDecoder().decode(Components.Schemas.ResourceList.self, from: Data(buffer: response.body))
                #expect(list.additionalProperties == ArtifactFixtures.resourceList.entries)
            }
            try await client.send(.get, "/v1/backups/nightly/results", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                let results = try JSONDecoder().decode(Components.Schemas.Results.self, from: Data(buffer: response.body))
                #expect(results.warnings?.namespaces?.additionalProperties["shop"] == ["configmaps/web-env: annotation dropped"])
                #expect(results.warnings?.velero == ["volume snapshots are not supported"])
                #expect(results.errors?.cluster == ["clusterroles/edit: forbidden"])
                #expect(results.errors?.namespaces == nil)
            }
            try await client.send(.get, "/v1/backups/nightly/download", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/gzip")
                #expect(Array(response.body.readableBytesView) == tarball)
            }
        }
        #expect(tarball.count > 2 * 1024 * 1024)  // several chunks of the store, so holding back the last one is exercised
    }

    @Test func tarballThatNoLongerMatchesItsChecksumAbortsTheDownload() async throws {
        let logs = CapturedLogs()
        let fixtures = try ArtifactFixtures(logger: logs.logger())
        let tarball = try ArtifactFixtures.tarball()
        var bytes = tarball
        bytes[bytes.count / 2] ^= 0xff  // same size, different bytes
        let tampered = bytes
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "x\n", tarball: tampered, recordedTarball: tarball)
            await #expect(throws: (any Error).self) {
                try await client.send(.get, "/v1/backups/nightly/download")
            }
            // A size that differs from the record fails the same way.
            try await fixtures.put(try fixtures.layout.backup("nightly").contents, Array(tarball.dropLast()))
            await #expect(throws: (any Error).self) {
                try await client.send(.get, "/v1/backups/nightly/download")
            }
            // The other artifacts are unaffected.
            try await client.send(.get, "/v1/backups/nightly/logs") { #expect(String(buffer: $0.body) == "x\n") }
        }
        let mismatches = logs.all.split(separator: "\n").filter { $0.contains("does not match its recorded checksum") }
        #expect(mismatches.count == 2)
        #expect(mismatches.first?.hasPrefix("error") == true)
        #expect(mismatches.first?.contains("its SHA-256 is") == true)
        #expect(mismatches.last?.contains("the backup recorded \(tarball.count)") == true)
        #expect(mismatches.allSatisfy { $0.contains("hb.request.id") && $0.contains("backup.name") })
    }

    /// Over a real socket: the client must see a broken response, not a complete file with the wrong bytes.
    @Test func overHTTPATamperedDownloadIsCutShortAndAGoodOneIsComplete() async throws {
        let fixtures = try ArtifactFixtures()
        let tarball = try ArtifactFixtures.tarball()
        var bytes = tarball
        bytes[10] ^= 0x01
        let tampered = bytes
        try await fixtures.server.application().test(.live) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "x\n", tarball: tarball)
            try await client.send(.get, "/v1/backups/nightly/download") { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == "\(tarball.count)")
                #expect(Array(response.body.readableBytesView) == tarball)
            }
            try await fixtures.put(try fixtures.layout.backup("nightly").contents, tampered)
            await #expect(throws: (any Error).self) {
                try await client.send(.get, "/v1/backups/nightly/download") { response throws in
                    // Should the client hand over a response at all, it must not be the whole object.
                    #expect(response.body.readableBytes < tarball.count)
                }
            }
        }
    }

    @Test func unfinishedBackupHasNoArtifactsYet() async throws {
        let fixtures = try ArtifactFixtures()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            for phase in [BackupPhase.new, .inProgress] {
                var status = BackupStatus(phase: phase)
                status.startTimestamp = phase == .inProgress ? Date() : nil
                try await fixtures.server.database.updateBackupStatus(BackupName("nightly"), status)
                for artifact in ["logs", "resources", "results", "download"] {
                    try await client.send(.get, "/v1/backups/nightly/\(artifact)") { response throws in
                        #expect(response.status == .conflict)
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(try problem(response).detail?.contains("no stored artifacts (phase \(phase.rawValue))") == true)
                    }
                }
            }
            try await client.send(.get, "/v1/backups/ghost/logs") { #expect($0.status == .notFound) }
        }
    }

    @Test func finishedBackupWithoutItsObjectsIsNotFound() async throws {
        let fixtures = try ArtifactFixtures()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.markCompleted("nightly", tarball: [1, 2, 3])
            let expected = [
                ("logs", "backup logs 'nightly' does not exist"), ("resources", "backup resource list 'nightly' does not exist"),
                ("results", "backup results 'nightly' does not exist"), ("download", "backup tarball 'nightly' does not exist"),
            ]
            for (artifact, detail) in expected {
                try await client.send(.get, "/v1/backups/nightly/\(artifact)") { response throws in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(try problem(response).detail == detail)
                    #expect(try problem(response).detail?.contains(fixtures.root) == false)
                }
            }
        }
    }

    @Test func corruptLogIsAnAbortedStreamAndCorruptSidecarsAConflict() async throws {
        let fixtures = try ArtifactFixtures()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "fine\n", tarball: [0x1f, 0x8b])
            let keys = try fixtures.layout.backup("nightly")
            try await fixtures.put(keys.logs, Array("not gzip at all".utf8))
            try await fixtures.put(keys.results, try GzipCompressor.compress(Array("[1,2]".utf8)))
            await #expect(throws: (any Error).self) { try await client.send(.get, "/v1/backups/nightly/logs") }
            try await client.send(.get, "/v1/backups/nightly/results") { response throws in
                #expect(response.status == .conflict)
                #expect(try problem(response).detail?.hasPrefix("the stored backup results of 'nightly' cannot be read") == true)
            }
        }
    }

    @Test func finishedRestoreServesItsLogResultsAndItems() async throws {
        let fixtures = try ArtifactFixtures()
        let log = ArtifactFixtures.logText(lines: 2_000)
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "backup\n", tarball: try ArtifactFixtures.tarball())
            try await fixtures.writeRestore(client, "r1", log: log)

            try await client.send(.get, "/v1/restores/r1/logs", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == log)
            }
            try await client.send(.get, "/v1/restores/r1/results", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                let results = try JSONDecoder().decode(Components.Schemas.Results.self, from: Data(buffer: response.body))
                #expect(results.errors?.cluster == ["clusterroles/edit: forbidden"])
            }
            try await client.send(.get, "/v1/restores/r1/items", token: RoleTokens.viewer) { response throws in
                #expect(response.status == .ok)
                let items = try JSONDecoder().decode(Components.Schemas.RestoreItemResults.self, from: Data(buffer: response.body))
                #expect(items.preview == false)
                #expect(items.items.map(\.outcome) == [.created, .created, .skipped, .failed])
                #expect(items.items[1].targetNamespace == "shop-copy")
                #expect(items.items[0].namespace == nil)
                #expect(items.items[3].reason == "admission webhook denied the request")
            }
        }
    }

    @Test func unfinishedRestoreHasNoArtifactsAndAMissingOneIsNotFound() async throws {
        let fixtures = try ArtifactFixtures()
        try await fixtures.server.application().test(.router) { client in
            try await fixtures.prepare(client)
            try await fixtures.writeCompletedBackup(log: "backup\n", tarball: [0x1f, 0x8b])
            try await fixtures.writeRestore(client, "queued", log: "r\n", finished: false)
            for artifact in ["logs", "results", "items"] {
                try await client.send(.get, "/v1/restores/queued/\(artifact)") { response throws in
                    #expect(response.status == .conflict)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            try await client.send(.post, "/v1/restores", json: #"{"metadata":{"name":"bare"},"spec":{"backupName":"nightly"}}"#)
            var status = RestoreStatus(phase: .completed)
            status.startTimestamp = Date()
            try await fixtures.server.database.updateRestoreStatus(RestoreName("bare"), status)
            try await client.send(.get, "/v1/restores/bare/items") { response throws in
                #expect(response.status == .notFound)
                #expect(try problem(response).detail == "restore item results 'bare' does not exist")
            }
        }
    }
}
