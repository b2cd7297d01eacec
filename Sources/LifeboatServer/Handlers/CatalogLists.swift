import Foundation
import HTTPTypes
import Hummingbird
import LifeboatAPI
import LifeboatCore
import LifeboatStore
import NIOCore

/// `GET` of the five catalog lists, answered from each object's cached API document instead of the generated
/// layer, which decoded three JSON columns per row, re-encoded spec and status through the wire types and encoded
/// the page again: about 200 µs per object, 25 ms for a page of 100.
///
/// Each item is rendered by the same `APIHandler.wire…` mapping and encoder settings `GET /v1/<kind>/{name}`
/// uses, once per object revision (`RenderedObjectCache`), and a page is the list envelope around those bytes.
/// A whole response is kept while its kind's catalog generation stays put (`RenderedPageCache`), so a repeated
/// request reads nothing from SQLite.
/// The generated `list…` handlers stay as the reference: `CatalogListsTests` checks both give the same bytes.
struct CatalogLists: Sendable {
    let database: AppDatabase
    let clusters = KindCache()
    let locations = KindCache()
    let backups = KindCache()
    let restores = KindCache()
    let schedules = KindCache()

    /// What one kind's list keeps between requests: every object's document, and whole responses for the
    /// catalog generation they were read at.
    struct KindCache: Sendable {
        let objects = RenderedObjectCache()
        let pages = RenderedPageCache()
    }

    /// The operations registered here, which the generated server must not register again.
    static let operations: Set<NativeOperation> = [
        .init(method: .get, path: "/v1/clusters"), .init(method: .get, path: "/v1/backup-locations"),
        .init(method: .get, path: "/v1/backups"), .init(method: .get, path: "/v1/restores"),
        .init(method: .get, path: "/v1/schedules"),
    ]

    func register(on router: Router<AppRequestContext>) {
        route(router, "/v1/clusters", Cluster.self, listKind: "ClusterList", filtersCluster: false, cache: clusters,
              wire: { APIHandler.wireCluster($0) })
        route(router, "/v1/backup-locations", BackupStorageLocation.self, listKind: "BackupStorageLocationList",
              filtersCluster: false, cache: locations, wire: { APIHandler.wireLocation($0) })
        route(router, "/v1/backups", Backup.self, listKind: "BackupList", filtersCluster: true, cache: backups,
              wire: { try APIHandler.wireBackup($0) })
        route(router, "/v1/restores", Restore.self, listKind: "RestoreList", filtersCluster: true, cache: restores,
              wire: { try APIHandler.wireRestore($0) })
        route(router, "/v1/schedules", Schedule.self, listKind: "ScheduleList", filtersCluster: true, cache: schedules,
              wire: { try APIHandler.wireSchedule($0) })
    }

    /// `GET path` for objects of `type`: the kept response for its query at the kind's list generation, or a page
    /// assembled from the kept documents, rendering with `wire` only the rows whose revision has none.
    private func route<O: CatalogObject>(
        _ router: Router<AppRequestContext>, _ path: String, _ type: O.Type, listKind: String, filtersCluster: Bool,
        cache: KindCache, wire: @escaping @Sendable (O) throws -> any Encodable & Sendable
    ) {
        let database = database
        router.get(RouterPath(path)) { request, _ -> Response in
            let query = request.uri.query ?? ""
            // Taken before the read, so a write committed meanwhile has already moved past what is filed under it.
            let readGeneration = database.listGeneration(of: O.self)
            if let kept = cache.pages.page(for: query, at: readGeneration) {
                return Self.response(kept)
            }
            let options = try ListQuery(query: query).options(filtersCluster: filtersCluster)
            let items = try await database.renderedList(of: O.self, options, reuse: { cache.objects.document(for: $0) }) { object, revision in
                cache.objects.file(ByteBuffer(bytes: try APIDocumentEncoder.shared.encode(try wire(object))), for: revision)
            }
            let document = try Self.listDocument(kind: listKind, page: items)
            cache.pages.file(document, for: query, at: readGeneration)
            return Self.response(document)
        }
    }

    private static func response(_ document: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: document))
    }

    /// `{"apiVersion":…,"continue":…,"items":[…],"kind":…}`: the keys in the sorted order the generated encoder
    /// writes them, `continue` only when there is a next page.
    static func listDocument(kind: String, page: ListPage<ByteBuffer>) throws -> ByteBuffer {
        let itemBytes = page.items.reduce(0) { $0 + $1.readableBytes + 1 }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(itemBytes + 128 + (page.continueToken?.utf8.count ?? 0))
        buffer.writeString(#"{"apiVersion":"lifeboat.io/v1","#)
        if let token = page.continueToken {
            buffer.writeString(#""continue":"#)
            buffer.writeBytes(try APIDocumentEncoder.shared.encode(token))
            buffer.writeString(",")
        }
        buffer.writeString(#""items":["#)
        for (index, item) in page.items.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeImmutableBuffer(item)
        }
        buffer.writeString(#"],"kind":""#)
        buffer.writeString(kind)
        buffer.writeString(#""}"#)
        return buffer
    }
}
