import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension S3ObjectStore {
    /// Opens `key` (or a range of it). When the connection drops mid-body, the stream resumes with a
    /// `Range` request pinned to the same ETag (`If-Match`), so a concurrent overwrite fails instead of
    /// splicing two versions.
    public func get(key: String, range: ByteRange?) async throws -> ObjectDownload {
        try Self.validate(key)
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", range.httpHeaderValue)) }
        var operation = Operation(method: .GET, key: key, headers: headers)
        operation.deadline = .hours(6)
        let response = try await send(operation)
        let span: Range<Int64>
        let info: ObjectInfo
        if response.status == .partialContent {
            guard let contentRange = response.headers.first(name: "content-range"), let parsed = Self.parseContentRange(contentRange) else {
                throw ObjectStoreError.server(status: 206, code: "MissingContentRange", message: "a ranged GET returned no Content-Range", requestID: nil)
            }
            span = parsed.range
            info = try Self.objectInfo(key: key, headers: response.headers, size: parsed.total)
        } else {
            info = try Self.objectInfo(key: key, headers: response.headers, size: nil)
            if let range {
                // A server that ignores Range sends the whole object; serve the asked-for part of it.
                guard let clamped = range.clamped(toSize: info.size) else { throw ObjectStoreError.invalidRange(key: key) }
                span = clamped
            } else {
                span = 0..<info.size
            }
            if span.lowerBound != 0 || span.upperBound != info.size {
                throw ObjectStoreError.server(status: 200, code: "RangeIgnored", message: "the server ignored the Range header", requestID: nil)
            }
        }
        let body = response.body
        let source = ResumeSource(store: self, key: key, etag: info.etag, span: span)
        return ObjectDownload(info: info, range: span, body: ObjectByteStream { source.start(with: body) })
    }

    /// `bytes 0-9/100` → (0..<10, 100).
    static func parseContentRange(_ value: String) -> (range: Range<Int64>, total: Int64)? {
        let parts = value.split(separator: " ")
        guard parts.count == 2, parts[0] == "bytes" else { return nil }
        let rangeAndTotal = parts[1].split(separator: "/")
        guard rangeAndTotal.count == 2, let total = Int64(rangeAndTotal[1]) else { return nil }
        let bounds = rangeAndTotal[0].split(separator: "-")
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else { return nil }
        return (first..<(last + 1), total)
    }

    /// Re-requests the rest of an object after a broken download.
    func reopen(key: String, etag: String, from offset: Int64, to end: Int64) async throws -> HTTPClientResponse.Body {
        var headers: [(String, String)] = [("Range", "bytes=\(offset)-\(end - 1)")]
        if !etag.isEmpty { headers.append(("If-Match", "\"\(etag)\"")) }
        var operation = Operation(method: .GET, key: key, headers: headers)
        operation.deadline = .hours(6)
        let response = try await send(operation)
        guard response.status == .partialContent, let contentRange = response.headers.first(name: "content-range"),
            let parsed = Self.parseContentRange(contentRange), parsed.range.lowerBound == offset
        else {
            throw ObjectStoreError.objectChanged(key: key)
        }
        if !etag.isEmpty, let newETag = response.headers.first(name: "etag"), Self.unquote(newETag) != etag {
            throw ObjectStoreError.objectChanged(key: key)
        }
        return response.body
    }
}

/// Shares the first response between the stream and its (single) iteration.
final class ResumeSource: Sendable {
    let store: S3ObjectStore
    let key: String
    let etag: String
    let span: Range<Int64>

    init(store: S3ObjectStore, key: String, etag: String, span: Range<Int64>) {
        self.store = store
        self.key = key
        self.etag = etag
        self.span = span
    }

    func start(with body: HTTPClientResponse.Body) -> any ByteChunkSource {
        S3ChunkSource(parent: self, body: body)
    }
}

/// Pulls the response body and, on a dropped connection, resumes from the last byte delivered.
final class S3ChunkSource: ByteChunkSource {
    let parent: ResumeSource
    var iterator: HTTPClientResponse.Body.AsyncIterator?
    var position: Int64
    var resumes = 0

    init(parent: ResumeSource, body: HTTPClientResponse.Body) {
        self.parent = parent
        self.iterator = body.makeAsyncIterator()
        self.position = parent.span.lowerBound
    }

    func nextChunk() async throws -> ByteBuffer? {
        let end = parent.span.upperBound
        while true {
            do {
                if iterator == nil {
                    guard position < end else { return nil }
                    let body = try await parent.store.reopen(key: parent.key, etag: parent.etag, from: position, to: end)
                    iterator = body.makeAsyncIterator()
                }
                guard let chunk = try await iterator?.next() else {
                    iterator = nil
                    if position == end { return nil }
                    throw ObjectStoreError.integrity(key: parent.key, reason: "the response ended early")
                }
                position += Int64(chunk.readableBytes)
                guard position <= end else {
                    throw ObjectStoreError.integrity(key: parent.key, reason: "the response is longer than announced")
                }
                return chunk
            } catch {
                iterator = nil
                if S3ObjectStore.isCancellation(error) { throw error }
                if case ObjectStoreError.objectChanged = error { throw error }
                if case ObjectStoreError.integrity(_, "the response is longer than announced") = error { throw error }
                resumes += 1
                guard resumes < parent.store.configuration.maxAttempts else {
                    throw ObjectStoreError.unavailable(
                        endpoint: parent.store.endpoint.hostHeader, reason: "download of \(parent.key) broke off \(resumes) times")
                }
                parent.store.logger.warning(
                    "S3 download interrupted, resuming",
                    metadata: ["s3.key": "\(parent.key)", "offset": "\(position)", "error": "\(S3ObjectStore.describe(error))"])
                try await parent.store.backoff(attempt: resumes)
            }
        }
    }
}
