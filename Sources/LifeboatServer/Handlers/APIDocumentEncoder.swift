import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// Encodes API documents byte for byte as the generated server does, from the configuration both share
/// (`Configuration.lifeboat`), for responses `CatalogLists` assembles itself.
enum APIDocumentEncoder {
    /// Built once: a JSONEncoder is safe to share, and setting one up per item was work on every list miss.
    static let shared = encoder()

    static func encoder(_ configuration: Configuration = .lifeboat) -> JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = []
        let options = configuration.jsonEncodingOptions
        if options.contains(.sortedKeys) { formatting.insert(.sortedKeys) }
        if options.contains(.prettyPrinted) { formatting.insert(.prettyPrinted) }
        if options.contains(.withoutEscapingSlashes) { formatting.insert(.withoutEscapingSlashes) }
        encoder.outputFormatting = formatting
        let transcoder = configuration.dateTranscoder
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        return encoder
    }
}
