import Foundation
import LifeboatArchive
import Logging

/// The log of one backup or restore, written the way Velero writes its `<name>-logs.gz`: logrus text lines
/// (`time="…" level=info msg="…" backup=velero/<name> key=value …`), gzip-compressed as they are written, so the
/// log of a 100k-item run costs its compressed size in memory and `velero backup logs` users read what they know.
/// Every line also goes to the job's own logger.
///
/// Not thread-safe: one run owns it, writing from its consumer loop.
public final class RunLog {
    public enum Level: String, Sendable {
        case debug, info, warning, error

        var loggerLevel: Logger.Level {
            switch self {
            case .debug: .debug
            case .info: .info
            case .warning: .warning
            case .error: .error
            }
        }
    }

    private let subject: (key: String, value: String)
    private let logger: Logger
    private let gzip: GzipCompressor
    private var compressed: [UInt8] = []
    private var line: [UInt8] = []
    private var finished: [UInt8]?
    private let now: @Sendable () -> Date
    private let formatter: ISO8601DateFormatter

    /// - Parameter subject: the field naming the run, `backup` or `restore`, with the run's name.
    public init(subject key: String, name: String, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.subject = (key, "velero/\(name)")
        self.logger = logger
        self.gzip = try GzipCompressor()
        self.now = now
        self.formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
    }

    /// Appends one line. `fields` are written sorted by key after the run's subject, as logrus does.
    public func log(_ level: Level, _ message: String, _ fields: [String: String] = [:]) {
        guard finished == nil else { return }
        var text = "time=\"\(formatter.string(from: now()))\" level=\(level.rawValue) msg=\(Self.quoted(message)) \(subject.key)=\(subject.value)"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            text += " \(key)=\(Self.quotedIfNeeded(value))"
        }
        text += "\n"
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: text.utf8)
        do {
            try gzip.compress(line) { compressed.append(contentsOf: $0) }
        } catch {
            logger.error("Could not compress the run log", metadata: ["error": "\(error)"])
        }
        var metadata: Logger.Metadata = [subject.key: .string(subject.value)]
        for (key, value) in fields { metadata[key] = .string(value) }
        logger.log(level: level.loggerLevel, "\(message)", metadata: metadata)
    }

    public func info(_ message: String, _ fields: [String: String] = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [String: String] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: String] = [:]) { log(.error, message, fields) }

    /// Ends the gzip stream and answers the whole `.gz` file; later lines are dropped.
    public func finish() throws -> [UInt8] {
        if let finished { return finished }
        try gzip.finish { compressed.append(contentsOf: $0) }
        finished = compressed
        return compressed
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// logrus quotes a value only when it holds characters outside `[A-Za-z0-9-._/@^+]`.
    static func quotedIfNeeded(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "/", "@", "^", "+": true
            default: false
            }
        }
        return plain ? text : quoted(text)
    }
}
