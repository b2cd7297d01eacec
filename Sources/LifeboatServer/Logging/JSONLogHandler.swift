import Foundation
import Logging

/// One JSON object per log line (`--log-format json`), for log collectors.
///
/// Fields: `timestamp` (RFC 3339, UTC, milliseconds), `level`, `label`, `message`, `source`, then the metadata
/// keys (`hb.request.id`, `backup.name`, …) at the top level. Keys are sorted so lines diff cleanly.
package struct JSONLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let output: @Sendable (String, Logger.Level) -> Void

    /// - Parameters:
    ///   - label: The logger's label.
    ///   - output: Receives each finished line (without newline) and its level; ``BufferedLogOutput/standardError``
    ///     by default, a buffer in tests.
    package init(label: String, metadataProvider: Logger.MetadataProvider? = nil,
                 output: @escaping @Sendable (String, Logger.Level) -> Void = BufferedLogOutput.standardError.write) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = output
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: Any] = [:]
        for (key, value) in merged { object[key] = Self.json(value) }
        object["timestamp"] = LogTimestamp.now()
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        object["source"] = event.source
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        output(String(decoding: data, as: UTF8.self), event.level)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let array): array.map(json)
        case .dictionary(let dictionary): dictionary.mapValues(json)
        }
    }
}
