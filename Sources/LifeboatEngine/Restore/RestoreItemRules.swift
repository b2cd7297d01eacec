import LifeboatCore
import LifeboatKube

/// What a restore does with one backed-up object.
public enum PreparedItem: Sendable, Equatable {
    /// Create `object`; when `status` is set, write it through the status subresource afterwards.
    case create(object: JSONValue, status: JSONValue?)
    /// Leave the object out, for `reason` (recorded in the restore's log and results).
    case skip(reason: String)
}

/// The pure part of restoring one item (`velero-reference.md` §6): which backed-up objects are left out, and how
/// the rest are changed before they are created in the target cluster. Velero spreads this over `restore.go` and
/// its restore item actions; here it is one value the executor calls per item, with no I/O.
///
/// Resources are canonical qualified names (`pods`, `jobs.batch`, `rolebindings.rbac.authorization.k8s.io`).
///
/// ```swift
/// let rules = RestoreItemRules(backupName: "nightly", restoreName: "nightly-1", namespaceMapping: mapping,
///                              preserveNodePorts: false, restoreStatus: nil)
/// switch rules.prepare(object, resource: "services") {
/// case .create(let body, let status): ...   // POST body; then PUT status if non-nil
/// case .skip(let reason): ...
/// }
/// // On AlreadyExists:
/// let unchanged = rules.comparable(prepared: body) == rules.comparable(live: liveObject, resource: "services")
/// ```
public struct RestoreItemRules: Sendable {
    /// The backup restored from, written to the `velero.io/backup-name` label.
    public let backupName: String
    /// The restore running, written to the `velero.io/restore-name` label.
    public let restoreName: String
    /// Source namespace → target namespace.
    public let namespaceMapping: NamespaceMapping
    /// Keep every Service node port instead of only the ones the owner set explicitly.
    public let preserveNodePorts: Bool
    /// The resources whose status is restored (`spec.restoreStatus`); nil restores none, unless an object's
    /// `velero.io/restore-status` annotation asks for it.
    public let restoreStatus: IncludesExcludes?

    /// The annotation with which one object overrides `restoreStatus` for itself (Velero 1.16).
    public static let restoreStatusAnnotation = "velero.io/restore-status"

    /// Rules for one restore.
    /// - Parameters:
    ///   - backupName: The backup restored from.
    ///   - restoreName: The restore running.
    ///   - namespaceMapping: Where each source namespace is restored to.
    ///   - preserveNodePorts: `spec.preserveNodePorts`.
    ///   - restoreStatus: `spec.restoreStatus` as a filter over qualified resource names; nil when unset. The caller
    ///     decides what an empty include list means; this type only asks the filter.
    public init(
        backupName: String, restoreName: String, namespaceMapping: NamespaceMapping, preserveNodePorts: Bool,
        restoreStatus: IncludesExcludes?
    ) {
        self.backupName = backupName
        self.restoreName = restoreName
        self.namespaceMapping = namespaceMapping
        self.preserveNodePorts = preserveNodePorts
        self.restoreStatus = restoreStatus
    }

    /// Prepares one backed-up object (parsed JSON of the tarball entry) of `resource` for creation.
    ///
    /// In order: the skip rules, the generic reset (§6.1), the per-kind rules (§6.2), namespace mapping, and the
    /// restore labels. `managedFields` are kept (§6.1).
    public func prepare(_ object: JSONValue, resource: String) -> PreparedItem {
        if let reason = skipReason(object, resource: resource) { return .skip(reason: reason) }
        var item = object
        ItemReset.resetMetadata(&item)
        let status = ItemReset.takeStatus(&item)
        removeServerSetFields(&item, resource: resource)
        mapNamespaces(&item, resource: resource)
        ItemReset.addRestoreLabels(&item, backupName: backupName, restoreName: restoreName)
        return .create(object: item, status: restoresStatus(of: object, resource: resource) ? status : nil)
    }

    /// The live object reset the way `prepare` resets a backed-up one (and labelled with this restore's labels), so
    /// the two compare equal when the cluster already holds what the backup holds. Compare it with
    /// `comparable(prepared:)`, never with the prepared object itself.
    ///
    /// The live object is not namespace-mapped: it already lives in the target namespace.
    public func comparable(live: JSONValue, resource: String) -> JSONValue {
        var item = live
        ItemReset.resetMetadata(&item)
        _ = ItemReset.takeStatus(&item)
        removeServerSetFields(&item, resource: resource)
        ItemReset.addRestoreLabels(&item, backupName: backupName, restoreName: restoreName)
        if resource == "serviceaccounts" { item["secrets"] = .none }
        return comparable(prepared: item)
    }

    /// A prepared object without what never takes part in the comparison: `managedFields` (the API server rewrites
    /// them on every write) and a ServiceAccount's `secrets` (Velero merges those into an existing account rather
    /// than calling the account different).
    public func comparable(prepared: JSONValue) -> JSONValue {
        var item = prepared
        item["metadata"]?["managedFields"] = .none
        if item["apiVersion"]?.stringValue == "v1", item["kind"]?.stringValue == "ServiceAccount" {
            item["secrets"] = .none
        }
        return item
    }

    // MARK: - Skips

    /// Why `object` is not restored at all, or nil.
    func skipReason(_ object: JSONValue, resource: String) -> String? {
        if RestoreSpec.nonRestorableResources.contains(resource) { return "\(resource) are non-restorable resources" }
        switch resource {
        case "pods":
            // A finished pod would run again; its controller (if any) made it and makes the next one.
            let phase = object["status"]?["phase"]?.stringValue
            if phase == "Succeeded" || phase == "Failed" { return "pod has completed" }
        case "jobs.batch":
            if Self.jobHasCompleted(object) { return "job has completed" }
        case "secrets":
            if Self.isGeneratedServiceAccountToken(object) {
                return "service account token secret is auto-generated: the token controller recreates it"
            }
        case "persistentvolumes":
            // Without volume snapshots the data cannot come back; the restored claim provisions a new volume.
            if object["spec"]?["persistentVolumeReclaimPolicy"]?.stringValue == "Delete" {
                return "reclaim policy Delete: re-provisioned by its claim"
            }
        default:
            break
        }
        return nil
    }

    private static func jobHasCompleted(_ job: JSONValue) -> Bool {
        let status = job["status"]
        if let completion = status?["completionTime"], completion != .null { return true }
        return (status?["conditions"]?.arrayValue ?? []).contains { condition in
            condition["type"]?.stringValue == "Complete" && condition["status"]?.stringValue == "True"
        }
    }

    private static func isGeneratedServiceAccountToken(_ secret: JSONValue) -> Bool {
        guard secret["type"]?.stringValue == serviceAccountTokenType,
            let account = secret["metadata"]?["annotations"]?["kubernetes.io/service-account.name"]?.stringValue,
            !account.isEmpty,
            let name = secret["metadata"]?["name"]?.stringValue
        else { return false }
        return name.hasPrefix(account + "-token-")
    }

    private static let serviceAccountTokenType = "kubernetes.io/service-account-token"

    // MARK: - Status

    /// The annotation decides for its object when it says `true` or `false`; otherwise `restoreStatus` does.
    func restoresStatus(of object: JSONValue, resource: String) -> Bool {
        switch object["metadata"]?["annotations"]?[Self.restoreStatusAnnotation]?.stringValue?.lowercased() {
        case "true": true
        case "false": false
        default: restoreStatus?.shouldInclude(resource) ?? false
        }
    }

    // MARK: - Per-kind rules

    /// The per-kind rules of §6.2 that drop what the source cluster assigned. They apply to the live copy before a
    /// comparison too, since the target cluster assigns the same fields anew.
    func removeServerSetFields(_ item: inout JSONValue, resource: String) {
        switch resource {
        case "services": resetService(&item)
        case "pods": Self.resetPod(&item)
        case "persistentvolumes":
            item["spec"]?["claimRef"]?["uid"] = .none
            item["spec"]?["claimRef"]?["resourceVersion"] = .none
            Self.removeMembers(["pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller"],
                               at: ["metadata", "annotations"], of: &item)
        case "persistentvolumeclaims":
            // `spec.volumeName` stays, so a claim binds again to the volume restored with it.
            Self.removeMembers(Self.claimBindingAnnotations, at: ["metadata", "annotations"], of: &item)
        case "serviceaccounts":
            let prefix = (item["metadata"]?["name"]?.stringValue ?? "") + "-token-"
            Self.removeElements(named: prefix, at: ["secrets"], of: &item)
        case "secrets":
            guard item["type"]?.stringValue == Self.serviceAccountTokenType else { break }
            // The token controller writes these for the account's new UID.
            Self.removeMembers(["kubernetes.io/service-account.uid"], at: ["metadata", "annotations"], of: &item)
            Self.removeMembers(["token", "ca.crt"], at: ["data"], of: &item)
        case "jobs.batch":
            // The job controller labels pods with the Job's UID; the old one matches nothing in the target cluster.
            let keys = ["controller-uid", "batch.kubernetes.io/controller-uid"]
            Self.removeMembers(keys, at: ["spec", "selector", "matchLabels"], of: &item)
            Self.removeMembers(keys, at: ["spec", "template", "metadata", "labels"], of: &item)
        default:
            break
        }
    }

    /// PVC annotations of the PV controller, the scheduler and Velero's own volume markers (`pvc_action.go`).
    static let claimBindingAnnotations = [
        "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller", "volume.kubernetes.io/storage-provisioner",
        "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/selected-node", "velero.io/volume-snapshot-name",
        "velero.io/data-upload-name",
    ]

    private static func resetPod(_ pod: inout JSONValue) {
        pod["spec"]?["nodeName"] = .none
        // Priority admission fills it from priorityClassName and rejects a pod that brings its own.
        pod["spec"]?["priority"] = .none
        // Legacy token-secret volumes name a secret the target cluster generates under another name.
        let prefix = (pod["spec"]?["serviceAccountName"]?.stringValue ?? "") + "-token-"
        removeElements(named: prefix, at: ["spec", "volumes"], of: &pod)
        for containers in ["containers", "initContainers"] {
            guard var list = pod["spec"]?[containers]?.arrayValue else { continue }
            for index in list.indices { removeElements(named: prefix, at: ["volumeMounts"], of: &list[index]) }
            pod["spec"]?[containers] = .array(list)
        }
    }

    private func resetService(_ service: inout JSONValue) {
        guard case .object(var spec)? = service["spec"] else { return }
        if spec["clusterIP"]?.stringValue != "None" {
            spec.removeValue(forKey: "clusterIP")
            spec.removeValue(forKey: "clusterIPs")
        }
        if !preserveNodePorts {
            let explicit = ExplicitNodePorts(service)
            if spec["type"]?.stringValue != "ExternalName", var ports = spec["ports"]?.arrayValue {
                for index in ports.indices where !explicit.keepsNodePort(of: ports[index]) {
                    ports[index]["nodePort"] = .none
                }
                spec["ports"] = .array(ports)
            }
            if spec["type"]?.stringValue == "LoadBalancer", spec["externalTrafficPolicy"]?.stringValue == "Local",
                !explicit.healthCheckNodePort
            {
                spec.removeValue(forKey: "healthCheckNodePort")
            }
        }
        service["spec"] = .object(spec)
    }

    // MARK: - Namespace mapping

    /// Moves the object, and what it says about namespaces, to the target namespaces.
    func mapNamespaces(_ item: inout JSONValue, resource: String) {
        if let namespace = item["metadata"]?["namespace"]?.stringValue {
            item["metadata"]?["namespace"] = .string(namespaceMapping.target(for: namespace))
        }
        switch resource {
        case "namespaces":
            guard let name = item["metadata"]?["name"]?.stringValue else { break }
            let target = namespaceMapping.target(for: name)
            item["metadata"]?["name"] = .string(target)
            // The API server sets this label to the name; keeping the source name would make it differ from live.
            if item["metadata"]?["labels"]?["kubernetes.io/metadata.name"] != nil {
                item["metadata"]?["labels"]?["kubernetes.io/metadata.name"] = .string(target)
            }
        case "persistentvolumes":
            if let namespace = item["spec"]?["claimRef"]?["namespace"]?.stringValue {
                item["spec"]?["claimRef"]?["namespace"] = .string(namespaceMapping.target(for: namespace))
            }
        case "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io":
            guard var subjects = item["subjects"]?.arrayValue else { break }
            for index in subjects.indices {
                if let namespace = subjects[index]["namespace"]?.stringValue {
                    subjects[index]["namespace"] = .string(namespaceMapping.target(for: namespace))
                }
            }
            item["subjects"] = .array(subjects)
        default:
            break
        }
    }

    // MARK: - JSON editing

    /// Removes `keys` from the object at `path`, and the object itself when that leaves it empty: Velero edits
    /// typed Go objects, whose empty maps serialize as absent, so an emptied map is absent in its output too.
    private static func removeMembers(_ keys: [String], at path: [String], of value: inout JSONValue) {
        edit(at: path, of: &value) { target in
            guard case .object(var members) = target else { return }
            let before = members.count
            for key in keys { members.removeValue(forKey: key) }
            guard members.count != before else { return }
            target = members.isEmpty ? JSONValue?.none : JSONValue.object(members)
        }
    }

    /// Removes the elements whose `name` starts with `prefix` from the array at `path`, and the array itself when
    /// that leaves it empty (as `removeMembers` does for maps).
    private static func removeElements(named prefix: String, at path: [String], of value: inout JSONValue) {
        edit(at: path, of: &value) { target in
            guard case .array(let elements) = target else { return }
            let kept = elements.filter { !($0["name"]?.stringValue ?? "").hasPrefix(prefix) }
            guard kept.count != elements.count else { return }
            target = kept.isEmpty ? JSONValue?.none : JSONValue.array(kept)
        }
    }

    /// Applies `body` to the member at `path` (nil when missing; setting nil removes it). Nothing is created
    /// on the way, so an object without the path is left alone.
    private static func edit(at path: [String], of value: inout JSONValue, _ body: (inout JSONValue?) -> Void) {
        guard let key = path.first else { return }
        guard case .object(var members) = value, members[key] != nil else { return }
        if path.count == 1 {
            var target = members[key]
            body(&target)
            members[key] = target
        } else {
            guard var child = members[key] else { return }
            edit(at: Array(path.dropFirst()), of: &child, body)
            members[key] = child
        }
        value = .object(members)
    }
}

/// The Service node ports its owner set explicitly (`service_action.go`): read from the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation when there is one, else from `managedFields`.
/// Any other node port was allocated by the source cluster and may already be taken in the target.
private struct ExplicitNodePorts {
    /// Names of ports with an explicit node port (annotation).
    var portNames: Set<String> = []
    /// Port numbers of unnamed ports with an explicit node port (annotation).
    var unnamedPortNumbers: Set<Int64> = []
    /// `port/protocol` of ports whose `f:nodePort` a field manager owns (managed fields).
    var managedPorts: Set<String> = []
    /// Whether the annotation was there; Velero then ignores managed fields for node ports.
    var fromAnnotation = false
    /// Whether `healthCheckNodePort` was set explicitly (annotation or managed fields).
    var healthCheckNodePort = false

    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    init(_ service: JSONValue) {
        // Unparsable annotation text counts as absent, so the managed fields still decide.
        if let text = service["metadata"]?["annotations"]?[Self.lastAppliedAnnotation]?.stringValue,
            let applied = try? JSONValue(parsing: text)
        {
            fromAnnotation = true
            for port in applied["spec"]?["ports"]?.arrayValue ?? [] where (Self.number(port["nodePort"]) ?? 0) > 0 {
                if let name = port["name"]?.stringValue, !name.isEmpty {
                    portNames.insert(name)
                } else if let number = Self.number(port["port"]) {
                    unnamedPortNumbers.insert(number)
                }
            }
            if (Self.number(applied["spec"]?["healthCheckNodePort"]) ?? 0) != 0 { healthCheckNodePort = true }
        }
        for entry in service["metadata"]?["managedFields"]?.arrayValue ?? [] {
            guard let spec = entry["fieldsV1"]?["f:spec"] else { continue }
            if spec["f:healthCheckNodePort"] != nil { healthCheckNodePort = true }
            for (key, fields) in spec["f:ports"]?.objectValue ?? [:] where fields["f:nodePort"] != nil {
                // Keys look like k:{"port":80,"protocol":"TCP"}; parsing them ignores member order.
                guard key.hasPrefix("k:"), let port = try? JSONValue(parsing: String(key.dropFirst(2))) else { continue }
                if let number = Self.number(port["port"]) {
                    managedPorts.insert(Self.portKey(number, port["protocol"]?.stringValue))
                }
            }
        }
    }

    func keepsNodePort(of port: JSONValue) -> Bool {
        if fromAnnotation {
            if let name = port["name"]?.stringValue, !name.isEmpty { return portNames.contains(name) }
            return Self.number(port["port"]).map(unnamedPortNumbers.contains) ?? false
        }
        guard let number = Self.number(port["port"]) else { return false }
        return managedPorts.contains(Self.portKey(number, port["protocol"]?.stringValue))
    }

    private static func portKey(_ port: Int64, _ protocolName: String?) -> String { "\(port)/\(protocolName ?? "TCP")" }

    /// Numbers as JSON numbers or, as `kubectl` sometimes writes them, strings.
    private static func number(_ value: JSONValue?) -> Int64? {
        if let number = value?.intValue { return number }
        return value?.stringValue.flatMap { Int64($0) }
    }
}
