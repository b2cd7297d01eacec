import LifeboatKube

/// One LIST the collector runs: a resource type, in one namespace or across all (nil), with a selector.
public struct ListRequest: Sendable, Hashable, CustomStringConvertible {
    public var resource: APIResource
    public var namespace: String?
    public var labelSelector: String?

    public var description: String {
        var text = resource.qualifiedName
        if let namespace { text += " in namespace \(namespace)" }
        if let labelSelector { text += " matching \(labelSelector)" }
        return text
    }
}

/// What the collector hands the archive writer: a page of items, or a list that failed (a per-resource error
/// in the backup's results, as Velero records it, while the other lists go on).
public enum CollectedBatch: Sendable {
    case items(ListRequest, [KubeObject])
    case failed(ListRequest, any Error)
}

/// Runs a backup's LISTs, several at once, and streams their pages into a bounded channel as they arrive:
/// the API server's paging (limit and continue) bounds each response, the channel bounds what waits for the
/// writer, and `concurrency` bounds the requests in flight. Nothing is buffered per item or written to disk.
public struct ItemCollector: Sendable {
    public let client: HTTPKubernetesClient
    /// LISTs in flight at once.
    public let concurrency: Int
    /// Items per page (`limit`).
    public let pageSize: Int

    public init(client: HTTPKubernetesClient, concurrency: Int = 8, pageSize: Int = 500) {
        self.client = client
        self.concurrency = max(1, concurrency)
        self.pageSize = max(1, pageSize)
    }

    /// Runs every request and finishes `output` when done; a failing list becomes a `.failed` batch, the consumer
    /// stopping (`ConsumerGone`) or cancellation end the run.
    public func collect(_ requests: [ListRequest], into output: BoundedChannel<CollectedBatch>) async {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = requests.makeIterator()
                var running = 0
                while running < concurrency, let request = pending.next() {
                    group.addTask { try await self.run(request, into: output) }
                    running += 1
                }
                while try await group.next() != nil {
                    if let request = pending.next() {
                        group.addTask { try await self.run(request, into: output) }
                    }
                }
            }
            output.finish()
        } catch {
            output.finish(throwing: error)
        }
    }

    private func run(_ request: ListRequest, into output: BoundedChannel<CollectedBatch>) async throws {
        let options = ListOptions(labelSelector: request.labelSelector, limit: pageSize)
        do {
            for try await page in client.listPages(request.resource, namespace: request.namespace, options: options) {
                try Task.checkCancellation()
                if !page.items.isEmpty { try await output.send(.items(request, page.items)) }
            }
        } catch let error as KubernetesError {
            try await output.send(.failed(request, error))
        } catch let error as JSONParseError {
            try await output.send(.failed(request, error))
        }
    }
}
