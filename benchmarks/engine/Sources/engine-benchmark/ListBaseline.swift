import LifeboatCore
import LifeboatEngine
import LifeboatKube

/// "Just paging through the same LISTs": the requests a `BackupEngine` run makes to read the cluster, with the
/// same page size and LISTs in flight, and every page dropped as it arrives (no archive, gzip or upload).
///
/// The sequence mirrors `BackupEngine.run`: the version, discovery, the namespaces, the CRDs when the scope
/// allows them, then one LIST per resource type (across all namespaces, or per selected namespace), as
/// `BackupEngine.requests(scope:selectors:)` builds them for a backup without label selectors.
struct ListBaseline: Sendable {
    let client: HTTPKubernetesClient
    let spec: BackupSpec
    let concurrency: Int
    let pageSize: Int

    struct Result: Codable, Sendable {
        var seconds: Double
        var items: Int
        var bytes: Int64
        var lists: Int
        var pages: Int
        var failedLists: Int
    }

    /// One LIST: a resource type in one namespace, or across all of them.
    struct Request: Sendable {
        var resource: APIResource
        var namespace: String?
    }

    /// What one LIST brought.
    struct Tally: Sendable {
        var items = 0
        var bytes: Int64 = 0
        var pages = 0
        var failed = 0

        static func += (total: inout Tally, other: Tally) {
            total.items += other.items
            total.bytes += other.bytes
            total.pages += other.pages
            total.failed += other.failed
        }
    }

    func run() async throws -> Result {
        let ((tally, lists), elapsed) = try await Measurement.time { () async throws -> (Tally, Int) in
            _ = try await client.serverVersion()
            let catalog = try await client.discover()
            guard let namespaceResource = catalog.resolve("namespaces") else {
                throw LifeboatError.unavailable(dependency: "the cluster serves no namespaces resource")
            }
            var total = Tally()
            var namespaces: [String] = []
            for try await page in client.listPages(namespaceResource, options: ListOptions(limit: pageSize)) {
                total += Self.tally(page)
                namespaces.append(contentsOf: page.items.compactMap(\.name))
            }
            let scope = try BackupScope(spec: spec, catalog: catalog, liveNamespaces: namespaces)
            var lists = 1
            if let definitions = catalog.resolve("customresourcedefinitions.apiextensions.k8s.io"),
               scope.lists(definitions.qualifiedName) || scope.allowsRelated(clusterResource: definitions.qualifiedName)
            {
                total += await list(Request(resource: definitions, namespace: nil))
                lists += 1
            }
            let requests = Self.requests(scope: scope)
            total += try await listAll(requests)
            return (total, lists + requests.count)
        }
        return Result(seconds: elapsed, items: tally.items, bytes: tally.bytes, lists: lists, pages: tally.pages, failedLists: tally.failed)
    }

    /// The scope's LISTs, in the order the engine builds them.
    static func requests(scope: BackupScope) -> [Request] {
        var requests: [Request] = []
        for resource in scope.namespacedResources {
            let namespaces: [String?] = scope.coversAllNamespaces ? [nil] : scope.selectedNamespaces.map { $0 }
            for namespace in namespaces { requests.append(Request(resource: resource, namespace: namespace)) }
        }
        for resource in scope.clusterResources { requests.append(Request(resource: resource, namespace: nil)) }
        return requests
    }

    /// `concurrency` LISTs at a time, the next starting as one finishes (as `ItemCollector` schedules them).
    private func listAll(_ requests: [Request]) async throws -> Tally {
        try await withThrowingTaskGroup(of: Tally.self) { group in
            var pending = requests.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let request = pending.next() else { break }
                group.addTask { await list(request) }
            }
            var total = Tally()
            while let tally = try await group.next() {
                total += tally
                if let request = pending.next() { group.addTask { await list(request) } }
            }
            return total
        }
    }

    /// Pages through one LIST; a failing list counts as failed, as the engine records it and goes on.
    private func list(_ request: Request) async -> Tally {
        var total = Tally()
        do {
            for try await page in client.listPages(request.resource, namespace: request.namespace, options: ListOptions(limit: pageSize)) {
                total += Self.tally(page)
            }
        } catch {
            total.failed += 1
        }
        return total
    }

    private static func tally(_ page: ListPage) -> Tally {
        Tally(items: page.items.count, bytes: page.items.reduce(0) { $0 + Int64($1.json.count) }, pages: 1)
    }
}
