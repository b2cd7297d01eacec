import Foundation
import LifeboatCore
import LifeboatStore

/// The common list parameters (`limit`, `continue`, `cluster`, `phase`, `labelSelector`) read from a raw query
/// string the way the generated server reads them (OpenAPI form style: `+` is a space, then percent-decoding), for
/// the lists `CatalogLists` serves without the generated layer.
struct ListQuery: Equatable {
    var limit: Int?
    var continueToken: String?
    var cluster: String?
    var phase: String?
    var labelSelector: String?

    /// Parses `query` (without the `?`); unknown parameters are ignored, as the generated server ignores them, and a
    /// repeated one keeps its first value. Unlike the generated server, a value that is not valid percent-encoding
    /// is refused naming its parameter (the generated one silently dropped it and listed everything).
    init(query: String?) throws {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), values[name] == nil else { continue }
            let raw = parts.count > 1 ? parts[1] : ""
            guard let value = Self.decode(raw) else {
                throw LifeboatError.invalidArgument(field: name, reason: "is not valid percent-encoding")
            }
            values[name] = value
        }
        if let text = values["limit"] {
            guard let limit = Int(text) else {
                // A query that does not decode is a 400 naming the parameter, as for a body that does not decode.
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: [QueryKey.limit], debugDescription: "limit must be an integer"))
            }
            self.limit = limit
        }
        continueToken = values["continue"]
        cluster = values["cluster"]
        phase = values["phase"]
        labelSelector = values["labelSelector"]
    }

    private enum QueryKey: String, CodingKey { case limit }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The store's options; `filtersCluster` is false for kinds that belong to no cluster (clusters, locations),
    /// whose lists ignore `cluster` like the contract says.
    func options(filtersCluster: Bool) throws -> ListOptions {
        try APIHandler.listOptions(
            limit: limit, continueToken: continueToken, cluster: filtersCluster ? cluster : nil, phase: phase,
            labelSelector: labelSelector)
    }
}
