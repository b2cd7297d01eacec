import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// An operation of the contract that a route of our own serves instead of the generated server, because the
/// generated layer's per-request JSON work is too slow for it (the catalog lists, `CatalogLists`).
struct NativeOperation: Hashable, Sendable {
    var method: HTTPRequest.Method
    /// The path template as the contract writes it (`/v1/backups`).
    var path: String
}

/// Passes the generated server's registrations on to `base`, except the operations served natively.
///
/// Registering both would leave which one answers to the router's tie-breaking; skipping makes it explicit, and
/// `unmatched` names a native operation the contract does not have, which `buildRouter` refuses to start with.
final class SkippingTransport: ServerTransport {
    let base: any ServerTransport
    let skipped: Set<NativeOperation>
    private var seen: Set<NativeOperation> = []  // registration is synchronous, at start-up only

    init(base: any ServerTransport, skipped: Set<NativeOperation>) {
        self.base = base
        self.skipped = skipped
    }

    func register(
        _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        let operation = NativeOperation(method: method, path: path)
        guard !skipped.contains(operation) else {
            seen.insert(operation)
            return
        }
        try base.register(handler, method: method, path: path)
    }

    /// Skipped operations the generated server never offered.
    var unmatched: Set<NativeOperation> { skipped.subtracting(seen) }
}

/// An `APIProtocol` implementation that serves some of the contract's operations with routes of its own.
protocol NativeRoutes: Sendable {
    var nativeOperations: Set<NativeOperation> { get }
    func registerNativeRoutes(on router: Router<AppRequestContext>)
}
