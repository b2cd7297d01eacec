import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// AWS Signature Version 4 for S3: header signing for requests and query signing for pre-signed URLs.
///
/// S3 flavour: the path is encoded once (not normalised, not double-encoded) and the payload hash
/// travels in `x-amz-content-sha256`. See the SigV4 reference in the AWS General Reference.
struct SigV4Signer: Sendable {
    let credentials: S3Credentials
    let region: String
    var service = "s3"

    static let emptyPayloadHash = SHA256.hash(data: [UInt8]()).hexString
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Adds `host`, `x-amz-date`, `x-amz-content-sha256`, the session token and `Authorization` to `headers`.
    ///
    /// - Parameters:
    ///   - encodedPath: The request path exactly as it goes on the wire (already URI-encoded).
    ///   - query: Query parameters, not encoded.
    func sign(
        method: String, host: String, encodedPath: String, query: [(String, String)],
        headers: inout [(String, String)], payloadHash: String, date: Date
    ) {
        let timestamp = Self.timestamp(date)
        headers.append(("host", host))
        headers.append(("x-amz-date", timestamp))
        headers.append(("x-amz-content-sha256", payloadHash))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        let canonicalHeaders = Self.canonicalHeaders(headers)
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            method,
            encodedPath,
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = scope(date: timestamp)
        let signature = signature(canonicalRequest: canonicalRequest, timestamp: timestamp, scope: scope)
        headers.append((
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        ))
    }

    /// The full query string (encoded) of a pre-signed GET of `encodedPath`, valid for `expires` seconds.
    func presignedQuery(host: String, encodedPath: String, query: [(String, String)], expires: Int, date: Date) -> String {
        let timestamp = Self.timestamp(date)
        let scope = scope(date: timestamp)
        var parameters = query
        parameters.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        parameters.append(("X-Amz-Date", timestamp))
        parameters.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        parameters.append(("X-Amz-SignedHeaders", "host"))
        let canonicalRequest = ["GET", encodedPath, Self.canonicalQuery(parameters), "host:\(host)\n", "host", Self.unsignedPayload]
            .joined(separator: "\n")
        let signature = signature(canonicalRequest: canonicalRequest, timestamp: timestamp, scope: scope)
        parameters.append(("X-Amz-Signature", signature))
        return Self.canonicalQuery(parameters)
    }

    private func scope(date timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signature(canonicalRequest: String, timestamp: String, scope: String) -> String {
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, SHA256.hash(data: Array(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [String(timestamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return Data(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)).hexString
    }

    /// Lowercased names, sorted, values trimmed with inner runs of spaces folded, as SigV4 asks.
    static func canonicalHeaders(_ headers: [(String, String)]) -> [(String, String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let folded = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(folded)
        }
        return merged.map { ($0.key, $0.value.joined(separator: ",")) }.sorted { $0.0 < $1.0 }
    }

    /// Encoded `name=value` pairs sorted by encoded name, then value.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        var pairs: [(name: String, value: String)] = query.map { (uriEncode($0.0), uriEncode($0.1)) }
        pairs.sort { (lhs, rhs) -> Bool in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        let encoded: [String] = pairs.map { pair -> String in pair.name + "=" + pair.value }
        return encoded.joined(separator: "&")
    }

    /// RFC 3986 encoding: unreserved characters stay, every other byte becomes `%XX` (uppercase).
    static func uriEncode(_ value: String, keepSlash: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == 0x2F) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    /// `A-Z a-z 0-9 - . _ ~`
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        let letter: Bool = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        let digit: Bool = byte >= 0x30 && byte <= 0x39
        let mark: Bool = byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        return letter || digit || mark
    }

    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
            parts.tm_sec)
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, as SigV4 and ETags use.
    var hexString: String {
        var result = ""
        for byte in self { result += String(byte, radix: 16).leftPadded(to: 2) }
        return result
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
