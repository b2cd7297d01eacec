import LifeboatAPI
import Prometheus

/// What the HTTP layer needs from the rest of the server, wired once in ``buildApplication(configuration:dependencies:services:logger:)``.
package struct HTTPDependencies: Sendable {
    /// Bearer token → identity.
    package var authenticator: any TokenAuthenticator
    /// The API handlers; nil serves only health, metrics, the contract and static files.
    package var api: (any APIProtocol)?
    /// The Prometheus registry `/metrics` renders; nil disables the route.
    package var metrics: PrometheusCollectorRegistry?
    /// `/readyz`: true once the catalog is open and migrated and the server can do work.
    package var readiness: @Sendable () async -> Bool
    /// Directory of the dashboard's static files (`web-assets/`); nil or missing serves none.
    package var webAssetsDirectory: String?
    /// Path of `openapi/lifeboat.yaml`, served as `/openapi.yaml`; nil or missing serves none.
    package var openAPISpecPath: String?
    /// Whether an `api` with routes of its own (`NativeRoutes`: the catalog lists) serves them; false sends every
    /// operation through the generated server, which tests compare the native routes against.
    package var servesNativeRoutes = true

    package init(
        authenticator: any TokenAuthenticator, api: (any APIProtocol)? = nil, metrics: PrometheusCollectorRegistry? = nil,
        readiness: @escaping @Sendable () async -> Bool = { true }, webAssetsDirectory: String? = nil, openAPISpecPath: String? = nil
    ) {
        self.authenticator = authenticator
        self.api = api
        self.metrics = metrics
        self.readiness = readiness
        self.webAssetsDirectory = webAssetsDirectory
        self.openAPISpecPath = openAPISpecPath
    }
}
