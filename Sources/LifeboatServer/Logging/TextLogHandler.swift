import Logging

/// One human-readable line per event (`--log-format text`, the default):
///
///     2026-12-04T21:15:45.123Z info lifeboat-server: backup.name=nightly hb.request.id=9f… [LifeboatServer] Backup finished
///
/// The layout is swift-log's `StreamLogHandler`'s (level, label, metadata sorted by key, source, message) with the
/// timestamp of the JSON lines: UTC with milliseconds (``LogTimestamp``). Lines go to ``BufferedLogOutput`` instead
/// of one unbuffered `write(2)` each.
package struct TextLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadataProvider: Logger.MetadataProvider?
    package var metadata: Logger.Metadata = [:]

    private let label: String
    private let output: @Sendable (String, Logger.Level) -> Void

    /// - Parameter output: Receives each finished line (without newline) and its level; standard error by default.
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

    /// Renders the line in one pass. Every request sets `hb.request.id` on its logger and writes one line, so the
    /// metadata is rendered when a line is written (not again on every change, as `StreamLogHandler` does), and the
    /// three sources are gathered into one sorted list instead of merged dictionaries.
    package func log(event: LogEvent) {
        var fields: [Field] = []
        fields.reserveCapacity(metadata.count + 8)
        if let own = event.metadata {
            for (key, value) in own { fields.append(Field(key: key, rank: 0, value: value)) }
        }
        if let provided = metadataProvider?.get() {
            for (key, value) in provided { fields.append(Field(key: key, rank: 1, value: value)) }
        }
        for (key, value) in metadata { fields.append(Field(key: key, rank: 2, value: value)) }
        // By key; for a key set in several places the event's own value wins over the provider's over the logger's.
        fields.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }

        var line = LogTimestamp.now()
        line.reserveCapacity(160 + fields.count * 48)
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        var previous: String?
        for field in fields where field.key != previous {
            previous = field.key
            line += " "
            line += field.key
            line += "="
            switch field.value {
            case .string(let text): line += text
            case .stringConvertible(let value): line += value.description
            default: line += field.value.description
            }
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        output(line, event.level)
    }

    private struct Field {
        let key: String
        let rank: Int
        let value: Logger.Metadata.Value
    }
}
