import LifeboatArchive
import LifeboatCore
import LifeboatKube

/// What happened to one planned item, with the warning or error it adds to the restore's results.
struct ItemReport: Sendable {
    var result: RestoreItemResult
    /// The item's `apiVersion` as restored, for the restore resource list's `<apiVersion>/<Kind>` keys.
    var apiVersion: String = ""
    var warning: String?
    var error: String?
}

/// Restores (or previews) one planned item against the target cluster: Velero's create-then-compare
/// (`velero-reference.md` §6.3). Created; AlreadyExists and equal → unchanged; different → a warning under
/// policy `none`, a merge patch to the backed-up state under `update`; any other failure → failed with the reason.
/// A preview does the same decision with a GET instead of a create and writes nothing.
struct ItemRestorer: Sendable {
    let client: HTTPKubernetesClient
    let catalog: APIResourceCatalog
    let rules: RestoreItemRules
    let policy: ExistingResourcePolicy
    let preview: Bool
    /// Volumes the cluster provisions anew; claims bound to them are restored unbound.
    var reprovisionedVolumes: Set<String> = []

    func restore(_ item: RestorePlan.Item, resource: String) async -> ItemReport {
        var report = await decide(item, resource: resource)
        if report.apiVersion.isEmpty, let apiVersion = KubeObject(json: item.json).apiVersion { report.apiVersion = apiVersion }
        return report
    }

    private func decide(_ item: RestorePlan.Item, resource: String) async -> ItemReport {
        let value: LifeboatKube.JSONValue
        do {
            value = try LifeboatKube.JSONValue(parsing: item.json)
        } catch {
            return report(item, resource: resource, kind: "", outcome: .failed, reason: "the backed-up item is not valid JSON: \(error)",
                          asError: true)
        }
        let kind = value["kind"]?.stringValue ?? ""
        let apiVersion = value["apiVersion"]?.stringValue ?? ""
        switch rules.prepare(value, resource: resource) {
        case .skip(let reason):
            return report(item, resource: resource, kind: kind, outcome: preview ? .wouldSkip : .skipped, reason: reason)
        case .create(let object, let status):
            guard let api = catalog.resource(forKind: kind, apiVersion: apiVersion) ?? fallback(resource, kind: kind) else {
                return report(item, resource: resource, kind: kind, outcome: .failed,
                              reason: "the cluster does not serve \(apiVersion) \(kind)", asError: true)
            }
            var report = await apply(item, object: object, status: status, api: api, resource: resource, kind: kind)
            report.apiVersion = api.groupVersion
            return report
        }
    }

    /// The target's resource when it serves the backed-up group and resource under another version.
    private func fallback(_ resource: String, kind: String) -> APIResource? {
        catalog.preferredResources.first { $0.qualifiedName == resource && $0.kind == kind }
    }

    private func apply(_ item: RestorePlan.Item, object: LifeboatKube.JSONValue, status: LifeboatKube.JSONValue?, api: APIResource, resource: String,
                       kind: String) async -> ItemReport {
        var body = object
        if resource == "persistentvolumeclaims", let volume = body["spec"]?["volumeName"]?.stringValue, reprovisionedVolumes.contains(volume) {
            body["spec"]?["volumeName"] = Optional<LifeboatKube.JSONValue>.none
        }
        if body["apiVersion"]?.stringValue != api.groupVersion { body["apiVersion"] = .string(api.groupVersion) }
        let name = item.key.name
        let namespace = item.targetNamespace
        if preview {
            do {
                let live = try await client.get(api, name: name, namespace: namespace)
                return compare(item, live: live, desired: body, api: api, resource: resource, kind: kind)
            } catch let error as KubernetesError where error.isNotFound {
                return report(item, resource: resource, kind: kind, outcome: .wouldCreate)
            } catch {
                return report(item, resource: resource, kind: kind, outcome: .failed, reason: "\(error)", asError: true)
            }
        }
        do {
            let created = try await client.create(api, KubeObject(body), namespace: namespace)
            if let status { await restoreStatus(status, of: created, api: api, namespace: namespace) }
            return report(item, resource: resource, kind: kind, outcome: .created)
        } catch let error as KubernetesError where error.isAlreadyExists || Self.isAllocatedPort(error, resource: resource) {
            do {
                let live = try await client.get(api, name: name, namespace: namespace)
                return await settleExisting(item, live: live, desired: body, api: api, resource: resource, kind: kind)
            } catch {
                return report(item, resource: resource, kind: kind, outcome: .failed, reason: "\(error)", asError: true)
            }
        } catch {
            return report(item, resource: resource, kind: kind, outcome: .failed, reason: "\(error)", asError: true)
        }
    }

    /// The first few changed paths, for a reason line.
    static func summary(of patch: LifeboatKube.JSONValue) -> String {
        let paths = MergePatch.paths(of: patch)
        return paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? " and \(paths.count - 5) more" : "")
    }

    /// Velero treats a Service create refused only because its node port is taken as AlreadyExists.
    static func isAllocatedPort(_ error: KubernetesError, resource: String) -> Bool {
        resource == "services" && error.code == 422 && error.description.contains("provided port is already allocated")
    }

    private func compare(_ item: RestorePlan.Item, live: KubeObject, desired: LifeboatKube.JSONValue, api: APIResource, resource: String,
                         kind: String) -> ItemReport {
        guard let liveValue = try? live.value() else {
            return report(item, resource: resource, kind: kind, outcome: .failed, reason: "the live object is not valid JSON", asError: true)
        }
        guard let patch = MergePatch.diff(from: rules.comparable(live: liveValue, resource: resource), to: rules.comparable(prepared: desired))
        else {
            return report(item, resource: resource, kind: kind, outcome: .wouldSkip, reason: "already exists and equals the backup")
        }
        switch policy {
        case .update:
            return report(item, resource: resource, kind: kind, outcome: .wouldUpdate,
                          reason: "exists and differs in \(Self.summary(of: patch)); would be patched")
        case .none:
            return report(item, resource: resource, kind: kind, outcome: .conflict,
                          reason: "exists and differs from the backup in \(Self.summary(of: patch)); policy none leaves it as it is")
        }
    }

    private func settleExisting(_ item: RestorePlan.Item, live: KubeObject, desired: LifeboatKube.JSONValue, api: APIResource, resource: String,
                                kind: String) async -> ItemReport {
        guard let liveValue = try? live.value() else {
            return report(item, resource: resource, kind: kind, outcome: .failed, reason: "the live object is not valid JSON", asError: true)
        }
        let liveComparable = rules.comparable(live: liveValue, resource: resource)
        let desiredComparable = rules.comparable(prepared: desired)
        guard let patch = MergePatch.diff(from: liveComparable, to: desiredComparable) else {
            return report(item, resource: resource, kind: kind, outcome: .unchanged)
        }
        let description = "\(kind) \"\(item.targetNamespace.map { "\($0)/" } ?? "")\(item.key.name)\""
        switch policy {
        case .none:
            let warning = "could not restore, \(description) already exists. Warning: the in-cluster version is different than the backed-up version"
            return report(item, resource: resource, kind: kind, outcome: .skipped,
                          reason: "already exists and differs from the backup in \(Self.summary(of: patch))", warning: warning)
        case .update:
            do {
                _ = try await client.patch(api, name: item.key.name, namespace: item.targetNamespace, type: .merge, patch: patch)
                return report(item, resource: resource, kind: kind, outcome: .updated)
            } catch {
                return report(item, resource: resource, kind: kind, outcome: .failed,
                              reason: "already exists and the patch to the backed-up state failed: \(error)", asError: true)
            }
        }
    }

    /// Puts the backed-up status back through the status subresource, retrying once on a conflict.
    private func restoreStatus(_ status: LifeboatKube.JSONValue, of created: KubeObject, api: APIResource, namespace: String?) async {
        for attempt in 0..<2 {
            do {
                var object = try (attempt == 0 ? created : try await client.get(api, name: created.name ?? "", namespace: namespace)).value()
                object["status"] = status
                _ = try await client.updateStatus(api, KubeObject(object), namespace: namespace)
                return
            } catch let error as KubernetesError where error.isConflict {
                continue
            } catch {
                return
            }
        }
    }

    private func report(_ item: RestorePlan.Item, resource: String, kind: String, outcome: RestoreItemOutcome, reason: String? = nil,
                        warning: String? = nil, asError: Bool = false) -> ItemReport {
        let result = RestoreItemResult(resource: resource, kind: kind, namespace: item.key.namespace, targetNamespace: item.targetNamespace,
                                       name: item.key.name, outcome: outcome, reason: reason)
        let error = asError ? "error restoring \(resource)/\(item.targetNamespace.map { "\($0)/" } ?? "")\(item.key.name): \(reason ?? "")" : nil
        return ItemReport(result: result, warning: warning, error: error)
    }
}
