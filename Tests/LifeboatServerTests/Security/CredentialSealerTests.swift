import Crypto
import Foundation
import LifeboatCore
@testable import LifeboatServer
import LifeboatStore
import Testing

func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-security-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func posixMode(_ url: URL) throws -> Int {
    let value = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]
    return (value as? Int) ?? (value as? NSNumber)?.intValue ?? -1
}

@Suite struct CredentialSealerTests {
    let plaintext = Data("[default]\naws_access_key_id = AKIASECRETEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n".utf8)

    @Test func sealsAndOpens() throws {
        let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
        let sealed = try sealer.seal(plaintext)
        #expect(sealed.sealedBox.count == plaintext.count + 12 + 16)  // nonce + ciphertext + tag
        #expect(sealed.sealedBox.range(of: Data("AKIASECRETEXAMPLE".utf8)) == nil)
        #expect(try sealer.open(sealed) == plaintext)
        #expect(try sealer.seal(plaintext).sealedBox != sealed.sealedBox)  // fresh nonce every time
    }

    @Test func theIdIsAuthenticated() throws {
        let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
        let sealed = try sealer.seal(plaintext)
        let moved = SealedCredential(id: CredentialID(), sealedBox: sealed.sealedBox)
        #expect(throws: CredentialSealer.OpenFailure.self) { try sealer.open(moved) }
        var tampered = sealed
        tampered.sealedBox[20] ^= 0x01
        #expect(throws: CredentialSealer.OpenFailure.self) { try sealer.open(tampered) }
        #expect(throws: CredentialSealer.OpenFailure.self) { try CredentialSealer(key: SymmetricKey(size: .bits256)).open(sealed) }
    }

    @Test func keyFileIsCreatedOnceWithMode0600() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try CredentialSealer.loadOrCreateKey(in: directory)
        let keyFile = directory.appendingPathComponent(CredentialSealer.keyFileName)
        #expect(try posixMode(keyFile) == 0o600)
        #expect(try Data(contentsOf: keyFile).count == 32)
        let sealed = try first.seal(plaintext)
        let second = try CredentialSealer.loadOrCreateKey(in: directory)  // the next start reads the same key
        #expect(try second.open(sealed) == plaintext)
    }

    @Test(arguments: [0o644, 0o640, 0o604])
    func readableKeyFilesAreRefused(mode: Int) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CredentialSealer.loadOrCreateKey(in: directory)
        let keyFile = directory.appendingPathComponent(CredentialSealer.keyFileName)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keyFile.path)
        do {
            _ = try CredentialSealer.loadOrCreateKey(in: directory)
            Issue.record("a key file with mode \(String(mode, radix: 8)) was accepted")
        } catch {
            #expect("\(error)".contains("must not be readable by group or others"))
        }
    }

    @Test func malformedKeyFilesAreRefused() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent(CredentialSealer.keyFileName)
        try SecretFile.create(keyFile, data: Data(repeating: 7, count: 16))
        #expect(throws: SecretFile.Failure.self) { try CredentialSealer.loadOrCreateKey(in: directory) }
    }

    @Test func descriptionHidesTheKey() {
        #expect(CredentialSealer(key: SymmetricKey(size: .bits256)).description == "CredentialSealer(AES-GCM-256, key: <redacted>)")
    }

    @Test func theCatalogFileNeverContainsPlaintextCredentials() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = try CredentialSealer.loadOrCreateKey(in: directory)
        let database = try AppDatabase.open(in: directory)
        let kubeconfigSecret = "token: kubeconfig-secret-9f8e7d6c"
        let clusterCredential = try sealer.seal(Data("users:\n- user:\n    \(kubeconfigSecret)\n".utf8))
        let cluster = Cluster(metadata: ObjectMeta(name: try ClusterName("prod")),
                              spec: ClusterSpec(source: .kubeconfig, credential: clusterCredential.id))
        _ = try await database.createCluster(cluster, credential: clusterCredential)
        let locationCredential = try sealer.seal(plaintext)
        var location = BackupStorageLocation(
            metadata: ObjectMeta(name: try LocationName("minio")),
            spec: BackupStorageLocationSpec(provider: .s3, objectStorage: ObjectStorageLocation(bucket: "velero")))
        location.spec.credential = locationCredential.id
        _ = try await database.createLocation(location, credential: locationCredential)
        let stored = try await database.sealedCredential(clusterCredential.id)
        #expect(String(decoding: try sealer.open(stored), as: UTF8.self).contains(kubeconfigSecret))
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasPrefix(AppDatabase.fileName) {
            bytes += try Data(contentsOf: directory.appendingPathComponent(file))
        }
        #expect(!bytes.isEmpty)
        for secret in ["kubeconfig-secret-9f8e7d6c", "AKIASECRETEXAMPLE", "wJalrXUtnFEMI"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in the catalog files")
        }
    }
}
