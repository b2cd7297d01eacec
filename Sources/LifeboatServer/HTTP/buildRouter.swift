import Foundation
import HTTPTypes
import Hummingbird
import LifeboatCore
import Logging
import LifeboatAPI
import OpenAPIHummingbird
import OpenAPIRuntime
import Prometheus

/// The router: middleware in order, health and metrics routes, the contract, the dashboard and the API.
///
/// Middleware order, outermost first: metrics and request logging see the final status; the request id is set on
/// every response; `ProblemMiddleware` renders every error below it; static files are tried when nothing else
/// matched; authentication guards `/v1/…` and `/metrics`; the identity task-local is bound last, around the handlers.
package func buildRouter(dependencies: HTTPDependencies) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        if let registry = dependencies.metrics {
            RequestMetricsMiddleware(factory: PrometheusMetricsFactory(registry: registry))
        }
        AccessLogMiddleware(.info)
        RequestIDMiddleware()
        ProblemMiddleware()
        if let directory = dependencies.webAssetsDirectory, FileManager.default.fileExists(atPath: directory) {
            FileMiddleware(directory, searchForIndexHtml: true)
        }
        BearerAuthMiddleware(authenticator: dependencies.authenticator)
        RequestIdentityMiddleware()
    }

    router.get("/healthz") { _, _ in HTTPResponse.Status.noContent }
    router.get("/readyz") { _, _ -> HTTPResponse.Status in
        guard await dependencies.readiness() else {
            throw HTTPProblem(status: .serviceUnavailable, slug: "not-ready", detail: "the server is starting or shutting down")
        }
        return .noContent
    }
    if let registry = dependencies.metrics {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
    if let path = dependencies.openAPISpecPath, let spec = FileManager.default.contents(atPath: path) {
        let bytes = ByteBuffer(bytes: spec)
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: bytes))
        }
    }
    if let api = dependencies.api {
        var skipped: Set<NativeOperation> = []
        if dependencies.servesNativeRoutes, let native = api as? any NativeRoutes {
            native.registerNativeRoutes(on: router)
            skipped = native.nativeOperations
        }
        let transport = SkippingTransport(base: router, skipped: skipped)
        try api.registerHandlers(on: transport, configuration: .lifeboat)
        if let operation = transport.unmatched.first {
            throw LifeboatError.conflict(reason: "\(operation.method) \(operation.path) is served natively but is not in the contract")
        }
    }
    return router
}
