import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension HTTPKubernetesClient {
    /// Watches `resource` for changes, as a stream of events that ends when the server closes the watch
    /// (after `timeoutSeconds`) or throws the watch's ERROR event.
    ///
    /// - Parameters:
    ///   - namespace: nil watches across all namespaces.
    ///   - resourceVersion: where to start; nil gets synthetic ADDED events for existing objects first.
    ///     A version older than the server's history ends the stream with 410 (`isExpired`): list again.
    ///   - options: selectors, applied by the server to every event (`limit` is ignored).
    ///   - timeoutSeconds: asks the server to end the watch after this long.
    public func watch(
        _ resource: APIResource, namespace: String? = nil, resourceVersion: String? = nil, options: ListOptions = ListOptions(),
        timeoutSeconds: Int? = nil
    ) -> AsyncThrowingStream<WatchEvent, any Error> {
        var query = options.selectorQuery
        query.append(("watch", "true"))
        query.append(("allowWatchBookmarks", "true"))
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        let request = KubeRequest(method: .GET, path: resource.collectionPath(namespace: resource.namespaced ? namespace : nil), query: query)
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let task = Task {
            do {
                let response = try await openStream(request)
                var line: [UInt8] = []
                for try await chunk in response.body {
                    for byte in chunk.readableBytesView {
                        if byte == 0x0A {
                            if !line.isEmpty { continuation.yield(try WatchEvent.parse(line: line)) }
                            line.removeAll(keepingCapacity: true)
                        } else {
                            line.append(byte)
                        }
                    }
                }
                if !line.isEmpty { continuation.yield(try WatchEvent.parse(line: line)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Sends a streaming request: throttled and retried like `send` until the answer's head arrives, then the
    /// body belongs to the caller. The concurrency slot is released as soon as the head is in.
    func openStream(_ request: KubeRequest) async throws -> HTTPClientResponse {
        let limits = connection.limits
        var attempt = 0
        var refreshedCredentials = false
        while true {
            try Task.checkCancellation()
            let prepared = try await prepare(request)
            try await throttle.acquire()
            let response: HTTPClientResponse
            do {
                response = try await streamingHTTP.execute(prepared, timeout: .hours(24 * 365))
                await throttle.release()
            } catch {
                await throttle.release()
                if error is CancellationError { throw error }
                let transport = KubernetesError.transport(server: serverDescription, reason: Self.describeTransport(error))
                guard attempt < limits.maxRetries, Self.isRetryableTransport(error) else { throw transport }
                try await Task.sleep(for: RetryPolicy.backoff(attempt: attempt, limits: limits))
                attempt += 1
                continue
            }
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return response }
            let body = Array((try? await response.body.collect(upTo: 1 << 20))?.readableBytesView ?? ByteBuffer().readableBytesView)
            if status == 401, credentials.canRefresh, !refreshedCredentials {
                refreshedCredentials = true
                await credentials.invalidate()
                continue
            }
            let error = Self.statusError(code: status, phrase: response.status.reasonPhrase, body: body)
            guard attempt < limits.maxRetries, RetryPolicy.isRetryable(status: status, idempotent: request.idempotent) else { throw error }
            let wait = RetryPolicy.retryAfter(header: response.headers.first(name: "Retry-After"), limits: limits)
                ?? RetryPolicy.backoff(attempt: attempt, limits: limits)
            try await Task.sleep(for: wait)
            attempt += 1
        }
    }
}
