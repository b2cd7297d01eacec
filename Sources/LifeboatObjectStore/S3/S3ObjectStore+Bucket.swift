import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

extension S3ObjectStore {
    /// Creates the configured bucket; for setup tools and tests (Velero never creates buckets).
    ///
    /// - Parameter objectLockEnabled: Create it with Object Lock, which retention on `put` requires.
    public func createBucket(objectLockEnabled: Bool = false) async throws {
        var headers: [(String, String)] = []
        if objectLockEnabled { headers.append(("x-amz-bucket-object-lock-enabled", "true")) }
        var body: ByteBuffer?
        if configuration.region != "us-east-1" {
            body = ByteBuffer(
                string: "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + xmlEscaped(configuration.region) + "</LocationConstraint></CreateBucketConfiguration>")
        }
        _ = try await sendCollecting(Operation(method: .PUT, key: nil, headers: headers, body: body))
    }
}
