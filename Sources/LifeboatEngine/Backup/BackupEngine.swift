import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatKube
import LifeboatObjectStore
import Logging

/// What a finished backup run produced: the status to record and the files it wrote.
public struct BackupOutcome: Sendable {
    /// Completed, PartiallyFailed (per-item or per-list errors) or Failed (the run could not finish).
    public var status: BackupStatus
    /// Annotations Velero sets on a backup (source cluster version), to merge into the catalog's metadata.
    public var annotations: [String: String]
    /// Every file written under `backups/<B>/`, by file name; no `velero-backup.json` for a Failed backup.
    public var artifacts: [String: ArtifactDigest]
}

/// Runs one backup: discovery, Velero's filters, parallel paged LISTs streamed through the archive writer and
/// gzip into a multipart upload, then the log, resource list and results, and `velero-backup.json` last, each
/// written exactly once (`architecture.md` §5–§6).
///
/// A failure that stops the run (cluster unreachable, store refusing the upload) gives a Failed outcome with the
/// reason, the log and results uploaded when the store allows; cancellation is rethrown after the same cleanup.
public struct BackupEngine: Sendable {
    public var backup: Backup
    public var client: HTTPKubernetesClient
    public var store: any ObjectStore
    public var layout: StorageLayout
    public var logger: Logger
    /// LISTs in flight at once.
    public var listConcurrency: Int
    /// Items per LIST page.
    public var pageSize: Int
    /// zlib level of the tarball; Go's default (6), as Velero writes it.
    public var compressionLevel: Int32 = 3
    public var now: @Sendable () -> Date

    /// `backup.status.startTimestamp` should already be set by the caller (the time the backup went InProgress).
    public init(backup: Backup, client: HTTPKubernetesClient, store: any ObjectStore, layout: StorageLayout, logger: Logger,
                listConcurrency: Int = 8, pageSize: Int = 500, now: @escaping @Sendable () -> Date = Date.init) {
        self.backup = backup
        self.client = client
        self.store = store
        self.layout = layout
        self.logger = logger
        self.listConcurrency = listConcurrency
        self.pageSize = pageSize
        self.now = now
    }

    public func run(monitor: some ExecutionMonitor) async throws -> BackupOutcome {
        let keys = try layout.backup(backup.name.rawValue)
        let log = try RunLog(subject: "backup", name: backup.name.rawValue, logger: logger, now: now)
        var status = backup.status
        status.startTimestamp = status.startTimestamp ?? now()
        status.phase = .inProgress
        status.version = 1
        status.formatVersion = BackupArchiveWriter.formatVersion
        if status.expiration == nil, let ttl = try? backup.spec.effectiveTTL(), let start = status.startTimestamp {
            status.expiration = start.addingTimeInterval(ttl.timeInterval)
        }
        log.info("Setting up backup", ["cluster": backup.spec.cluster.rawValue])

        var annotations: [String: String] = [:]
        var results = OperationResults()
        var artifacts: [String: ArtifactDigest] = [:]
        do {
            let version = try await client.serverVersion()
            annotations["velero.io/source-cluster-k8s-gitversion"] = version.gitVersion
            annotations["velero.io/source-cluster-k8s-major-version"] = version.major
            annotations["velero.io/source-cluster-k8s-minor-version"] = version.minor

            let tarball = try await writeTarball(keys: keys, log: log, monitor: monitor)
            results = tarball.results
            artifacts[Self.fileName(keys.contents, in: keys)] = tarball.digest
            status.progress = BackupProgress(totalItems: tarball.itemsBackedUp, itemsBackedUp: tarball.itemsBackedUp)
            status.sizeBytes = tarball.digest.size
            status.checksum = tarball.digest.checksum
            status.warnings = results.warnings.count
            status.errors = results.errors.count
            status.phase = results.errors.count > 0 ? .partiallyFailed : .completed
            log.info("Backed up a total of \(tarball.itemsBackedUp) items", ["backup.size": "\(tarball.digest.size)"])

            artifacts[Self.fileName(keys.resourceList, in: keys)] = try await ArtifactUpload.put(
                tarball.resourceList, key: keys.resourceList, contentType: "application/gzip", in: store)
        } catch {
            let cancelled = Self.isCancellation(error)
            status.phase = .failed
            status.failureReason = cancelled ? "the backup was cancelled" : Self.reason(error)
            log.error(cancelled ? "Backup cancelled" : "Backup failed", ["error.message": status.failureReason ?? ""])
            status.completionTimestamp = now()
            status.errors = results.errors.count + 1
            // Best effort, as Velero treats logs: the reason must reach the user even if the store is the problem.
            let written = await uploadLogAndResults(log: log, results: results, keys: keys)
            artifacts.merge(written) { _, new in new }
            if cancelled { throw error }
            return BackupOutcome(status: status, annotations: annotations, artifacts: artifacts)
        }

        status.completionTimestamp = now()
        log.info("Backup completed", ["backup.phase": status.phase.rawValue])
        artifacts[Self.fileName(keys.logs, in: keys)] = try await ArtifactUpload.put(
            try log.finish(), key: keys.logs, contentType: "application/gzip", in: store)
        artifacts[Self.fileName(keys.results, in: keys)] = try await ArtifactUpload.put(
            try results.gzipped(), key: keys.results, contentType: "application/gzip", in: store)

        var finished = backup
        finished.status = status
        finished.metadata.annotations.merge(annotations) { _, new in new }
        finished.metadata.labels[Backup.storageLocationLabel] = backup.spec.storageLocation?.rawValue
        let metadata = try BackupMetadata(backup: finished, artifacts: artifacts).jsonBytes()
        _ = try await ArtifactUpload.put(metadata, key: keys.metadata, contentType: "application/json", in: store)
        return BackupOutcome(status: status, annotations: annotations, artifacts: artifacts)
    }

    private struct Tarball {
        var digest: ArtifactDigest
        var itemsBackedUp: Int
        /// `<B>-resource-list.json.gz`, already compressed.
        var resourceList: [UInt8]
        var results: OperationResults
    }

    /// Discovery, scope, the parallel LISTs and the streaming write of `<B>.tar.gz`.
    private func writeTarball(keys: BackupKeys, log: RunLog, monitor: some ExecutionMonitor) async throws -> Tarball {
        let catalog = try await client.discover()
        var warnings: [String] = []
        for groupVersion in catalog.failedGroupVersions.sorted() {
            warnings.append("failed to discover \(groupVersion); its resources are not in the backup")
            log.warning("Failed to discover an API group version", ["groupVersion": groupVersion])
        }
        guard let namespaceResource = catalog.resolve("namespaces") else {
            throw LifeboatError.unavailable(dependency: "the cluster serves no namespaces resource")
        }
        var namespaceObjects: [KubeObject] = []
        for try await object in client.list(namespaceResource, options: ListOptions(limit: pageSize)) { namespaceObjects.append(object) }
        let scope = try BackupScope(spec: backup.spec, catalog: catalog, liveNamespaces: namespaceObjects.compactMap(\.name))
        log.info("Including namespaces", ["namespaces": scope.coversAllNamespaces ? "*" : scope.selectedNamespaces.joined(separator: ",")])

        let selectors: [LabelSelector] = backup.spec.orLabelSelectors.map { $0 } ?? backup.spec.labelSelector.map { [$0] } ?? []
        let requests = Self.requests(scope: scope, selectors: selectors.map(\.canonicalString))
        var definitions: [String: KubeObject] = [:]
        if let definitionResource = catalog.resolve("customresourcedefinitions.apiextensions.k8s.io"),
           scope.lists(definitionResource.qualifiedName) || scope.allowsRelated(clusterResource: definitionResource.qualifiedName)
        {
            do {
                for try await definition in client.list(definitionResource, options: ListOptions(limit: pageSize)) {
                    if let plural = definition.string(at: ["spec", "names", "plural"]), let group = definition.string(at: ["spec", "group"]) {
                        definitions["\(plural).\(group)"] = definition
                    }
                }
            } catch let error as KubernetesError {
                warnings.append("failed to list custom resource definitions: \(error); custom resources come without their CRD")
            }
        }

        // The writer emits plain tar; the upload gzips and hashes it in its own stage, on the other core.
        let writer = try BackupArchiveWriter(modificationTime: backup.status.startTimestamp ?? now(), chunkSize: 256 << 10,
                                             compressionLevel: nil, collectsResourceList: false,
                                             duplicateCheck: BackupItemSink.duplicateCheck(selectors: selectors, catalog: catalog))
        let resourceList = ResourceListSpool()
        defer { resourceList.close() }
        let upload = ArtifactUpload(store: store, key: keys.contents, contentType: "application/gzip", gzipLevel: compressionLevel)
        let sink = BackupItemSink(scope: scope, client: client, writer: writer, resourceList: resourceList, upload: upload, log: log,
                                  selectors: selectors,
                                  catalog: catalog, definitions: definitions)
        for warning in warnings { sink.results.warnings.add(namespace: nil, warning) }
        let batches = BoundedChannel<CollectedBatch>(capacity: 16)
        let collector = ItemCollector(client: client, concurrency: listConcurrency, pageSize: pageSize)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await collector.collect(requests, into: batches) }
                do {
                    for try await batch in batches {
                        try monitor.stopIfCancelled()
                        try await sink.consume(batch)
                        await monitor.progress(completed: sink.itemsBackedUp, total: max(sink.seen, sink.itemsBackedUp), message: nil)
                    }
                } catch {
                    batches.cancel()
                    throw error
                }
                try await group.waitForAll()
            }
            try await sink.addNamespaces(namespaceObjects, resource: namespaceResource)
            let summary = try writer.finish()
            while let chunk = writer.nextChunk() { try await upload.send(chunk) }
            let digest = try await upload.finish()
            await monitor.progress(completed: sink.itemsBackedUp, total: sink.itemsBackedUp, message: "uploaded \(digest.size) bytes")
            return Tarball(digest: digest, itemsBackedUp: summary.itemCount, resourceList: try resourceList.gzipped(), results: sink.results)
        } catch {
            await upload.fail(error)
            throw error
        }
    }

    /// The LISTs of a scope: per resource type, across all namespaces when the backup covers them all (one request
    /// instead of one per namespace) or per selected namespace, and once per or-selector.
    static func requests(scope: BackupScope, selectors: [String]) -> [ListRequest] {
        let selectorList: [String?] = selectors.isEmpty ? [nil] : selectors
        var requests: [ListRequest] = []
        for resource in scope.namespacedResources {
            let namespaces: [String?] = scope.coversAllNamespaces ? [nil] : scope.selectedNamespaces.map { $0 }
            for namespace in namespaces {
                for selector in selectorList {
                    requests.append(ListRequest(resource: resource, namespace: namespace, labelSelector: selector))
                }
            }
        }
        for resource in scope.clusterResources {
            for selector in selectorList { requests.append(ListRequest(resource: resource, namespace: nil, labelSelector: selector)) }
        }
        return requests
    }

    private func uploadLogAndResults(log: RunLog, results: OperationResults, keys: BackupKeys) async -> [String: ArtifactDigest] {
        var written: [String: ArtifactDigest] = [:]
        do {
            written[Self.fileName(keys.logs, in: keys)] = try await ArtifactUpload.put(
                try log.finish(), key: keys.logs, contentType: "application/gzip", in: store)
            written[Self.fileName(keys.results, in: keys)] = try await ArtifactUpload.put(
                try results.gzipped(), key: keys.results, contentType: "application/gzip", in: store)
        } catch {
            logger.warning("Could not upload the log of a failed backup", metadata: ["error": "\(error)"])
        }
        return written
    }

    static func fileName(_ key: String, in keys: BackupKeys) -> String { String(key.dropFirst(keys.directory.count)) }

    static func isCancellation(_ error: any Error) -> Bool {
        error is RunCancelled || error is CancellationError
    }

    /// A one-line reason for the status; store and cluster errors describe themselves without secrets.
    public static func reason(_ error: any Error) -> String {
        switch error {
        case let error as LifeboatError: "\(error)"
        case let error as KubernetesError: "\(error)"
        case let error as ObjectStoreError: "\(error)"
        default: "\(error)"
        }
    }
}
