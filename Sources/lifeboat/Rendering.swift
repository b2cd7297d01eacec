import Foundation
import LifeboatAPI
import Yams

/// Turns API objects into what the user sees: JSON or YAML as the API returns them, or Velero-style tables.
enum Rendering {
    /// Pretty JSON with sorted keys and Kubernetes-style timestamps, so scripts can `jq '.status.phase'`.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try KubernetesDateTranscoder().encode(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// YAML of the same document as ``json(_:)``: converted from it, so both formats carry identical values.
    static func yaml<T: Encodable>(_ value: T) throws -> String {
        let document = try Yams.load(yaml: try json(value)) ?? [String: Any]()
        return try Yams.dump(object: document, sortKeys: true)
    }

    /// Prints `value` as JSON or YAML; `table` is handled by the caller, which knows the columns.
    static func document<T: Encodable>(_ value: T, format: OutputFormat) throws -> String? {
        switch format {
        case .json: return try json(value)
        case .yaml: return try yaml(value).trimmingSuffixNewlines()
        case .table: return nil
        }
    }

    /// Left-aligned columns separated by three spaces, like kubectl's and Velero's tabwriter.
    static func table(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                if index == cells.count - 1 {
                    text += cell
                } else {
                    text += cell + String(repeating: " ", count: widths[index] - cell.count + 3)
                }
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// Velero's timestamp format: `2026-01-02 03:04:05 +0000 UTC`; `<nil>` when unset, as Velero prints it.
    static func timestamp(_ date: Date?) -> String {
        guard let date else { return "<nil>" }
        let iso = date.formatted(Date.ISO8601FormatStyle())  // 2026-01-02T03:04:05Z
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " +0000 UTC")
    }

    /// Time until `date` as Velero's EXPIRES column shows it (`29d`, `5h`, `12m`), or `<nil>`.
    static func expires(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "<nil>" }
        let seconds = Int(date.timeIntervalSince(now).rounded(.down))
        if seconds <= 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 48 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    /// A label selector as text (`app=web,tier notin (db)`), `<none>` when empty, as Velero's SELECTOR column.
    static func selector(_ selector: Components.Schemas.LabelSelector?) -> String {
        guard let selector else { return "<none>" }
        var parts = (selector.matchLabels?.additionalProperties ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in selector.matchExpressions ?? [] {
            let values = (requirement.values ?? []).joined(separator: ",")
            switch requirement._operator {
            case ._in: parts.append("\(requirement.key) in (\(values))")
            case .notIn: parts.append("\(requirement.key) notin (\(values))")
            case .exists: parts.append(requirement.key)
            case .doesNotExist: parts.append("!\(requirement.key)")
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }
}

extension String {
    /// The string without trailing newlines (Yams ends documents with one; `print` adds its own).
    func trimmingSuffixNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
