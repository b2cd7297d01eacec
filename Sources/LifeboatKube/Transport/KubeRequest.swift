import NIOHTTP1

/// One API call before credentials and transport are added.
struct KubeRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]? = nil
    var contentType = "application/json"
    var accept = "application/json"
    /// Whether repeating the call after a 5xx or a broken connection cannot change its effect.
    var idempotent: Bool

    init(method: HTTPMethod, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
         contentType: String = "application/json", idempotent: Bool? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
        switch method {
        case .GET, .HEAD, .PUT, .DELETE: self.idempotent = idempotent ?? true
        default: self.idempotent = idempotent ?? false
        }
    }
}

/// A 2xx answer with its whole body.
struct KubeResponse: Sendable {
    var status: Int
    var phrase: String
    var headers: HTTPHeaders
    var body: [UInt8]
}
