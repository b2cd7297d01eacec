import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Wasabi, moto) reached with our own SigV4 client.
///
/// Every request is signed with its SHA-256 payload hash and, when it has a body, a Content-MD5, so
/// the server rejects any byte that changed on the way. Throttling, 5xx answers and dropped connections
/// are retried with exponential backoff and full jitter; downloads resume where they broke off.
/// The store owns an `HTTPClient`: call ``shutdown()`` before releasing it.
public final class S3ObjectStore: ObjectStore {
    public let configuration: S3Configuration
    let credentials: S3Credentials
    let signer: SigV4Signer
    let httpClient: HTTPClient
    let logger: Logger
    let endpoint: Endpoint

    /// Scheme, host and port of the service, and whether the bucket goes in the path or the host name.
    struct Endpoint: Sendable {
        var scheme: String
        var host: String
        var port: Int?
        var pathStyle: Bool

        /// `Host` header value: the port only when it is not the scheme's default, as clients send it.
        var hostHeader: String {
            guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
            return "\(host):\(port)"
        }
    }

    /// Loads the credentials, validates the configuration and creates the HTTP client.
    ///
    /// - Parameters:
    ///   - configuration: Where the bucket is and how to transfer; see ``S3Configuration``.
    ///   - logger: Receives retry and abort events; never secrets.
    public init(configuration: S3Configuration, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.credentials = try configuration.credentials.load()
        self.signer = SigV4Signer(credentials: credentials, region: configuration.region)
        self.endpoint = Self.endpoint(for: configuration)
        var logger = logger
        logger[metadataKey: "s3.bucket"] = "\(configuration.bucket)"
        self.logger = logger

        var tls = TLSConfiguration.makeClientConfiguration()
        if let pem = configuration.caBundlePEM {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            } catch {
                throw ObjectStoreError.invalidArgument(reason: "the CA bundle (caCert) is not valid PEM")
            }
        }
        if configuration.insecureSkipTLSVerify { tls.certificateVerification = .none }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(configuration.connectTimeout), read: Self.timeAmount(configuration.readTimeout)),
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxPartsInFlight + 4),
            decompression: .disabled)
        clientConfiguration.httpVersion = .http1Only
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
    }

    /// Closes the connections; the store must not be used afterwards.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    static func endpoint(for configuration: S3Configuration) -> Endpoint {
        if let url = configuration.endpoint {
            let scheme = url.scheme ?? "https"
            return Endpoint(scheme: scheme, host: url.host ?? "localhost", port: url.port, pathStyle: configuration.forcePathStyle)
        }
        // Bucket names with dots do not match AWS's wildcard certificate, so they go in the path.
        let pathStyle = configuration.forcePathStyle || configuration.bucket.contains(".")
        return Endpoint(scheme: "https", host: "s3.\(configuration.region).amazonaws.com", port: nil, pathStyle: pathStyle)
    }

    // MARK: - Requests

    /// One S3 operation before signing: signing happens per attempt, with a fresh timestamp.
    struct Operation {
        var method: HTTPMethod
        var key: String?
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var body: ByteBuffer?
        /// Hex SHA-256 of `body`, computed once for all attempts.
        var payloadHash: String = SigV4Signer.emptyPayloadHash
        var deadline: TimeAmount = .minutes(15)

        init(method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [], body: ByteBuffer? = nil) {
            self.method = method
            self.key = key
            self.query = query
            self.headers = headers
            if let body {
                self.body = body
                self.payloadHash = SHA256.hash(data: body.readableBytesView).hexString
                self.headers.append(("Content-MD5", Data(Insecure.MD5.hash(data: body.readableBytesView)).base64EncodedString()))
            }
        }
    }

    /// The encoded request path of `key` (or of the bucket when `key` is nil).
    func encodedPath(for key: String?) -> String {
        let bucketPart = endpoint.pathStyle ? "/" + SigV4Signer.uriEncode(configuration.bucket) : ""
        guard let key else { return bucketPart.isEmpty ? "/" : bucketPart }
        return bucketPart + "/" + SigV4Signer.uriEncode(key, keepSlash: true)
    }

    /// The host name for requests: the bucket becomes a subdomain in virtual-hosted style.
    var requestHost: String {
        let host = endpoint.pathStyle ? endpoint.hostHeader : "\(configuration.bucket).\(endpoint.hostHeader)"
        return host
    }

    private func makeRequest(_ operation: Operation) -> HTTPClientRequest {
        let path = encodedPath(for: operation.key)
        let host = requestHost
        var headers = operation.headers
        signer.sign(
            method: operation.method.rawValue, host: host, encodedPath: path, query: operation.query, headers: &headers,
            payloadHash: operation.payloadHash, date: Date())
        let query = SigV4Signer.canonicalQuery(operation.query)
        var request = HTTPClientRequest(url: "\(endpoint.scheme)://\(host)\(path)\(query.isEmpty ? "" : "?" + query)")
        request.method = operation.method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body = operation.body { request.body = .bytes(body) }
        return request
    }

    /// Sends `operation`, retrying what is worth retrying, and returns the first successful response.
    ///
    /// The response body of a success is left unread for the caller; an error body is read and mapped.
    func send(_ operation: Operation) async throws -> HTTPClientResponse {
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(makeRequest(operation), timeout: operation.deadline, logger: nil)
            } catch {
                if Self.isCancellation(error) { throw error }
                if let reason = certificateRejection(error) {
                    throw ObjectStoreError.untrustedCertificate(endpoint: endpoint.hostHeader, reason: reason)
                }
                guard attempt < configuration.maxAttempts else {
                    throw ObjectStoreError.unavailable(endpoint: endpoint.hostHeader, reason: "\(Self.describe(error)) after \(attempt) attempts")
                }
                logger.warning(
                    "S3 request failed, retrying",
                    metadata: ["s3.method": "\(operation.method.rawValue)", "attempt": "\(attempt)", "error": "\(Self.describe(error))"])
                try await backoff(attempt: attempt)
                continue
            }
            if (200..<300).contains(response.status.code) { return response }
            let failure = await S3ErrorResponse(response: response, isHead: operation.method == .HEAD)
            if failure.isRetryable && attempt < configuration.maxAttempts {
                logger.warning(
                    "S3 request throttled or failed on the server, retrying",
                    metadata: ["s3.method": "\(operation.method.rawValue)", "attempt": "\(attempt)", "s3.code": "\(failure.code)"])
                try await backoff(attempt: attempt)
                continue
            }
            if failure.isRetryable {
                throw ObjectStoreError.unavailable(
                    endpoint: endpoint.hostHeader, reason: "\(failure.status) \(failure.code) after \(attempt) attempts")
            }
            throw failure.mapped(bucket: configuration.bucket, key: operation.key, credentialSource: credentials.source)
        }
    }

    /// Sends `operation` and reads a small response body (XML documents are a few KiB; listings up to ~1 MiB).
    ///
    /// A connection that breaks while the body is read repeats the whole request: every operation sent
    /// this way is idempotent, or (Complete) checks for its own earlier success.
    func sendCollecting(_ operation: Operation) async throws -> (HTTPClientResponse, ByteBuffer) {
        var attempt = 0
        while true {
            attempt += 1
            let response = try await send(operation)
            do {
                let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
                return (response, body)
            } catch {
                if Self.isCancellation(error) { throw error }
                guard attempt < configuration.maxAttempts else {
                    throw ObjectStoreError.unavailable(endpoint: endpoint.hostHeader, reason: "\(Self.describe(error)) after \(attempt) attempts")
                }
                try await backoff(attempt: attempt)
            }
        }
    }

    /// Full-jitter exponential backoff: uniformly random up to `base × 2^(attempt-1)`, capped.
    func backoff(attempt: Int) async throws {
        let base = Double(configuration.retryBaseDelay.components.attoseconds) / 1e18 + Double(configuration.retryBaseDelay.components.seconds)
        let cap = Double(configuration.retryMaxDelay.components.attoseconds) / 1e18 + Double(configuration.retryMaxDelay.components.seconds)
        let ceiling = min(cap, base * pow(2, Double(attempt - 1)))
        try await Task.sleep(for: .seconds(Double.random(in: 0...ceiling)))
    }

    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? HTTPClientError, error == .cancelled { return true }
        return false
    }

    /// Why the server's certificate was refused, or nil when `error` is something else.
    ///
    /// BoringSSL reports only that verification failed (unknown issuer, expired, not for TLS servers), not
    /// which check; naming the trust source the chain was checked against tells the operator where to look.
    func certificateRejection(_ error: any Error) -> String? {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "it is not valid for the host name \(endpoint.host)"
        }
        guard case .handshakeFailed(.sslError(let stack))? = error as? NIOSSLError,
            stack.contains(where: { String(describing: $0).contains("CERTIFICATE_VERIFY_FAILED") })
        else { return nil }
        return configuration.caBundlePEM == nil
            ? "it does not verify against the system's trusted CAs; set the CA bundle (caCert) to the CA that signed it"
            : "it does not verify against the configured CA bundle (caCert)"
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// An error's type and code, without anything that might echo request contents.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "HTTP client error \(error)" }
        return String(describing: type(of: error)) + ": " + String(describing: error)
    }

    // MARK: - ObjectStore

    public func head(key: String) async throws -> ObjectInfo {
        try Self.validate(key)
        let response = try await send(Operation(method: .HEAD, key: key))
        return try Self.objectInfo(key: key, headers: response.headers, size: nil)
    }

    public func delete(key: String) async throws {
        try Self.validate(key)
        let (_, _) = try await sendCollecting(Operation(method: .DELETE, key: key))
    }

    public func delete(keys: [String]) async throws -> [String: ObjectStoreError] {
        var failures: [String: ObjectStoreError] = [:]
        var valid: [String] = []
        for key in keys {
            do {
                try Self.validate(key)
                valid.append(key)
            } catch let error as ObjectStoreError {
                failures[key] = error
            }
        }
        var start = 0
        while start < valid.count {
            let batch = valid[start..<min(valid.count, start + 1000)]
            start += batch.count
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
            for key in batch { xml += "<Object><Key>\(xmlEscaped(key))</Key></Object>" }
            xml += "</Delete>"
            let (_, body) = try await sendCollecting(
                Operation(method: .POST, key: nil, query: [("delete", "")], headers: [("Content-Type", "application/xml")], body: ByteBuffer(string: xml)))
            let result = try S3XMLElement.parse(Array(body.readableBytesView))
            for error in result.children("Error") {
                guard let key = error.value("Key") else { continue }
                let failure = S3ErrorResponse(status: 200, code: error.value("Code") ?? "InternalError", message: error.value("Message") ?? "", requestID: nil)
                failures[key] = failure.mapped(bucket: configuration.bucket, key: key, credentialSource: credentials.source)
            }
        }
        return failures
    }

    public func list(prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?) async throws -> ObjectListPage {
        guard maxKeys >= 0 else { throw ObjectStoreError.invalidArgument(reason: "maxKeys must not be negative") }
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(min(maxKeys, 1000)))]
        query.append(("prefix", prefix))
        if let delimiter, !delimiter.isEmpty { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let (_, body) = try await sendCollecting(Operation(method: .GET, key: nil, query: query))
        let result = try S3XMLElement.parse(Array(body.readableBytesView))
        let urlEncoded = result.value("EncodingType") == "url"
        func decode(_ value: String) -> String {
            guard urlEncoded else { return value }
            return value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
        }
        let objects = result.children("Contents").compactMap { entry -> ObjectInfo? in
            guard let key = entry.value("Key") else { return nil }
            return ObjectInfo(
                key: decode(key), size: Int64(entry.value("Size") ?? "0") ?? 0, etag: Self.unquote(entry.value("ETag") ?? ""),
                lastModified: entry.value("LastModified").flatMap(Self.parseISO8601))
        }
        let prefixes = result.children("CommonPrefixes").compactMap { $0.value("Prefix").map(decode) }
        let truncated = result.value("IsTruncated") == "true"
        return ObjectListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: truncated ? result.value("NextContinuationToken") : nil)
    }

    public func presignedGetURL(key: String, expiresIn: Duration) async throws -> URL {
        try Self.validate(key)
        let seconds = Int(expiresIn.components.seconds)
        guard (1...604_800).contains(seconds) else {
            throw ObjectStoreError.invalidArgument(reason: "a pre-signed URL must expire within 1 second to 7 days")
        }
        var endpoint = self.endpoint
        if let publicURL = configuration.publicEndpoint {
            endpoint = Endpoint(scheme: publicURL.scheme ?? "https", host: publicURL.host ?? "", port: publicURL.port, pathStyle: endpoint.pathStyle)
        }
        let host = endpoint.pathStyle ? endpoint.hostHeader : "\(configuration.bucket).\(endpoint.hostHeader)"
        let path = encodedPath(for: key)
        let query = signer.presignedQuery(host: host, encodedPath: path, query: [], expires: seconds, date: Date())
        guard let url = URL(string: "\(endpoint.scheme)://\(host)\(path)?\(query)") else {
            throw ObjectStoreError.invalidArgument(reason: "cannot build a URL for key \(key)")
        }
        return url
    }

    // MARK: - Helpers

    static func validate(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 1024 else {
            throw ObjectStoreError.invalidKey(key: key, reason: "a key must be 1 to 1024 bytes long")
        }
    }

    static func unquote(_ etag: String) -> String {
        var value = Substring(etag)
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
        return String(value)
    }

    static func objectInfo(key: String, headers: HTTPHeaders, size: Int64?) throws -> ObjectInfo {
        let length = size ?? headers.first(name: "content-length").flatMap { Int64($0) }
        guard let length else {
            throw ObjectStoreError.server(status: 200, code: "MissingContentLength", message: "the response has no Content-Length", requestID: nil)
        }
        return ObjectInfo(
            key: key, size: length, etag: unquote(headers.first(name: "etag") ?? ""),
            lastModified: headers.first(name: "last-modified").flatMap(parseHTTPDate),
            contentType: headers.first(name: "content-type"))
    }

    static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// RFC 7231 `IMF-fixdate`, e.g. `Wed, 25 Nov 2026 14:00:00 GMT`.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
