import Foundation
import LifeboatAPI

/// `describe` output: aligned `Key: value` lines in Velero's order, for people rather than scripts.
enum Describing {
    static func backup(_ backup: Components.Schemas.Backup) -> String {
        let spec = backup.spec
        let status = backup.status
        return lines([
            ("Name", backup.metadata.name),
            ("Labels", labels(backup.metadata.labels?.additionalProperties)),
            ("Cluster", spec.cluster ?? "<none>"),
            ("Phase", status?.phase?.rawValue ?? "New"),
            ("Errors", "\(status?.errors ?? 0)"),
            ("Warnings", "\(status?.warnings ?? 0)"),
            ("Namespaces included", list(spec.includedNamespaces, empty: "*")),
            ("Namespaces excluded", list(spec.excludedNamespaces, empty: "<none>")),
            ("Resources included", list(spec.includedResources, empty: "*")),
            ("Resources excluded", list(spec.excludedResources, empty: "<none>")),
            ("Cluster-scoped", spec.includeClusterResources.map { $0 ? "included" : "excluded" } ?? "auto"),
            ("Label selector", Rendering.selector(spec.labelSelector)),
            ("Or label selector", spec.orLabelSelectors.map { $0.map(Rendering.selector).joined(separator: " or ") } ?? "<none>"),
            ("Storage Location", spec.storageLocation ?? "<default>"),
            ("TTL", spec.ttl ?? "<default>"),
            ("Created", Rendering.timestamp(backup.metadata.creationTimestamp)),
            ("Started", Rendering.timestamp(status?.startTimestamp)),
            ("Completed", Rendering.timestamp(status?.completionTimestamp)),
            ("Expiration", Rendering.timestamp(status?.expiration)),
            ("Total items to be backed up", status?.progress?.totalItems.map(String.init) ?? "<nil>"),
            ("Items backed up", status?.progress?.itemsBackedUp.map(String.init) ?? "<nil>"),
            ("Failure reason", status?.failureReason ?? ""),
        ])
    }

    static func restore(_ restore: Components.Schemas.Restore) -> String {
        let spec = restore.spec
        let status = restore.status
        let mappings = (spec.namespaceMapping?.additionalProperties ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
        return lines([
            ("Name", restore.metadata.name),
            ("Labels", labels(restore.metadata.labels?.additionalProperties)),
            ("Backup", spec.backupName ?? spec.scheduleName.map { "latest of schedule \($0)" } ?? "<none>"),
            ("Cluster", spec.cluster ?? "<backup's cluster>"),
            ("Phase", status?.phase?.rawValue ?? "New"),
            ("Preview", (spec.preview ?? false) ? "true" : "false"),
            ("Errors", "\(status?.errors ?? 0)"),
            ("Warnings", "\(status?.warnings ?? 0)"),
            ("Namespaces included", list(spec.includedNamespaces, empty: "all namespaces found in the backup")),
            ("Namespaces excluded", list(spec.excludedNamespaces, empty: "<none>")),
            ("Resources included", list(spec.includedResources, empty: "*")),
            ("Resources excluded", list(spec.excludedResources, empty: "<none>")),
            ("Namespace mappings", mappings.isEmpty ? "<none>" : mappings.joined(separator: ", ")),
            ("Label selector", Rendering.selector(spec.labelSelector)),
            ("Existing Resource Policy", spec.existingResourcePolicy?.rawValue ?? "none"),
            ("Started", Rendering.timestamp(status?.startTimestamp)),
            ("Completed", Rendering.timestamp(status?.completionTimestamp)),
            ("Total items to be restored", status?.progress?.totalItems.map(String.init) ?? "<nil>"),
            ("Items restored", status?.progress?.itemsRestored.map(String.init) ?? "<nil>"),
            ("Failure reason", status?.failureReason ?? ""),
        ])
    }

    static func schedule(_ schedule: Components.Schemas.Schedule) -> String {
        lines([
            ("Name", schedule.metadata.name),
            ("Labels", labels(schedule.metadata.labels?.additionalProperties)),
            ("Phase", schedule.status?.phase?.rawValue ?? "New"),
            ("Paused", "\(schedule.spec.paused ?? false)"),
            ("Schedule", schedule.spec.schedule),
            ("Cluster", schedule.spec.template.cluster ?? "<none>"),
            ("Namespaces included", list(schedule.spec.template.includedNamespaces, empty: "*")),
            ("Namespaces excluded", list(schedule.spec.template.excludedNamespaces, empty: "<none>")),
            ("Label selector", Rendering.selector(schedule.spec.template.labelSelector)),
            ("Storage Location", schedule.spec.template.storageLocation ?? "<default>"),
            ("TTL", schedule.spec.template.ttl ?? "<default>"),
            ("Last Backup", Rendering.timestamp(schedule.status?.lastBackup)),
            ("Next Run", Rendering.timestamp(schedule.status?.nextRun)),
        ])
    }

    static func cluster(_ cluster: Components.Schemas.Cluster) -> String {
        lines([
            ("Name", cluster.metadata.name),
            ("Labels", labels(cluster.metadata.labels?.additionalProperties)),
            ("Server", cluster.spec.server ?? "<from kubeconfig>"),
            ("Context", cluster.spec.context ?? "<current-context>"),
            ("Phase", cluster.status?.phase?.rawValue ?? "Pending"),
            ("Kubernetes version", cluster.status?.kubernetesVersion ?? "<unknown>"),
            ("Message", cluster.status?.message ?? ""),
            ("Last checked", Rendering.timestamp(cluster.status?.lastCheckTime)),
            ("Credentials", (cluster.status?.credentialsConfigured ?? false) ? "stored (write-only)" : "<none>"),
        ])
    }

    /// Velero's `--details` resource list: `apps/v1/Deployment:` then indented `- ns/name` lines.
    static func resourceList(_ resources: [String: [String]]) -> String {
        var text = "Resource List:"
        for (kind, names) in resources.sorted(by: { $0.key < $1.key }) {
            text += "\n  \(kind):"
            for name in names { text += "\n    - \(name)" }
        }
        return text
    }

    /// One line counting the items per outcome, in the order of the outcome enum: `Items: 3 created, 1 failed`.
    static func restoreItemSummary(_ results: Components.Schemas.RestoreItemResults) -> String {
        let label = results.preview ? "Items (preview):" : "Items:"
        var counts: [Components.Schemas.RestoreItemResult.OutcomePayload: Int] = [:]
        for item in results.items { counts[item.outcome, default: 0] += 1 }
        let parts = Components.Schemas.RestoreItemResult.OutcomePayload.allCases.compactMap { outcome in
            counts[outcome].map { "\($0) \(outcome.rawValue)" }
        }
        return "\(label) " + (parts.isEmpty ? "<none>" : parts.joined(separator: ", "))
    }

    /// `--details`: every item's outcome as a table, in the order the restore recorded them.
    static func restoreItems(_ results: Components.Schemas.RestoreItemResults) -> String {
        let table = Rendering.table(
            headers: ["RESOURCE", "NAMESPACE", "TARGET NAMESPACE", "NAME", "OUTCOME", "REASON"],
            rows: results.items.map { item in
                [item.resource, item.namespace ?? "", item.targetNamespace ?? "", item.name, item.outcome.rawValue, item.reason ?? ""]
            })
        return "Restore Items:\n" + table
    }

    private static func lines(_ pairs: [(String, String)]) -> String {
        let width = (pairs.map(\.0.count).max() ?? 0) + 2
        return pairs.map { key, value in
            (key + ":").padding(toLength: width, withPad: " ", startingAt: 0) + value
        }.joined(separator: "\n")
    }

    private static func labels(_ labels: [String: String]?) -> String {
        guard let labels, !labels.isEmpty else { return "<none>" }
        return labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    private static func list(_ values: [String]?, empty: String) -> String {
        guard let values, !values.isEmpty else { return empty }
        return values.joined(separator: ", ")
    }
}
