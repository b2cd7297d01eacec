import Foundation
import LifeboatCore

/// Size and SHA-256 of one file of a backup or restore, as recorded in its metadata and checked before use.
public struct ArtifactDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Lowercase hex.
    public var sha256: String
    public var size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }

    /// `sha256:<hex>`, the form of `status.checksum`.
    public var checksum: String { "sha256:\(sha256)" }

    public var description: String { "\(size) bytes, sha256 \(sha256)" }
}

/// `backups/<B>/velero-backup.json`: the whole Backup as a Velero `velero.io/v1` object that Velero's backup sync
/// accepts, written last so that its presence means the backup is complete.
///
/// Lifeboat adds the annotation `lifeboat.io/artifacts`, a JSON object from file name (`<B>.tar.gz`, `<B>-logs.gz` …)
/// to its size and SHA-256; Velero ignores it, and restores and downloads verify every file against it.
public struct BackupMetadata: Sendable {
    public static let artifactsAnnotation = "lifeboat.io/artifacts"
    /// Velero's objects live in its install namespace; the document says `velero` so Velero can sync it.
    public static let namespace = "velero"

    public var backup: Backup
    public var artifacts: [String: ArtifactDigest]

    public init(backup: Backup, artifacts: [String: ArtifactDigest]) {
        self.backup = backup
        self.artifacts = artifacts
    }

    private struct Document: Encodable {
        struct Metadata: Encodable {
            var name: String
            var namespace: String
            var uid: String
            var labels: [String: String]?
            var annotations: [String: String]?
            var creationTimestamp: Date
        }

        var apiVersion = "velero.io/v1"
        var kind = "Backup"
        var metadata: Metadata
        var spec: BackupSpec
        var status: BackupStatus
    }

    /// The document: keys sorted, RFC 3339 times in UTC, as Go's encoder writes them.
    public func jsonBytes() throws -> [UInt8] {
        var annotations = backup.metadata.annotations
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        annotations[Self.artifactsAnnotation] = String(decoding: try encoder.encode(artifacts), as: UTF8.self)
        encoder.dateEncodingStrategy = .iso8601
        let document = Document(
            metadata: .init(name: backup.name.rawValue, namespace: Self.namespace, uid: backup.metadata.uid.uuidString.lowercased(),
                            labels: backup.metadata.labels.isEmpty ? nil : backup.metadata.labels, annotations: annotations,
                            creationTimestamp: backup.metadata.creationTimestamp),
            spec: backup.spec, status: backup.status)
        return Array(try encoder.encode(document))
    }

    /// The artifact digests recorded in a `velero-backup.json`; empty for documents Velero wrote (they carry none).
    public static func artifacts(inDocument json: [UInt8]) throws -> [String: ArtifactDigest] {
        struct Probe: Decodable {
            struct Metadata: Decodable { var annotations: [String: String]? }
            var metadata: Metadata?
        }
        let probe: Probe
        do {
            probe = try JSONDecoder().decode(Probe.self, from: Data(json))
        } catch {
            throw LifeboatError.invalidArgument(field: "velero-backup.json", reason: "is not a Backup document: \(error)")
        }
        guard let text = probe.metadata?.annotations?[artifactsAnnotation] else { return [:] }
        do {
            return try JSONDecoder().decode([String: ArtifactDigest].self, from: Data(text.utf8))
        } catch {
            throw LifeboatError.invalidArgument(field: "metadata.annotations[\(artifactsAnnotation)]", reason: "is not a digest map: \(error)")
        }
    }
}
