import Foundation

/// Options every write accepts (`dryRun=All`, `fieldManager`).
struct WriteOptions: Sendable {
    var dryRun = false
    var fieldManager: String?
}

/// A resource as a request addresses it: the type plus the version it is served at.
struct ResourceView: Sendable {
    var type: ResourceType
    var version: String

    var key: ResourceKey { type.key }
    var apiVersion: String { type.apiVersion(version) }

    /// `{"apiVersion":"…","kind":"…",` — prepended to a stored body to make a full object.
    var head: [UInt8] {
        var out: [UInt8] = Array("{\"apiVersion\":".utf8)
        JSONWriter.writeString(apiVersion, into: &out)
        out.append(contentsOf: Array(",\"kind\":".utf8))
        JSONWriter.writeString(type.kind, into: &out)
        out.append(UInt8(ascii: ","))
        return out
    }

    func render(_ object: StoredObject) -> [UInt8] {
        var out = head
        out.append(contentsOf: object.body.dropFirst())
        return out
    }
}

/// One change, kept in the watch history and fanned out to watchers.
struct ChangeEvent: Sendable {
    enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }

    var kind: Kind
    var resource: ResourceKey
    var key: ObjectKey
    var object: StoredObject
    var previousLabels: [String: String]?
}

/// A registered watch stream.
struct Watcher: Sendable {
    var view: ResourceView
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    var continuation: AsyncStream<[UInt8]>.Continuation
}

/// Everything the emulated API server knows, mutated only under `KubeCluster`'s lock.
///
/// All operations are synchronous: the namespace controller, the CRD controller and garbage
/// collection run inside the write that triggers them, so tests never wait for background work.
struct ClusterState: Sendable {
    var resources: [ResourceKey: ResourceType] = [:]
    var tables: [ResourceKey: ResourceTable] = [:]
    var revision: UInt64 = 1
    /// Continue tokens and watches older than this revision answer 410 Expired.
    var compactedRevision: UInt64 = 0
    var continueTokenLifetime: TimeInterval = 300
    var history: [ChangeEvent] = []
    var historyLimit = 4096
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
    var dependents: [String: Set<ObjectReference>] = [:]
    var caPEM = ""
    var services = ServiceAllocator()
    var finalizingNamespaces: Set<String> = []
    var podIPCounter = 0
    /// Signalled when workload-related objects change, so `PodLifecycle` reconciles.
    var workloadSignal: AsyncStream<Void>.Continuation?
    static let workloadResources: Set<ResourceKey> = [
        ResourceKey(group: "", plural: "pods"), ResourceKey(group: "", plural: "persistentvolumeclaims"),
        ResourceKey(group: "apps", plural: "deployments"), ResourceKey(group: "apps", plural: "replicasets"),
        ResourceKey(group: "apps", plural: "statefulsets"), ResourceKey(group: "apps", plural: "daemonsets"),
    ]

    static let namespacesKey = ResourceKey(group: "", plural: "namespaces")
    static let crdKey = ResourceKey(group: "apiextensions.k8s.io", plural: "customresourcedefinitions")
    static let immortalNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    init() {
        for type in BuiltinResources.all { resources[type.key] = type }
    }

    // MARK: Lookup

    /// Finds the resource served at `/apis/<group>/<version>/<plural>`.
    func view(group: String, version: String, plural: String) -> ResourceView? {
        guard let type = resources[ResourceKey(group: group, plural: plural)], type.versions.contains(version) else { return nil }
        return ResourceView(type: type, version: version)
    }

    /// Finds the resource for a manifest's `apiVersion` and `kind` (used by `--seed`).
    func view(apiVersion: String, kind: String) -> ResourceView? {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.count == 2 ? parts[1] : parts[0]
        guard let type = resources.values.first(where: { $0.group == group && $0.kind == kind && $0.versions.contains(version) })
        else { return nil }
        return ResourceView(type: type, version: version)
    }

    func stored(_ resource: ResourceKey, _ key: ObjectKey) -> StoredObject? { tables[resource]?[key] }

    // MARK: Low-level writes

    /// Encodes `object` (a full object tree), stamps a new resourceVersion, stores it and records the event.
    @discardableResult
    mutating func commit(_ object: JSONValue, view: ResourceView, key: ObjectKey, kind: ChangeEvent.Kind) -> StoredObject {
        revision += 1
        var tree = object
        tree["apiVersion"] = nil
        tree["kind"] = nil
        tree.setValue(.string(String(revision)), at: ["metadata", "resourceVersion"])
        let metadata = tree["metadata"] ?? .object([:])
        let ownerUIDs = (metadata["ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
        let stored = StoredObject(
            body: JSONWriter.encode(tree), labels: metadata["labels"]?.stringMap ?? [:], resourceVersion: revision,
            uid: metadata["uid"]?.stringValue ?? "", ownerUIDs: ownerUIDs,
            hasFinalizers: !(metadata["finalizers"]?.arrayValue ?? []).isEmpty,
            isDeleting: metadata["deletionTimestamp"] != nil)
        let previous = tables[view.key]?[key]
        if let previous { unindexOwners(previous, ref: ObjectReference(resource: view.key, key: key)) }
        tables[view.key, default: ResourceTable()][key] = stored
        indexOwners(stored, ref: ObjectReference(resource: view.key, key: key))
        record(ChangeEvent(kind: kind, resource: view.key, key: key, object: stored, previousLabels: previous?.labels))
        return stored
    }

    /// Removes an object for good, emits DELETED, and runs the controllers that react to deletions.
    mutating func purge(_ resource: ResourceKey, _ key: ObjectKey) {
        guard let stored = tables[resource]?[key] else { return }
        revision += 1
        var tree = stored.decoded()
        tree.setValue(.string(String(revision)), at: ["metadata", "resourceVersion"])
        var final = stored
        final.body = JSONWriter.encode(tree)
        final.resourceVersion = revision
        tables[resource]?[key] = nil
        unindexOwners(stored, ref: ObjectReference(resource: resource, key: key))
        record(ChangeEvent(kind: .deleted, resource: resource, key: key, object: final, previousLabels: stored.labels))
        afterPurge(resource: resource, key: key, object: final)
    }

    private mutating func afterPurge(resource: ResourceKey, key: ObjectKey, object: StoredObject) {
        if resource == Self.crdKey { removeCustomResource(crdName: key.name) }
        if resource == Self.namespacesKey { finalizingNamespaces.remove(key.name) }
        if resource.group.isEmpty && resource.plural == "services" { services.release(object.decoded()) }
        collectDependents(of: object.uid)
        if !key.namespace.isEmpty, isTerminating(namespace: key.namespace), !finalizingNamespaces.contains(key.namespace) {
            finalizeNamespace(key.namespace)
        }
    }

    private mutating func indexOwners(_ object: StoredObject, ref: ObjectReference) {
        for uid in object.ownerUIDs { dependents[uid, default: []].insert(ref) }
    }

    private mutating func unindexOwners(_ object: StoredObject, ref: ObjectReference) {
        for uid in object.ownerUIDs {
            dependents[uid]?.remove(ref)
            if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
        }
    }

    /// Background-propagation garbage collection: dependents whose owner is gone are deleted too.
    mutating func collectDependents(of uid: String) {
        guard !uid.isEmpty, let refs = dependents.removeValue(forKey: uid) else { return }
        for ref in refs.sorted(by: { $0.key < $1.key }) {
            guard let stored = tables[ref.resource]?[ref.key], let type = resources[ref.resource] else { continue }
            let view = ResourceView(type: type, version: type.storageVersion)
            _ = try? deleteStored(view: view, key: ref.key, stored: stored, dryRun: false)
        }
    }

    // MARK: Watch fan-out

    mutating func record(_ event: ChangeEvent) {
        history.append(event)
        if history.count > historyLimit * 2 { history.removeFirst(history.count - historyLimit) }
        if let workloadSignal, Self.workloadResources.contains(event.resource) { workloadSignal.yield() }
        for watcher in watchers.values where watcher.view.key == event.resource {
            if let line = Self.watchLine(event, for: watcher) { watcher.continuation.yield(line) }
        }
    }

    /// The newline-terminated watch event for `watcher`, or nil when the event does not concern it.
    static func watchLine(_ event: ChangeEvent, for watcher: Watcher) -> [UInt8]? {
        if let namespace = watcher.namespace, namespace != event.key.namespace { return nil }
        func matches(_ labels: [String: String]) -> Bool {
            watcher.labels.matches(labels) && watcher.fields.matches(namespace: event.key.namespace, name: event.key.name) {
                event.object.decoded()
            }
        }
        var type = event.kind
        let nowMatches = matches(event.object.labels)
        switch event.kind {
        case .added, .deleted:
            guard nowMatches || (event.kind == .deleted && event.previousLabels.map(matches) == true) else { return nil }
        case .modified:
            let before = event.previousLabels.map(matches) ?? true
            if !nowMatches && !before { return nil }
            if !nowMatches { type = .deleted } else if !before { type = .added }
        }
        return line(type: type.rawValue, object: watcher.view.render(event.object))
    }

    static func line(type: String, object: [UInt8]) -> [UInt8] {
        var out: [UInt8] = Array("{\"type\":\"\(type)\",\"object\":".utf8)
        out.append(contentsOf: object)
        out.append(contentsOf: Array("}\n".utf8))
        return out
    }

    // MARK: Namespaces

    func namespaceObject(_ name: String) -> StoredObject? { tables[Self.namespacesKey]?[ObjectKey(namespace: "", name: name)] }

    func isTerminating(namespace: String) -> Bool { namespaceObject(namespace)?.isDeleting ?? false }
}

