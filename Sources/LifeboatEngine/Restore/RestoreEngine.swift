import Foundation
import LifeboatArchive
import LifeboatCore
import LifeboatKube
import LifeboatObjectStore
import Logging

/// What a restore run produced: the status to record, and the per-item results it uploaded.
public struct RestoreOutcome: Sendable {
    public var status: RestoreStatus
    public var items: RestoreItemResults
}

/// Runs one restore (`architecture.md` §7): download and verify the backup, plan, then CRDs (waiting until they are
/// Established and refreshing discovery), namespaces, and each priority tier with bounded parallel creates; or, as a
/// preview, the same plan compared with the live cluster, writing nothing to it. The log, results, resource list
/// and per-item results go to `restores/<R>/` of the backup's location.
///
/// Nothing is created when the backup cannot be read or verified: the outcome is Failed with the reason.
public struct RestoreEngine: Sendable {
    public var restore: Restore
    public var backupName: String
    public var client: HTTPKubernetesClient
    public var store: any ObjectStore
    public var layout: StorageLayout
    public var logger: Logger
    /// Creates in flight at once within a tier.
    public var concurrency: Int
    /// How long to wait for a restored CRD to become Established.
    public var definitionTimeout: Duration
    public var now: @Sendable () -> Date

    public init(restore: Restore, backupName: String, client: HTTPKubernetesClient, store: any ObjectStore, layout: StorageLayout,
                logger: Logger, concurrency: Int = 32, definitionTimeout: Duration = .seconds(60),
                now: @escaping @Sendable () -> Date = Date.init) {
        self.restore = restore
        self.backupName = backupName
        self.client = client
        self.store = store
        self.layout = layout
        self.logger = logger
        self.concurrency = max(1, concurrency)
        self.definitionTimeout = definitionTimeout
        self.now = now
    }

    var preview: Bool { restore.spec.preview ?? false }

    public func run(monitor: some ExecutionMonitor) async throws -> RestoreOutcome {
        let keys = try layout.restore(restore.name.rawValue)
        let log = try RunLog(subject: "restore", name: restore.name.rawValue, logger: logger, now: now)
        var status = restore.status
        status.startTimestamp = status.startTimestamp ?? now()
        status.phase = .inProgress
        var results = OperationResults()
        var items = RestoreItemResults(preview: preview)
        var resourceList = ResourceList()
        log.info(preview ? "Starting restore preview of backup \(backupName)" : "Starting restore of backup \(backupName)")
        do {
            let source = try await BackupSource.load(backup: backupName, from: store, layout: layout)
            if source.recordedDigest == nil {
                log.warning("The backup records no checksum (written by Velero); the tarball was not verified")
            } else {
                log.info("Verified the tarball", ["size": "\(source.digest.size)", "sha256": source.digest.sha256])
            }
            var catalog = try await client.discover()
            let plan = try RestorePlan(index: source.index, spec: restore.spec, catalog: catalog)
            log.info("Planned \(plan.itemCount) items in \(plan.namespaces.count) namespaces")
            // The namespaces count as items: each gets a result, and restored ones count as restored.
            let total = plan.itemCount + plan.namespaces.count
            status.progress = RestoreProgress(totalItems: total, itemsRestored: 0)
            let rules = RestoreItemRules(
                backupName: backupName, restoreName: restore.name.rawValue,
                namespaceMapping: try NamespaceMapping(restore.spec.namespaceMapping ?? [:]),
                preserveNodePorts: restore.spec.preserveNodePorts ?? false, restoreStatus: try Self.statusFilter(restore.spec))
            var done = 0
            var namespacesReady = false
            for tier in plan.tiers {
                try monitor.stopIfCancelled()
                let definitions = tier.contains { $0.resource == RestorePlan.definitionResource }
                if !definitions && !namespacesReady {
                    try await ensureNamespaces(plan.namespaces, resource: catalog.resolve("namespaces"), rules: rules, log: log,
                                               results: &results, items: &items)
                    namespacesReady = true
                    done += plan.namespaces.count
                }
                let restorer = ItemRestorer(client: client, catalog: catalog, rules: rules,
                                            policy: restore.spec.existingResourcePolicy ?? .none, preview: preview,
                                            reprovisionedVolumes: plan.reprovisionedVolumes)
                for group in tier {
                    log.info("Restoring resource '\(group.resource)'", ["items": "\(group.items.count)"])
                }
                let reports = try await restoreTier(tier, with: restorer, monitor: monitor, completedBefore: done, total: total)
                for report in reports {
                    record(report, log: log, results: &results, items: &items, resourceList: &resourceList)
                }
                done += reports.count
                if definitions && !preview {
                    await waitForDefinitions(tier, resource: catalog.resolve(RestorePlan.definitionResource), log: log, results: &results)
                    catalog = try await client.discover()
                }
            }
            if !namespacesReady {
                try await ensureNamespaces(plan.namespaces, resource: catalog.resolve("namespaces"), rules: rules, log: log,
                                           results: &results, items: &items)
            }
            let restored = items.items.filter { [.created, .updated, .unchanged].contains($0.outcome) }.count
            status.progress = RestoreProgress(totalItems: total, itemsRestored: preview ? 0 : restored)
            status.warnings = results.warnings.count
            status.errors = results.errors.count
            status.phase = results.errors.count > 0 ? .partiallyFailed : .completed
            log.info(preview ? "Restore preview completed" : "Restore completed",
                     ["restore.phase": status.phase.rawValue, "items": "\(plan.itemCount)", "warnings": "\(results.warnings.count)",
                      "errors": "\(results.errors.count)"])
        } catch {
            let cancelled = error is RunCancelled || error is CancellationError
            status.phase = .failed
            status.failureReason = cancelled ? "the restore was cancelled" : BackupEngine.reason(error)
            status.errors = results.errors.count + 1
            log.error(cancelled ? "Restore cancelled" : "Restore failed", ["error.message": status.failureReason ?? ""])
            if cancelled {
                status.completionTimestamp = now()
                await uploadArtifacts(keys: keys, log: log, results: results, resourceList: resourceList, items: items, bestEffort: true)
                throw error
            }
        }
        status.completionTimestamp = now()
        await uploadArtifacts(keys: keys, log: log, results: results, resourceList: resourceList, items: items,
                              bestEffort: status.phase == .failed)
        return RestoreOutcome(status: status, items: items)
    }

    /// The items of one tier through `concurrency` parallel restorers; reports come back in plan order.
    private func restoreTier(_ tier: [RestorePlan.ResourceItems], with restorer: ItemRestorer, monitor: some ExecutionMonitor,
                             completedBefore: Int, total: Int) async throws -> [ItemReport] {
        let work = tier.flatMap { group in group.items.map { (group.resource, $0) } }
        var reports = [ItemReport?](repeating: nil, count: work.count)
        try await withThrowingTaskGroup(of: (Int, ItemReport).self) { group in
            var next = 0
            func add() {
                let index = next
                let (resource, item) = work[index]
                next += 1
                group.addTask { (index, await restorer.restore(item, resource: resource)) }
            }
            while next < min(concurrency, work.count) { add() }
            var finished = 0
            while let (index, report) = try await group.next() {
                reports[index] = report
                finished += 1
                if finished % 100 == 0 || finished == work.count {
                    try monitor.stopIfCancelled()
                    await monitor.progress(completed: completedBefore + finished, total: total, message: nil)
                }
                if next < work.count { add() }
            }
        }
        return reports.compactMap { $0 }
    }

    private func record(_ report: ItemReport, log: RunLog, results: inout OperationResults, items: inout RestoreItemResults,
                        resourceList: inout ResourceList) {
        items.items.append(report.result)
        let result = report.result
        if let warning = report.warning {
            results.warnings.add(namespace: result.targetNamespace, warning)
            log.warning(warning, ["resource": result.resource, "name": result.name, "namespace": result.targetNamespace ?? ""])
        }
        if let error = report.error {
            results.errors.add(namespace: result.targetNamespace, error)
            log.error(error, ["resource": result.resource, "name": result.name, "namespace": result.targetNamespace ?? ""])
        }
        if !preview, !result.kind.isEmpty, !report.apiVersion.isEmpty {
            resourceList.add(key: "\(report.apiVersion)/\(result.kind)", namespace: result.targetNamespace, name: result.name,
                             action: result.outcome.veleroAction)
        }
    }

    /// Creates each target namespace (from its backed-up object when there is one), as Velero's
    /// `EnsureNamespaceExistsAndIsReady` does; an existing namespace is used as it is.
    private func ensureNamespaces(_ namespaces: [(target: String, source: RestorePlan.Item?)], resource: APIResource?,
                                  rules: RestoreItemRules, log: RunLog, results: inout OperationResults,
                                  items: inout RestoreItemResults) async throws {
        guard let resource else { return }
        for (target, source) in namespaces {
            var object: LifeboatKube.JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(target)]]
            if let source, let backedUp = try? LifeboatKube.JSONValue(parsing: source.json),
               case .create(let prepared, _) = rules.prepare(backedUp, resource: "namespaces") {
                object = prepared
                object["metadata"]?["name"] = .string(target)
                object["spec"] = .none  // finalizers of spec are set by the server
            }
            let result = { (outcome: RestoreItemOutcome, reason: String?) in
                RestoreItemResult(resource: "namespaces", kind: "Namespace", namespace: nil, targetNamespace: nil, name: target,
                                  outcome: outcome, reason: reason)
            }
            if preview {
                do {
                    _ = try await client.get(resource, name: target)
                    items.items.append(result(.wouldSkip, "namespace exists"))
                } catch let error as KubernetesError where error.isNotFound {
                    items.items.append(result(.wouldCreate, nil))
                }
                continue
            }
            do {
                _ = try await client.create(resource, KubeObject(object))
                items.items.append(result(.created, nil))
                log.info("Created namespace", ["namespace": target])
            } catch let error as KubernetesError where error.isAlreadyExists {
                try await waitUntilActive(target, resource: resource)
                items.items.append(result(.unchanged, "namespace exists"))
            } catch {
                results.errors.add(namespace: target, "error creating namespace \(target): \(error)")
                items.items.append(result(.failed, "\(error)"))
            }
        }
    }

    /// Waits out a namespace that is still terminating from an earlier delete, then recreates it.
    private func waitUntilActive(_ namespace: String, resource: APIResource) async throws {
        let deadline = ContinuousClock.now + definitionTimeout
        while ContinuousClock.now < deadline {
            let live: KubeObject
            do {
                live = try await client.get(resource, name: namespace)
            } catch let error as KubernetesError where error.isNotFound {
                _ = try? await client.create(resource, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
                return
            }
            if live.string(at: ["status", "phase"]) != "Terminating" && live.deletionTimestamp == nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Polls each restored CRD until Established and NamesAccepted are True (or the timeout), as Velero does
    /// before restoring custom resources.
    private func waitForDefinitions(_ tier: [RestorePlan.ResourceItems], resource: APIResource?, log: RunLog,
                                    results: inout OperationResults) async {
        guard let resource else { return }
        let names = tier.filter { $0.resource == RestorePlan.definitionResource }.flatMap { $0.items.map(\.key.name) }
        let deadline = ContinuousClock.now + definitionTimeout
        var pending = Set(names)
        while !pending.isEmpty && ContinuousClock.now < deadline {
            for name in pending.sorted() {
                guard let live = try? await client.get(resource, name: name) else { continue }
                let conditions = live.value(at: ["status", "conditions"])?.arrayValue ?? []
                let ready = ["Established", "NamesAccepted"].allSatisfy { type in
                    conditions.contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
                }
                if ready { pending.remove(name) }
            }
            if !pending.isEmpty { try? await Task.sleep(for: .milliseconds(200)) }
        }
        for name in pending.sorted() {
            results.warnings.add(namespace: nil, "custom resource definition \(name) did not become ready in time")
            log.warning("CRD not ready in time", ["name": name])
        }
    }

    private func uploadArtifacts(keys: RestoreKeys, log: RunLog, results: OperationResults, resourceList: ResourceList,
                                 items: RestoreItemResults, bestEffort: Bool) async {
        do {
            _ = try await ArtifactUpload.put(try results.gzipped(), key: keys.results, contentType: "application/gzip", in: store)
            _ = try await ArtifactUpload.put(try resourceList.gzipped(), key: keys.resourceList, contentType: "application/gzip", in: store)
            _ = try await ArtifactUpload.put(try items.gzipped(), key: keys.items, contentType: "application/gzip", in: store)
            _ = try await ArtifactUpload.put(try log.finish(), key: keys.logs, contentType: "application/gzip", in: store)
        } catch {
            logger.warning("Could not upload the restore's files", metadata: ["error": "\(error)", "best.effort": "\(bestEffort)"])
        }
    }

    /// `spec.restoreStatus` as a filter; nil when the restore asks for no status.
    static func statusFilter(_ spec: RestoreSpec) throws(LifeboatError) -> IncludesExcludes? {
        guard let restoreStatus = spec.restoreStatus else { return nil }
        return try IncludesExcludes(includes: restoreStatus.includedResources, excludes: restoreStatus.excludedResources,
                                    field: "spec.restoreStatus.includedResources")
    }
}
