import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension S3ObjectStore {
    /// Streams `body` to `key`: one PUT when it fits in a part, otherwise a multipart upload with at most
    /// `maxPartsInFlight` parts on the wire. A failed or cancelled multipart upload is aborted.
    @discardableResult
    public func put<Body: AsyncSequence>(key: String, body: Body, options: PutOptions) async throws -> PutResult
    where Body.Element == ByteBuffer {
        try Self.validate(key)
        var reader = PartReader(iterator: body.makeAsyncIterator(), partSize: configuration.partSize)
        let first = try await reader.nextPart()
        if reader.finished {
            return try await putSingle(key: key, bytes: first, options: options)
        }
        return try await putMultipart(key: key, firstPart: first, reader: &reader, options: options)
    }

    private func objectHeaders(_ options: PutOptions) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let contentType = options.contentType { headers.append(("Content-Type", contentType)) }
        if let retention = options.retention {
            headers.append(("x-amz-object-lock-mode", retention.mode.rawValue))
            headers.append(("x-amz-object-lock-retain-until-date", retention.retainUntil.formatted(.iso8601)))
        }
        return headers
    }

    private func checksumHeader(_ bytes: ByteBuffer) -> (String, String)? {
        switch configuration.checksumAlgorithm {
        case nil: nil
        case .sha256?: ("x-amz-checksum-sha256", Data(SHA256.hash(data: bytes.readableBytesView)).base64EncodedString())
        case .sha1?: ("x-amz-checksum-sha1", Data(Insecure.SHA1.hash(data: bytes.readableBytesView)).base64EncodedString())
        }
    }

    private func putSingle(key: String, bytes: ByteBuffer, options: PutOptions) async throws -> PutResult {
        var headers = objectHeaders(options)
        if let checksum = checksumHeader(bytes) { headers.append(checksum) }
        let operation = Operation(method: .PUT, key: key, headers: headers, body: bytes)
        let (response, _) = try await sendCollecting(operation)
        let etag = Self.unquote(response.headers.first(name: "etag") ?? "")
        let md5 = Insecure.MD5.hash(data: bytes.readableBytesView).hexString
        // A plain S3 ETag is the body's MD5; under SSE-KMS it is not, and then it is not 32 hex digits of ours.
        if etag.count == 32, etag.allSatisfy(\.isHexDigit), etag.lowercased() != md5 {
            throw ObjectStoreError.integrity(key: key, reason: "the stored object's ETag does not match the MD5 of what was sent")
        }
        return PutResult(etag: etag, size: Int64(bytes.readableBytes), parts: 1)
    }

    private struct CompletedPart: Sendable {
        var number: Int
        var etag: String
        var md5: [UInt8]
        var checksum: String?
        var size: Int
    }

    private func putMultipart<Iterator: AsyncIteratorProtocol>(
        key: String, firstPart: ByteBuffer, reader: inout PartReader<Iterator>, options: PutOptions
    ) async throws -> PutResult where Iterator.Element == ByteBuffer {
        var createHeaders = objectHeaders(options)
        if let algorithm = configuration.checksumAlgorithm { createHeaders.append(("x-amz-checksum-algorithm", algorithm.rawValue)) }
        let (_, created) = try await sendCollecting(Operation(method: .POST, key: key, query: [("uploads", "")], headers: createHeaders))
        guard let uploadID = try S3XMLElement.parse(Array(created.readableBytesView)).value("UploadId"), !uploadID.isEmpty else {
            throw ObjectStoreError.server(status: 200, code: "MissingUploadId", message: "CreateMultipartUpload returned no UploadId", requestID: nil)
        }
        do {
            let parts = try await uploadParts(key: key, uploadID: uploadID, firstPart: firstPart, reader: &reader)
            return try await complete(key: key, uploadID: uploadID, parts: parts)
        } catch {
            await abort(key: key, uploadID: uploadID, cause: error)
            throw error
        }
    }

    /// Uploads parts as the body produces them, keeping at most `maxPartsInFlight` in flight.
    private func uploadParts<Iterator: AsyncIteratorProtocol>(
        key: String, uploadID: String, firstPart: ByteBuffer, reader: inout PartReader<Iterator>
    ) async throws -> [CompletedPart] where Iterator.Element == ByteBuffer {
        try await withThrowingTaskGroup(of: CompletedPart.self) { group in
            var completed: [CompletedPart] = []
            var inFlight = 0
            var number = 0
            var next: ByteBuffer? = firstPart
            while let part = next {
                number += 1
                guard number <= 10_000 else {
                    throw ObjectStoreError.invalidArgument(reason: "the object needs more than 10000 parts; raise partSize")
                }
                if inFlight == configuration.maxPartsInFlight, let done = try await group.next() {
                    completed.append(done)
                    inFlight -= 1
                }
                let partNumber = number
                group.addTask { try await self.uploadPart(key: key, uploadID: uploadID, number: partNumber, bytes: part) }
                inFlight += 1
                if reader.finished {
                    next = nil
                } else {
                    let bytes = try await reader.nextPart()
                    // A body that ends exactly on a part boundary leaves an empty last read: not a part.
                    next = bytes.readableBytes > 0 ? bytes : nil
                }
            }
            while let done = try await group.next() { completed.append(done) }
            return completed.sorted { $0.number < $1.number }
        }
    }

    private func uploadPart(key: String, uploadID: String, number: Int, bytes: ByteBuffer) async throws -> CompletedPart {
        var headers: [(String, String)] = []
        let checksum = checksumHeader(bytes)
        if let checksum { headers.append(checksum) }
        let operation = Operation(
            method: .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], headers: headers, body: bytes)
        let (response, _) = try await sendCollecting(operation)
        guard let etag = response.headers.first(name: "etag") else {
            throw ObjectStoreError.server(status: 200, code: "MissingETag", message: "UploadPart returned no ETag", requestID: nil)
        }
        return CompletedPart(
            number: number, etag: Self.unquote(etag), md5: Array(Insecure.MD5.hash(data: bytes.readableBytesView)), checksum: checksum?.1,
            size: bytes.readableBytes)
    }

    private func complete(key: String, uploadID: String, parts: [CompletedPart]) async throws -> PutResult {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(xmlEscaped(part.etag))\"</ETag>"
            if let checksum = part.checksum, let algorithm = configuration.checksumAlgorithm {
                xml += "<Checksum\(algorithm.rawValue)>\(checksum)</Checksum\(algorithm.rawValue)>"
            }
            xml += "</Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let size = Int64(parts.reduce(0) { $0 + $1.size })
        // The multipart ETag S3 computes: MD5 of the concatenated part MD5s, then "-<count>".
        let expectedETag = Insecure.MD5.hash(data: parts.flatMap(\.md5)).hexString + "-\(parts.count)"
        let operation = Operation(
            method: .POST, key: key, query: [("uploadId", uploadID)], headers: [("Content-Type", "application/xml")], body: ByteBuffer(string: xml))
        var attempt = 0
        while true {
            attempt += 1
            let etag: String
            do {
                let (_, body) = try await sendCollecting(operation)
                // CompleteMultipartUpload can fail with 200 and an <Error> document once streaming has started.
                let document = try S3XMLElement.parse(Array(body.readableBytesView))
                if document.name == "Error" {
                    let failure = S3ErrorResponse(
                        status: 200, code: document.value("Code") ?? "InternalError", message: document.value("Message") ?? "",
                        requestID: document.value("RequestId"))
                    if failure.isRetryable && attempt < configuration.maxAttempts {
                        try await backoff(attempt: attempt)
                        continue
                    }
                    throw failure.mapped(bucket: configuration.bucket, key: key, credentialSource: credentials.source)
                }
                etag = Self.unquote(document.value("ETag") ?? "")
            } catch ObjectStoreError.server(_, "NoSuchUpload", _, _) {
                // A retried Complete whose first attempt succeeded but whose answer was lost: the upload is
                // gone because the object exists. Accept it only if the object is exactly what we sent.
                let info = try await head(key: key)
                guard info.size == size, info.etag == expectedETag else { throw ObjectStoreError.server(status: 404, code: "NoSuchUpload", message: "the multipart upload disappeared", requestID: nil) }
                etag = info.etag
            }
            if etag.hasSuffix("-\(parts.count)"), etag != expectedETag, etag.count == expectedETag.count {
                throw ObjectStoreError.integrity(key: key, reason: "the multipart ETag does not match the parts that were sent")
            }
            return PutResult(etag: etag, size: size, parts: parts.count)
        }
    }

    /// Aborts an upload so that no parts stay billed and hidden; runs even when the caller was cancelled.
    private func abort(key: String, uploadID: String, cause: any Error) async {
        let operation = Operation(method: .DELETE, key: key, query: [("uploadId", uploadID)])
        let outcome = await Task {
            do {
                _ = try await self.sendCollecting(operation)
                return true
            } catch ObjectStoreError.server(_, "NoSuchUpload", _, _) {
                return true
            } catch {
                return false
            }
        }.value
        logger.notice(
            "Multipart upload aborted", metadata: ["s3.key": "\(key)", "aborted": "\(outcome)", "error": "\(String(reflecting: cause))"])
    }
}

/// Cuts an async byte stream into parts of exactly `partSize` bytes (the last one shorter).
struct PartReader<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
    var iterator: Iterator
    let partSize: Int
    /// Bytes read past the end of the previous part.
    var carry: ByteBuffer?
    /// Whether the stream has ended; the last `nextPart()` returned its final bytes.
    private(set) var finished = false

    init(iterator: Iterator, partSize: Int) {
        self.iterator = iterator
        self.partSize = partSize
    }

    mutating func nextPart() async throws -> ByteBuffer {
        var part = ByteBuffer()
        part.reserveCapacity(partSize)
        if var carried = carry {
            carry = nil
            take(from: &carried, into: &part)
        }
        while part.readableBytes < partSize {
            guard var chunk = try await iterator.next() else {
                finished = true
                return part
            }
            take(from: &chunk, into: &part)
        }
        return part
    }

    private mutating func take(from chunk: inout ByteBuffer, into part: inout ByteBuffer) {
        let wanted = partSize - part.readableBytes
        if chunk.readableBytes <= wanted {
            part.writeBuffer(&chunk)
        } else {
            var head = chunk.readSlice(length: wanted)!
            part.writeBuffer(&head)
            carry = chunk
        }
    }
}
