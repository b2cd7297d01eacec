import LifeboatArchive
import LifeboatCore
import LifeboatKube

/// The single consumer of a backup: decides per item whether it goes in (Velero's per-item checks), writes it to
/// the archive under both Velero paths, pushes the compressed bytes to the upload, and pulls in related items
/// (a pod's PVCs, a PVC's PV, a custom resource's CRD) the way Velero's item actions do.
///
/// One task owns it, so it needs no locks; memory is the archive writer's chunk plus the keys of the few types that
/// can arrive twice (`duplicateCheck`).
final class BackupItemSink {
    static let excludeLabel = "velero.io/exclude-from-backup"

    let scope: BackupScope
    let client: HTTPKubernetesClient
    let writer: BackupArchiveWriter
    /// The resource list, spooled to disk in sorted runs so that it does not grow memory with the backup.
    let resourceList: ResourceListSpool
    let upload: ArtifactUpload
    let log: RunLog
    /// Whether a label selector filters the lists: related items then have to be fetched, as the list may skip them.
    let selectorActive: Bool
    let selectors: [LabelSelector]
    let persistentVolumeClaims: APIResource?
    let persistentVolumes: APIResource?
    /// CRDs by the `plural.group` they serve, listed up front when CRDs may come along with their resources.
    let definitions: [String: KubeObject]
    let definitionResource: APIResource?

    var results = OperationResults()
    private(set) var namespacesWithItems: Set<String> = []
    private var definitionsAdded: Set<String> = []
    private(set) var seen = 0

    init(scope: BackupScope, client: HTTPKubernetesClient, writer: BackupArchiveWriter, resourceList: ResourceListSpool,
         upload: ArtifactUpload, log: RunLog,
         selectors: [LabelSelector], catalog: APIResourceCatalog, definitions: [String: KubeObject]) {
        self.scope = scope
        self.client = client
        self.writer = writer
        self.resourceList = resourceList
        self.upload = upload
        self.log = log
        self.selectors = selectors
        self.selectorActive = !selectors.isEmpty
        self.persistentVolumeClaims = catalog.resolve("persistentvolumeclaims")
        self.persistentVolumes = catalog.resolve("persistentvolumes")
        self.definitionResource = catalog.resolve("customresourcedefinitions.apiextensions.k8s.io")
        self.definitions = definitions
    }

    var itemsBackedUp: Int { writer.itemCount }

    /// The items that can reach the sink twice, which the writer has to remember: every item when or-selectors
    /// list each type more than once, else only the types `addRelated` fetches or offers besides their own lists
    /// (PVCs, PVs, CRDs). A list restarted after 410 Expired repeats nothing (`ListPages` resumes after its last
    /// key), and each other (type, namespace) is listed once, so a backup's memory does not grow with its items.
    static func duplicateCheck(selectors: [LabelSelector], catalog: APIResourceCatalog) -> BackupArchiveWriter.DuplicateCheck {
        guard selectors.count <= 1 else { return .everyItem }
        let related = ["persistentvolumeclaims", "persistentvolumes", "customresourcedefinitions.apiextensions.k8s.io"]
        return .only(Set(related.compactMap(catalog.resolve).map { GroupResource(resource: $0.name, group: $0.group) }))
    }

    /// Handles one batch from the collector.
    func consume(_ batch: CollectedBatch) async throws {
        switch batch {
        case .items(let request, let items):
            seen += items.count
            for item in items { try await offer(item, of: request.resource) }
        case .failed(let request, let error):
            let message = "failed to list \(request): \(error)"
            results.errors.add(namespace: request.namespace, message)
            log.error("Error listing items", ["resource": request.resource.qualifiedName, "namespace": request.namespace ?? "",
                                               "error.message": "\(error)"])
        }
    }

    /// Velero's `itemInclusionChecks` and then the write; a duplicate (or-selectors, an item pulled in before its
    /// own list reached it) is dropped silently.
    func offer(_ object: KubeObject, of resource: APIResource) async throws {
        let summary = object.metadataSummary(label: Self.excludeLabel)
        guard let name = summary.name, !name.isEmpty else {
            results.errors.add(namespace: nil, "an item of \(resource.qualifiedName) has no metadata.name")
            return
        }
        let namespace = resource.namespaced ? summary.namespace : nil
        if resource.namespaced {
            guard let namespace, scope.namespaces.shouldInclude(namespace) else { return }
        }
        let groupResource = GroupResource(resource: resource.name, group: resource.group)
        guard !writer.contains(groupResource: groupResource, namespace: namespace, name: name) else { return }
        if summary.isBeingDeleted {
            log.info("Skipping item because it's being deleted.", Self.fields(resource, namespace, name))
            return
        }
        if summary.labelValue == "true" {
            log.info("Skipping item because it has label \(Self.excludeLabel)=true.", Self.fields(resource, namespace, name))
            return
        }
        // A list's items, and a GET's answer, are in the resource's own kind and version.
        try writer.add(ArchiveItem(
            groupResource: groupResource, apiVersion: resource.groupVersion, kind: resource.kind,
            namespace: namespace, name: name, json: object.json))
        try resourceList.add(key: "\(resource.groupVersion)/\(resource.kind)", namespace: namespace, name: name)
        if let namespace { namespacesWithItems.insert(namespace) }
        while let chunk = writer.nextChunk() { try await upload.send(chunk) }
        try await addRelated(of: object, resource: resource, namespace: namespace)
    }

    static func fields(_ resource: APIResource, _ namespace: String?, _ name: String) -> [String: String] {
        var fields = ["resource": resource.qualifiedName, "name": name]
        if let namespace { fields["namespace"] = namespace }
        return fields
    }

    private func addRelated(of object: KubeObject, resource: APIResource, namespace: String?) async throws {
        switch resource.qualifiedName {
        case "pods":
            // Without a selector the PVC list of this namespace brings every claim anyway.
            guard selectorActive, let claims = persistentVolumeClaims, scope.lists(claims.qualifiedName), let namespace else { return }
            for volume in object.value(at: ["spec", "volumes"])?.arrayValue ?? [] {
                guard let claim = volume["persistentVolumeClaim"]?["claimName"]?.stringValue else { continue }
                try await fetch(claims, name: claim, namespace: namespace, reason: "persistent volume claim of pod \(namespace)/\(object.name ?? "")")
            }
        case "persistentvolumeclaims":
            guard let volumes = persistentVolumes, let volume = object.string(at: ["spec", "volumeName"]), !volume.isEmpty else { return }
            if scope.lists(volumes.qualifiedName) && !selectorActive { return }
            guard scope.lists(volumes.qualifiedName) || scope.allowsRelated(clusterResource: volumes.qualifiedName) else { return }
            try await fetch(volumes, name: volume, namespace: nil, reason: "persistent volume of claim \(namespace ?? "")/\(object.name ?? "")")
        default:
            guard let definitionResource, !definitionsAdded.contains(resource.qualifiedName),
                  let definition = definitions[resource.qualifiedName] else { return }
            definitionsAdded.insert(resource.qualifiedName)
            try await offer(definition, of: definitionResource)
        }
    }

    /// GETs a related item the lists may not bring and offers it; a missing one is noted, not an error.
    private func fetch(_ resource: APIResource, name: String, namespace: String?, reason: String) async throws {
        guard !writer.contains(groupResource: GroupResource(resource: resource.name, group: resource.group), namespace: namespace, name: name)
        else { return }
        do {
            let object = try await client.get(resource, name: name, namespace: namespace)
            log.info("Adding related item", ["resource": resource.qualifiedName, "name": name, "namespace": namespace ?? "", "reason": reason])
            try await offer(object, of: resource)
        } catch let error as KubernetesError where error.isNotFound {
            log.info("Related item not found", ["resource": resource.qualifiedName, "name": name, "namespace": namespace ?? ""])
        } catch let error as KubernetesError {
            results.errors.add(namespace: namespace, "failed to get \(resource.qualifiedName) \(name) (\(reason)): \(error)")
        }
    }

    /// Writes the `namespaces` objects: every selected namespace, except that a backup of all namespaces with a
    /// label selector keeps only namespaces whose labels match or that hold a backed-up item (Velero's nsTracker).
    func addNamespaces(_ namespaces: [KubeObject], resource: APIResource) async throws {
        guard scope.includesNamespaceObjects else { return }
        for object in namespaces {
            guard let name = object.name, scope.namespaces.shouldInclude(name) else { continue }
            if selectorActive && scope.coversAllNamespaces && !namespacesWithItems.contains(name) {
                let labels = object.labels
                guard selectors.contains(where: { $0.matches(labels) }) else { continue }
            }
            try await offer(object, of: resource)
        }
    }
}
