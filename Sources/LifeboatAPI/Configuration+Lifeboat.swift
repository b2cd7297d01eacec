package import Foundation
package import OpenAPIRuntime

/// RFC 3339 timestamps the way Kubernetes and Velero write them.
///
/// Output has whole seconds (`2026-01-02T03:04:05Z`), like `metav1.Time`; input may also carry fractional
/// seconds, because the runtime's default transcoder rejects `…05.123Z`, which other tools and
/// `velero-backup.json` files written by newer Velero versions contain.
package struct KubernetesDateTranscoder: DateTranscoder {
    package init() {}

    package func encode(_ date: Date) throws -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    package func decode(_ string: String) throws -> Date {
        if let date = try? Date.ISO8601FormatStyle().parse(string) { return date }
        return try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(string)
    }
}

extension Configuration {
    /// The one configuration server and client share, so both ends agree on dates and JSON layout.
    ///
    /// Compact JSON (no pretty printing) keeps large list responses small; slashes stay unescaped
    /// because people read these documents.
    package static var lifeboat: Configuration {
        Configuration(dateTranscoder: KubernetesDateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
    }
}
