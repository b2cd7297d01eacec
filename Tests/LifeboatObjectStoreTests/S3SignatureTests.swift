import Foundation
import LifeboatObjectStore
import NIOCore
import Testing

@testable import LifeboatObjectStore

/// SigV4 against published vectors, the AWS SDK's signer, and moto with signature checking on.
@Suite struct S3SignatureTests {
    static let exampleCredentials = S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", source: "AWS documentation example")

    static func exampleDate() -> Date {
        Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    }

    /// "Example: GET Object" from the S3 SigV4 header-signing documentation.
    @Test func headerSignatureMatchesTheAWSDocumentationExample() {
        let signer = SigV4Signer(credentials: Self.exampleCredentials, region: "us-east-1")
        var headers: [(String, String)] = [("Range", "bytes=0-9")]
        signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", encodedPath: "/test.txt", query: [], headers: &headers,
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.exampleDate())
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// "Example: GET Object" from the S3 SigV4 query-string (pre-signed URL) documentation.
    @Test func presignedSignatureMatchesTheAWSDocumentationExample() {
        let signer = SigV4Signer(credentials: Self.exampleCredentials, region: "us-east-1")
        let query = signer.presignedQuery(
            host: "examplebucket.s3.amazonaws.com", encodedPath: "/test.txt", query: [], expires: 86400, date: Self.exampleDate())
        #expect(query.contains("&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&"))
    }

    @Test func keysAreEncodedOnceWithSlashesKept() {
        #expect(SigV4Signer.uriEncode("dir/a b+c/ü~x=.json", keepSlash: true) == "dir/a%20b%2Bc/%C3%BC~x%3D.json")
        #expect(SigV4Signer.canonicalQuery([("prefix", "a/b c"), ("delimiter", "/"), ("list-type", "2")])
            == "delimiter=%2F&list-type=2&prefix=a%2Fb%20c")
    }

    @Test func presignedURLMatchesTheAWSSDKSigner() async throws {
        try await TestSupport.withS3Store(label: "presign") { store, moto in
            let url = try await store.presignedGetURL(key: "logs/a b+c ü.gz", expiresIn: .seconds(600))
            #expect(url.path.hasSuffix("/logs/a b+c ü.gz"))
            let expected = try await ChildProcess.run([
                "python3", TestSupport.script("presign_check.py"), url.absoluteString, moto.accessKeyID, moto.secretAccessKey, "us-east-1",
            ]).trimmingCharacters(in: .whitespacesAndNewlines)
            let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            #expect(components?.queryItems?.first { $0.name == "X-Amz-Signature" }?.value == expected)
            #expect(!url.absoluteString.contains(moto.secretAccessKey))
        }
    }

    @Test func aWrongSecretIsSignatureDoesNotMatchNamingTheSourceNotTheSecret() async throws {
        let wrongSecret = "not-the-secret-0123456789abcdefghijklmnop"
        try await TestSupport.withS3Store(label: "wrongsecret", secret: wrongSecret) { store, _ in
            for operation in ["put", "get", "list"] {
                do {
                    switch operation {
                    case "put": try await store.put(key: "k", bytes: ByteBuffer(string: "v"))
                    case "get": _ = try await store.get(key: "k")
                    default: _ = try await store.list(prefix: "", delimiter: "/", maxKeys: 10, continuationToken: nil)
                    }
                    Issue.record("\(operation) with a wrong secret succeeded")
                } catch let error as ObjectStoreError {
                    #expect(error == .signatureDoesNotMatch(bucket: store.configuration.bucket, credentialSource: "static keys of test location wrongsecret"))
                    #expect(String(describing: error).contains("static keys of test location wrongsecret"))
                    #expect(!String(describing: error).contains(wrongSecret))
                    #expect(!String(reflecting: error).contains(wrongSecret))
                }
            }
        }
    }

    @Test func anUnknownAccessKeyIsInvalidAccessKey() async throws {
        let moto = try await MotoServer.shared.endpoint()
        let configuration = S3Configuration(
            bucket: TestSupport.uniqueBucket("unknownkey"), endpoint: moto.url, forcePathStyle: true,
            credentials: .staticKeys(S3Credentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: "whatever", source: "test profile")))
        try await TestSupport.withStore(configuration) { store in
            await #expect(throws: ObjectStoreError.invalidAccessKey(bucket: configuration.bucket, credentialSource: "test profile")) {
                _ = try await store.list(prefix: "", delimiter: nil, maxKeys: 1, continuationToken: nil)
            }
        }
    }

    @Test func aMissingBucketIsNoSuchBucket() async throws {
        try await TestSupport.withS3Store(label: "nobucket", createBucket: false) { store, _ in
            await #expect(throws: ObjectStoreError.noSuchBucket(bucket: store.configuration.bucket)) {
                _ = try await store.list(prefix: "", delimiter: nil, maxKeys: 1, continuationToken: nil)
            }
        }
    }
}
