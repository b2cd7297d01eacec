import NIOHTTP1

/// A list as an asynchronous sequence of pages: one request per page, fetched only when the consumer asks
/// for it, so memory stays at one page however large the collection.
///
/// A continue token that expired (410, the server compacted its history while we paged) restarts the list
/// from a fresh snapshot and drops items already delivered, so a consumer sees every object once. The
/// second restart of one list falls back to a single un-paged request, as client-go's pager does.
///
/// Servers list in key order, so what was delivered is everything up to the last key: the sequence keeps that
/// one key (`ListOrder`), not a record per item, and memory stays flat however long the list. A server that did
/// not keep to key order before the 410 makes the restart fail with a clear error instead of repeating items.
public struct ListPages: AsyncSequence, Sendable {
    public typealias Element = ListPage

    let client: HTTPKubernetesClient
    let resource: APIResource
    let namespace: String?
    let options: ListOptions

    public func makeAsyncIterator() -> Iterator {
        Iterator(client: client, resource: resource, namespace: namespace, options: options)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let client: HTTPKubernetesClient
        let resource: APIResource
        let namespace: String?
        let options: ListOptions
        var continueToken: String?
        var finished = false
        var restarts = 0
        var order = ListOrder()

        init(client: HTTPKubernetesClient, resource: APIResource, namespace: String?, options: ListOptions) {
            self.client = client
            self.resource = resource
            self.namespace = namespace
            self.options = options
        }

        public mutating func next() async throws -> ListPage? {
            while !finished {
                var query = options.selectorQuery
                let paged = restarts < 2 && (options.limit ?? 0) > 0
                if paged, let limit = options.limit { query.append(("limit", String(limit))) }
                if let continueToken { query.append(("continue", continueToken)) }
                let response: KubeResponse
                do {
                    response = try await client.send(
                        KubeRequest(method: .GET, path: resource.collectionPath(namespace: namespace), query: query),
                        maximumBodyBytes: paged ? 256 << 20 : 2 << 30)
                } catch let error as KubernetesError where error.isExpired && continueToken != nil && restarts < 2 {
                    guard order.canResume else {
                        throw KubernetesError.unexpectedResponse(
                            "the \(resource.name) list expired while paging and the server did not list in key order, "
                                + "so it cannot resume without repeating items")
                    }
                    restarts += 1
                    continueToken = nil
                    order.restart()
                    continue
                }
                var page: ListPage
                do {
                    page = try ListPage(json: response.body)
                } catch {
                    throw KubernetesError.unexpectedResponse("a \(resource.name) list was not valid JSON (\(error))")
                }
                continueToken = paged ? page.continueToken : nil
                finished = continueToken == nil
                var admitted: [KubeObject] = []
                admitted.reserveCapacity(page.items.count)
                for item in page.items where order.admit(ListOrder.Key(of: item)) { admitted.append(item) }
                page.items = admitted
                if page.items.isEmpty && !finished { continue }
                return page
            }
            return nil
        }
    }
}

/// The items of a list, one at a time, fetched page by page (see `ListPages`).
public struct ListItems: AsyncSequence, Sendable {
    public typealias Element = KubeObject

    let pages: ListPages

    public func makeAsyncIterator() -> Iterator { Iterator(pages: pages.makeAsyncIterator()) }

    public struct Iterator: AsyncIteratorProtocol {
        var pages: ListPages.Iterator
        var buffer: [KubeObject] = []
        var position = 0

        public mutating func next() async throws -> KubeObject? {
            while position == buffer.count {
                guard let page = try await pages.next() else { return nil }
                buffer = page.items
                position = 0
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}

extension HTTPKubernetesClient {
    /// The pages of a list of `resource`; `namespace` nil lists across all namespaces.
    public func listPages(_ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions()) -> ListPages {
        ListPages(client: self, resource: resource, namespace: resource.namespaced ? namespace : nil, options: options)
    }

    /// The items of a list of `resource`, streamed page by page; `namespace` nil lists across all namespaces.
    public func list(_ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions()) -> ListItems {
        ListItems(pages: listPages(resource, namespace: namespace, options: options))
    }
}
