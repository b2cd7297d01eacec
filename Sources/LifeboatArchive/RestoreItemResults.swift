import Foundation

/// What a restore did, or a preview would do, with each object of the backup: Lifeboat's
/// `restore-<R>-items.json.gz` beside Velero's files in `restores/<R>/` (Velero never reads it).
///
/// Velero's own `restore-<R>-resource-list.json.gz` keeps only `ns/name(action)`; this document adds the
/// target namespace after mapping and the reason for every skip, conflict and failure, which is what
/// `lifeboat restore describe` and the API's per-item results show.
public struct RestoreItemResults: Sendable, Equatable, Codable {
    /// True when the restore was a preview: the outcomes are predictions and nothing was changed.
    public var preview: Bool
    public var items: [RestoreItemResult]

    /// Creates a document.
    public init(preview: Bool = false, items: [RestoreItemResult] = []) {
        self.preview = preview
        self.items = items
    }

    /// Compact JSON with sorted keys and a trailing newline.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(self))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The gzip-compressed document, the object stored at `RestoreKeys.items`.
    public func gzipped() throws -> [UInt8] {
        try GzipCompressor.compress(jsonBytes())
    }

    /// Reads a document written by `jsonBytes()`.
    public init(json: [UInt8]) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json))
    }
}

/// One object's outcome in a restore or a preview.
public struct RestoreItemResult: Sendable, Equatable, Codable {
    /// The group-resource directory name (`deployments.apps`, `pods`).
    public var resource: String
    /// `"<apiVersion>/<Kind>"` of the object, as in Velero's resource lists.
    public var kind: String
    /// The namespace in the backup; nil for cluster-scoped objects.
    public var namespace: String?
    /// The namespace it is (or would be) restored into, after namespace mapping.
    public var targetNamespace: String?
    public var name: String
    public var outcome: RestoreItemOutcome
    /// Why it was skipped, differs, conflicts or failed; nil when there is nothing to say.
    public var reason: String?

    /// Creates a result.
    public init(resource: String, kind: String, namespace: String?, targetNamespace: String?, name: String,
                outcome: RestoreItemOutcome, reason: String? = nil) {
        self.resource = resource
        self.kind = kind
        self.namespace = namespace
        self.targetNamespace = targetNamespace
        self.name = name
        self.outcome = outcome
        self.reason = reason
    }
}

/// The outcome of one object. A restore records the first five; a preview the last four.
public enum RestoreItemOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created in the target cluster.
    case created
    /// Existed and was patched to the backed-up state (`existingResourcePolicy: update`).
    case updated
    /// Existed and already equalled the backed-up state.
    case unchanged
    /// Not restored: filtered, never restorable, existing and different under policy `none`, or a per-kind rule.
    case skipped
    /// The create or patch failed; `reason` says why.
    case failed
    /// Preview: absent from the target, would be created.
    case wouldCreate
    /// Preview: exists and differs, would be patched (policy `update`).
    case wouldUpdate
    /// Preview: would not be touched (filtered, never restorable, or existing and equal).
    case wouldSkip
    /// Preview: exists and differs, and policy `none` would leave the live object as it is.
    case conflict

    /// The action word Velero's restore resource list uses (`created`, `updated`, `failed`, `skipped`).
    public var veleroAction: String {
        switch self {
        case .created, .wouldCreate: "created"
        case .updated, .wouldUpdate: "updated"
        case .failed: "failed"
        case .unchanged, .skipped, .wouldSkip, .conflict: "skipped"
        }
    }
}
