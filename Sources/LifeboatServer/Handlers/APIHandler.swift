import Foundation
import Hummingbird
import LifeboatAPI
import LifeboatCore
import LifeboatStore

/// Implements the generated `APIProtocol`: maps wire types to domain values, calls the catalog, maps back.
///
/// Handlers never build error responses: they throw `LifeboatError`, which `ProblemMiddleware` renders.
/// Work that talks to clusters or storage is never done inline; it is queued as a job for the worker pool.
struct APIHandler: APIProtocol {
    let database: AppDatabase
    let vault: CredentialVault
    let tokens: TokenIssuer
    let server: ServerInfo
    let now: @Sendable () -> Date
    /// The list routes and their document caches, shared by every copy of this handler.
    let lists: CatalogLists

    init(
        database: AppDatabase, vault: CredentialVault, server: ServerInfo, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.vault = vault
        self.tokens = TokenIssuer(database: database)
        self.server = server
        self.now = now
        self.lists = CatalogLists(database: database)
    }

    /// Facts about this server process shown by `GET /v1/status`.
    struct ServerInfo: Sendable {
        var version: String
        var startTime: Date
        var workers: Int
        var isReady: @Sendable () -> Bool
    }
}

extension APIHandler: NativeRoutes {
    var nativeOperations: Set<NativeOperation> { CatalogLists.operations }

    func registerNativeRoutes(on router: Router<AppRequestContext>) {
        lists.register(on: router)
    }
}

extension APIHandler {
    /// Builds `ListOptions` from the common list query parameters, naming the parameter that is wrong.
    static func listOptions(
        limit: Int?, continueToken: String?, cluster: String?, phase: String?, labelSelector: String?
    ) throws -> ListOptions {
        if let limit, limit < 1 || limit > ListOptions.maximumLimit {
            throw LifeboatError.invalidArgument(field: "limit", reason: "must be between 1 and \(ListOptions.maximumLimit)")
        }
        var options = ListOptions(limit: limit ?? ListOptions.defaultLimit, continueToken: continueToken, phase: phase)
        if let cluster { options.cluster = try ClusterName(cluster, field: "cluster") }
        if let labelSelector, !labelSelector.isEmpty {
            options.labelSelector = try LabelSelector(parsing: labelSelector, field: "labelSelector")
        }
        return options
    }

    /// The wire metadata of a stored object.
    static func wireMetadata<Name: ResourceName>(_ metadata: ObjectMeta<Name>) -> Components.Schemas.ObjectMeta {
        Components.Schemas.ObjectMeta(
            name: metadata.name.rawValue,
            labels: metadata.labels.isEmpty ? nil : .init(additionalProperties: metadata.labels),
            annotations: metadata.annotations.isEmpty ? nil : .init(additionalProperties: metadata.annotations),
            uid: metadata.uid.uuidString.lowercased(),
            creationTimestamp: metadata.creationTimestamp)
    }

    /// Domain metadata for a new object: the name is validated; uid and creation time are the server's.
    func newMetadata<Name: ResourceName>(_ wire: Components.Schemas.ObjectMeta, as _: Name.Type) throws -> ObjectMeta<Name> {
        let name = try Name(wire.name, field: "metadata.name")
        return ObjectMeta(
            name: name, labels: wire.labels?.additionalProperties ?? [:],
            annotations: wire.annotations?.additionalProperties ?? [:], uid: UUID(), creationTimestamp: now())
    }
}
