import Foundation
import LifeboatCore
import LifeboatObjectStore
import Testing

@testable import LifeboatObjectStore

/// A Velero BSL's config map must configure the store unchanged; credentials name their source only.
@Suite struct S3ConfigurationTests {
    @Test func veleroMinIOQuickStartConfigMapsOneToOne() throws {
        let configuration = try S3Configuration(
            bucket: "velero",
            veleroConfig: [
                "region": "minio", "s3ForcePathStyle": "true", "s3Url": "http://minio.velero.svc:9000",
                "insecureSkipTLSVerify": "true", "credentialsFile": "/credentials/cloud", "profile": "backup",
                "publicUrl": "https://minio.example.com", "checksumAlgorithm": "",
            ])
        #expect(configuration.region == "minio")
        #expect(configuration.forcePathStyle)
        #expect(configuration.endpoint?.absoluteString == "http://minio.velero.svc:9000")
        #expect(configuration.publicEndpoint?.absoluteString == "https://minio.example.com")
        #expect(configuration.insecureSkipTLSVerify)
        #expect(configuration.credentials == .sharedCredentialsFile(path: "/credentials/cloud", profile: "backup"))
        #expect(configuration.checksumAlgorithm == nil)
        let endpoint = S3ObjectStore.endpoint(for: configuration)
        #expect(endpoint.pathStyle && endpoint.hostHeader == "minio.velero.svc:9000")
    }

    @Test func awsDefaultsAreVirtualHostedWithEnvironmentCredentials() throws {
        let configuration = try S3Configuration(
            bucket: "my-backups", veleroConfig: ["region": "eu-west-1", "checksumAlgorithm": "SHA256"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s"])
        #expect(configuration.checksumAlgorithm == .sha256)
        let endpoint = S3ObjectStore.endpoint(for: configuration)
        #expect(!endpoint.pathStyle)
        #expect(endpoint.scheme == "https" && endpoint.hostHeader == "s3.eu-west-1.amazonaws.com")
        #expect(try configuration.credentials.load().source.contains("environment"))
        // Dotted bucket names do not match AWS's wildcard certificate: path style.
        let dotted = try S3Configuration(bucket: "my.backups", veleroConfig: [:])
        #expect(S3ObjectStore.endpoint(for: dotted).pathStyle)
    }

    @Test(arguments: [
        ["serverSideEncryption": "aws:kms"], ["kmsKeyId": "k"], ["signatureVersion": "1"], ["s3Url": "ftp://x"],
        ["s3ForcePathStyle": "yes please"], ["checksumAlgorithm": "MD4"], ["madeUp": "1"],
    ])
    func configThatWouldWeakenOrConfuseIsRefused(config: [String: String]) {
        #expect(throws: ObjectStoreError.self) { try S3Configuration(bucket: "b", veleroConfig: config) }
    }

    @Test func virtualHostedRequestsPutTheBucketInTheHostName() async throws {
        let credentials = S3CredentialSource.staticKeys(S3Credentials(accessKeyID: "a", secretAccessKey: "b", source: "test"))
        let virtual = try S3ObjectStore(
            configuration: S3Configuration(bucket: "backups", endpoint: URL(string: "https://s3.example.com:8443"), credentials: credentials),
            logger: TestSupport.logger)
        #expect(virtual.requestHost == "backups.s3.example.com:8443")
        #expect(virtual.encodedPath(for: "dir/a b+ü") == "/dir/a%20b%2B%C3%BC")
        #expect(virtual.encodedPath(for: nil) == "/")
        let url = try await virtual.presignedGetURL(key: "dir/x", expiresIn: .seconds(60))
        #expect(url.host == "backups.s3.example.com" && url.path == "/dir/x")
        try await virtual.shutdown()

        let pathStyle = try S3ObjectStore(
            configuration: S3Configuration(bucket: "backups", endpoint: URL(string: "http://minio:9000"), forcePathStyle: true, credentials: credentials),
            logger: TestSupport.logger)
        #expect(pathStyle.requestHost == "minio:9000")
        #expect(pathStyle.encodedPath(for: "k") == "/backups/k")
        #expect(pathStyle.encodedPath(for: nil) == "/backups")
        try await pathStyle.shutdown()
    }

    @Test func aCABundleThatIsNotPEMIsRefused() {
        let credentials = S3CredentialSource.staticKeys(S3Credentials(accessKeyID: "a", secretAccessKey: "b", source: "test"))
        #expect(throws: ObjectStoreError.invalidArgument(reason: "the CA bundle (caCert) is not valid PEM")) {
            _ = try S3ObjectStore(
                configuration: S3Configuration(bucket: "b", credentials: credentials, caBundlePEM: "not a certificate"), logger: TestSupport.logger)
        }
    }

    @Test func partSizeOutsideEightToSixtyFourMiBIsRefused() throws {
        let credentials = S3CredentialSource.staticKeys(S3Credentials(accessKeyID: "a", secretAccessKey: "b", source: "test"))
        for partSize in [5 * 1024 * 1024, 65 * 1024 * 1024] {
            #expect(throws: ObjectStoreError.self) {
                _ = try S3ObjectStore(configuration: S3Configuration(bucket: "b", credentials: credentials, partSize: partSize), logger: TestSupport.logger)
            }
        }
    }

    @Test func sharedCredentialsFileProfilesAreReadAndErrorsNameTheSource() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials-velero")
        try """
            # Velero quick start
            [default]
            aws_access_key_id = minio
            aws_secret_access_key = minio123

            [profile backup]
            aws_access_key_id=AKIABACKUP
            aws_secret_access_key=backup-secret-value
            aws_session_token = token-value
            """.write(to: file, atomically: true, encoding: .utf8)
        let defaultProfile = try S3CredentialSource.sharedCredentialsFile(path: file.path, profile: "default").load()
        #expect(defaultProfile.accessKeyID == "minio" && defaultProfile.secretAccessKey == "minio123")
        #expect(defaultProfile.source == "profile default in \(file.path)")
        let backup = try S3CredentialSource.sharedCredentialsFile(path: file.path, profile: "backup").load()
        #expect(backup.accessKeyID == "AKIABACKUP" && backup.sessionToken == "token-value")
        #expect(!String(describing: backup).contains("backup-secret-value"))
        #expect(!String(reflecting: backup).contains("backup-secret-value"))

        #expect(throws: ObjectStoreError.credentialsUnavailable(source: "profile missing in \(file.path)", reason: "the profile is not in the file")) {
            _ = try S3CredentialSource.sharedCredentialsFile(path: file.path, profile: "missing").load()
        }
        #expect(throws: ObjectStoreError.self) {
            _ = try S3CredentialSource.sharedCredentialsFile(path: directory.appendingPathComponent("absent").path, profile: "default").load()
        }
        #expect(throws: ObjectStoreError.self) { _ = try S3CredentialSource.environment([:]).load() }
    }

    @Test func sessionTokensAreSignedIntoRequests() {
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKIA", secretAccessKey: "s", sessionToken: "session-token", source: "test"),
            region: "us-east-1")
        var headers: [(String, String)] = []
        signer.sign(method: "GET", host: "h", encodedPath: "/", query: [], headers: &headers, payloadHash: SigV4Signer.emptyPayloadHash, date: Date())
        #expect(headers.contains { $0.0 == "x-amz-security-token" && $0.1 == "session-token" })
        #expect(headers.first { $0.0 == "Authorization" }?.1.contains("x-amz-security-token") == true)
    }

    @Test func errorsMapToLifeboatErrors() {
        #expect(ObjectStoreError.noSuchKey(bucket: "b", key: "k").lifeboatError == .notFound(kind: "object", name: "k"))
        #expect(ObjectStoreError.noSuchBucket(bucket: "b").lifeboatError == .notFound(kind: "bucket", name: "b"))
        guard case .unavailable(let dependency) = ObjectStoreError.signatureDoesNotMatch(bucket: "b", credentialSource: "profile x in /f").lifeboatError else {
            Issue.record("a signature mismatch should be an unavailable dependency")
            return
        }
        #expect(dependency.contains("profile x in /f"))
    }
}
