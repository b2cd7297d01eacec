import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// An S3 error answer (`<Error><Code>…`), and how it maps to ``ObjectStoreError``.
struct S3ErrorResponse: Sendable {
    var status: Int
    var code: String
    var message: String
    var requestID: String?

    init(status: Int, code: String, message: String, requestID: String?) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// Reads the error document; HEAD answers have none, so their status alone decides.
    init(response: HTTPClientResponse, isHead: Bool) async {
        status = Int(response.status.code)
        requestID = response.headers.first(name: "x-amz-request-id")
        code = Self.codeForStatus(status)
        message = response.status.reasonPhrase
        guard !isHead, let body = try? await response.body.collect(upTo: 1024 * 1024), body.readableBytes > 0,
            let document = try? S3XMLElement.parse(Array(body.readableBytesView))
        else { return }
        let error = document.name == "Error" ? document : document.child("Error")
        if let error {
            code = error.value("Code") ?? code
            message = error.value("Message") ?? message
            requestID = error.value("RequestId") ?? requestID
        }
    }

    private static func codeForStatus(_ status: Int) -> String {
        switch status {
        case 404: "NotFound"
        case 403: "Forbidden"
        case 416: "InvalidRange"
        case 412: "PreconditionFailed"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }

    /// Throttling, server-side failures and timeouts: the same request may well succeed later.
    var isRetryable: Bool {
        if [500, 502, 503, 504].contains(status) { return true }
        return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestTimeTooSkewed"]
            .contains(code)
    }

    func mapped(bucket: String, key: String?, credentialSource: String) -> ObjectStoreError {
        switch code {
        case "NoSuchKey": return .noSuchKey(bucket: bucket, key: key ?? "")
        case "NotFound" where key != nil: return .noSuchKey(bucket: bucket, key: key ?? "")
        case "NoSuchBucket": return .noSuchBucket(bucket: bucket)
        case "AccessDenied", "Forbidden", "AllAccessDisabled":
            return .accessDenied(bucket: bucket, key: key, message: code == "Forbidden" ? "403 Forbidden (or a wrong signature from \(credentialSource))" : message)
        case "SignatureDoesNotMatch": return .signatureDoesNotMatch(bucket: bucket, credentialSource: credentialSource)
        case "InvalidAccessKeyId", "InvalidToken", "ExpiredToken": return .invalidAccessKey(bucket: bucket, credentialSource: credentialSource)
        case "InvalidRange": return .invalidRange(key: key ?? "")
        case "PreconditionFailed": return .objectChanged(key: key ?? "")
        case "BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "IncompleteBody":
            return .integrity(key: key ?? "", reason: "the server rejected the body: \(code)")
        default: return .server(status: status, code: code, message: message, requestID: requestID)
        }
    }
}
