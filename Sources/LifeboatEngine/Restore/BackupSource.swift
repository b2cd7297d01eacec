import Crypto
import LifeboatArchive
import LifeboatCore
import LifeboatObjectStore
import NIOCore

/// A backup read back from its location for a restore: the tarball downloaded once, hashed while it is indexed,
/// and checked against the size and SHA-256 its `velero-backup.json` records, all before anything is created.
///
/// A Velero-written backup records no digests; it is indexed all the same (the gzip and tar layers still catch
/// truncation), and the log says it was not verified. Entries with absolute paths, `..`, links or devices fail
/// the read (`TarReader`), so a hostile tarball cannot name files outside the archive.
public struct BackupSource: Sendable {
    public let index: BackupArchiveIndex
    /// The digest recorded for the tarball, nil for backups written by Velero.
    public let recordedDigest: ArtifactDigest?
    /// What was downloaded.
    public let digest: ArtifactDigest

    /// Why a backup cannot be restored; the restore fails with this before touching the cluster.
    public struct Unusable: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(backup name: String, from store: any ObjectStore, layout: StorageLayout) async throws -> BackupSource {
        let keys = try layout.backup(name)
        let metadata: [UInt8]
        do {
            var buffer = try await store.getBytes(key: keys.metadata, upTo: 16 << 20)
            metadata = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch ObjectStoreError.noSuchKey {
            throw Unusable(description: "backup \(name) is not complete in its location: \(keys.metadata) does not exist")
        }
        let recorded = try BackupMetadata.artifacts(inDocument: metadata)["\(name).tar.gz"]

        let download: ObjectDownload
        do {
            download = try await store.get(key: keys.contents)
        } catch ObjectStoreError.noSuchKey {
            throw Unusable(description: "the tarball \(keys.contents) of backup \(name) does not exist")
        }
        let reader = try BackupArchiveReader()
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            for try await chunk in download.body {
                let bytes = Array(chunk.readableBytesView)
                hasher.update(data: bytes)
                size += Int64(bytes.count)
                try reader.consume(bytes)
            }
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw Unusable(description: "the tarball of backup \(name) is unreadable: \(error)")
        }
        let digest = ArtifactDigest(sha256: hasher.finalize().hexString, size: size)
        if let recorded, recorded != digest {
            throw Unusable(description: "the tarball of backup \(name) does not match its recorded checksum (recorded \(recorded), downloaded \(digest))")
        }
        let index: BackupArchiveIndex
        do {
            index = try reader.finish()
        } catch {
            throw Unusable(description: "the tarball of backup \(name) is unreadable: \(error)")
        }
        return BackupSource(index: index, recordedDigest: recorded, digest: digest)
    }
}
