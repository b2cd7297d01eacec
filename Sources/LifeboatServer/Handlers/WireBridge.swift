import Foundation
import LifeboatCore

/// Converts between generated wire types and Core domain types that share one JSON shape.
///
/// Backups, restores and schedules follow Velero's field names on both sides (the spec was written from
/// the same reference as the domain types), so a JSON round trip is an exact mapping for ~60 fields
/// without hand-written copies that drift. `WireBridgeTests` pins that every field survives both ways.
/// Kinds whose wire and domain shapes differ on purpose (clusters and locations, which carry
/// write-only credentials) are mapped by hand in their handler files instead.
enum WireBridge {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp")
        }
        return decoder
    }

    /// Re-reads `value` as `Target`. A value the target rejects (a bad name, an unknown enum value) becomes
    /// `invalidArgument` naming its JSON path under `fieldPrefix`, so the client learns which field is wrong.
    static func convert<Source: Encodable, Target: Decodable>(
        _ value: Source, to target: Target.Type, fieldPrefix: String
    ) throws -> Target {
        let data = try encoder().encode(value)
        do {
            return try decoder().decode(Target.self, from: data)
        } catch let error as DecodingError {
            throw invalidArgument(error, fieldPrefix: fieldPrefix)
        } catch let error as LifeboatError {
            throw error
        }
    }

    static func invalidArgument(_ error: DecodingError, fieldPrefix: String) -> LifeboatError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var result = fieldPrefix
            for key in codingPath {
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty || result.hasSuffix(".") ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return result.hasSuffix(".") ? String(result.dropLast()) : result
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidArgument(field: path(context.codingPath + [key]), reason: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .invalidArgument(field: path(context.codingPath), reason: "has the wrong type")
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? LifeboatError, case .invalidArgument(_, let reason) = underlying {
                return .invalidArgument(field: path(context.codingPath), reason: reason)
            }
            return .invalidArgument(field: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidArgument(field: fieldPrefix, reason: "is invalid")
        }
    }
}
