import Foundation

/// A kwok-like simulation of the controllers and the kubelet, run by `PodLifecycle` after relevant
/// changes: Deployments own ReplicaSets that own Pods, StatefulSets own ordinal Pods and their PVCs,
/// DaemonSets get one Pod on the single node, PVCs bind to generated PVs, Pods become Running and Ready.
/// Every step is idempotent, so a converged cluster causes no writes.
extension ClusterState {
    static let podsKey = ResourceKey(group: "", plural: "pods")
    static let pvcKey = ResourceKey(group: "", plural: "persistentvolumeclaims")
    static let pvKey = ResourceKey(group: "", plural: "persistentvolumes")
    static let nodeName = "kubesim-node"

    mutating func reconcileWorkloads() {
        reconcileDeployments()
        reconcileReplicaSets()
        reconcileStatefulSets()
        reconcileDaemonSets()
        reconcilePersistentVolumeClaims()
        reconcilePods()
    }

    // MARK: Helpers

    func objects(_ resource: ResourceKey) -> [(key: ObjectKey, object: StoredObject)] {
        (tables[resource]?.objects ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func builtinView(_ group: String, _ plural: String) -> ResourceView {
        let type = resources[ResourceKey(group: group, plural: plural)]!
        return ResourceView(type: type, version: type.storageVersion)
    }

    static func safeEncode(_ text: String) -> String {
        String(text.utf8.map { generateNameAlphabet[Int($0) % generateNameAlphabet.count] })
    }

    /// `pod-template-hash`: FNV-1a over the template, encoded like apimachinery's `SafeEncodeString`.
    static func templateHash(_ template: JSONValue) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in JSONWriter.encode(template) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return safeEncode(String(hash))
    }

    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<5).map { _ in generateNameAlphabet.randomElement(using: &generator)! })
    }

    static func ownerReference(apiVersion: String, kind: String, name: String, uid: String) -> JSONValue {
        .object(["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
                 "controller": .bool(true), "blockOwnerDeletion": .bool(true)])
    }

    /// Creates an object from a controller (errors are impossible by construction or irrelevant).
    mutating func controllerCreate(_ group: String, _ plural: String, namespace: String?, _ object: JSONValue) {
        _ = try? create(view: builtinView(group, plural), namespace: namespace, object: object, options: WriteOptions())
    }

    /// Writes a new status (or spec) when it differs from the stored one.
    mutating func controllerWrite(_ group: String, _ plural: String, key: ObjectKey, _ transform: (inout JSONValue) -> Void) {
        let view = builtinView(group, plural)
        guard let stored = tables[view.key]?[key] else { return }
        let old = stored.decoded()
        var new = old
        transform(&new)
        guard new != old else { return }
        new["apiVersion"] = .string(view.apiVersion)
        new["kind"] = .string(view.type.kind)
        commit(new, view: view, key: key, kind: .modified)
    }

    func ownedBy(_ uid: String, in resource: ResourceKey) -> [(key: ObjectKey, object: StoredObject)] {
        objects(resource).filter { $0.object.ownerUIDs.contains(uid) && !$0.object.isDeleting }
    }

    func isReady(_ pod: StoredObject) -> Bool {
        let conditions = pod.decoded().value(at: ["status", "conditions"])?.arrayValue ?? []
        return conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    // MARK: Deployments and ReplicaSets

    mutating func reconcileDeployments() {
        for (key, stored) in objects(ResourceKey(group: "apps", plural: "deployments")) where !stored.isDeleting {
            let deployment = stored.decoded()
            let template = deployment.value(at: ["spec", "template"]) ?? .object([:])
            let hash = Self.templateHash(template)
            let replicas = deployment.value(at: ["spec", "replicas"])?.intValue ?? 1
            let rsName = "\(key.name)-\(hash)"
            let rsKey = ObjectKey(namespace: key.namespace, name: rsName)
            let rsResource = ResourceKey(group: "apps", plural: "replicasets")
            if tables[rsResource]?[rsKey] == nil {
                var podTemplate = template
                podTemplate.setValue(.string(hash), at: ["metadata", "labels", "pod-template-hash"])
                var selector = deployment.value(at: ["spec", "selector"]) ?? .object([:])
                selector.setValue(.string(hash), at: ["matchLabels", "pod-template-hash"])
                var labels = template.value(at: ["metadata", "labels"]) ?? .object([:])
                labels["pod-template-hash"] = .string(hash)
                controllerCreate("apps", "replicasets", namespace: key.namespace, .object([
                    "apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "metadata": .object([
                        "name": .string(rsName), "labels": labels,
                        "annotations": .object(["deployment.kubernetes.io/revision": "1",
                                                "deployment.kubernetes.io/desired-replicas": .string(String(replicas))]),
                        "ownerReferences": .array([Self.ownerReference(apiVersion: "apps/v1", kind: "Deployment", name: key.name, uid: stored.uid)]),
                    ]),
                    "spec": .object(["replicas": .int(replicas), "selector": selector, "template": podTemplate]),
                ]))
            } else {
                controllerWrite("apps", "replicasets", key: rsKey) { $0.setValue(.int(replicas), at: ["spec", "replicas"]) }
            }
            var ready = 0, total = 0
            for (otherKey, other) in ownedBy(stored.uid, in: rsResource) {
                if otherKey.name != rsName {
                    controllerWrite("apps", "replicasets", key: otherKey) { $0.setValue(.int(0), at: ["spec", "replicas"]) }
                }
                let status = other.decoded()["status"]
                ready += status?["readyReplicas"]?.intValue ?? 0
                total += status?["replicas"]?.intValue ?? 0
            }
            let generation = deployment.value(at: ["metadata", "generation"])?.intValue ?? 1
            let available = ready >= replicas
            controllerWrite("apps", "deployments", key: key) { object in
                let previous = object["status"]?["conditions"]?.arrayValue ?? []
                func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> JSONValue {
                    let old = previous.first { $0["type"]?.stringValue == type }
                    let changed = old?["status"]?.stringValue != (status ? "True" : "False")
                    let time = changed ? JSONValue.string(Timestamp.now()) : (old?["lastTransitionTime"] ?? .string(Timestamp.now()))
                    return .object(["type": .string(type), "status": .string(status ? "True" : "False"), "reason": .string(reason),
                                    "message": .string(message), "lastTransitionTime": time, "lastUpdateTime": time])
                }
                object["status"] = .object([
                    "observedGeneration": .int(generation), "replicas": .int(total), "updatedReplicas": .int(total),
                    "readyReplicas": .int(ready), "availableReplicas": .int(ready), "unavailableReplicas": .int(max(0, replicas - ready)),
                    "conditions": .array([
                        condition("Available", available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                  available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
                        condition("Progressing", true, available ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                                  "ReplicaSet \"\(rsName)\" \(available ? "has successfully progressed." : "is progressing.")"),
                    ]),
                ])
            }
        }
    }

    mutating func reconcileReplicaSets() {
        for (key, stored) in objects(ResourceKey(group: "apps", plural: "replicasets")) where !stored.isDeleting {
            let rs = stored.decoded()
            let replicas = rs.value(at: ["spec", "replicas"])?.intValue ?? 1
            var pods = ownedBy(stored.uid, in: Self.podsKey)
            while pods.count < replicas {
                let name = "\(key.name)-\(Self.randomSuffix())"
                var pod = rs.value(at: ["spec", "template"]) ?? .object([:])
                pod["apiVersion"] = "v1"
                pod["kind"] = "Pod"
                pod.setValue(.string(name), at: ["metadata", "name"])
                pod.setValue(.array([Self.ownerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: key.name, uid: stored.uid)]),
                             at: ["metadata", "ownerReferences"])
                controllerCreate("", "pods", namespace: key.namespace, pod)
                pods = ownedBy(stored.uid, in: Self.podsKey)
            }
            for (podKey, pod) in pods.dropFirst(replicas).reversed() {
                _ = try? deleteStored(view: builtinView("", "pods"), key: podKey, stored: pod, dryRun: false)
            }
            let current = ownedBy(stored.uid, in: Self.podsKey)
            let ready = current.filter { isReady($0.object) }.count
            let generation = rs.value(at: ["metadata", "generation"])?.intValue ?? 1
            controllerWrite("apps", "replicasets", key: key) { object in
                object["status"] = .object([
                    "replicas": .int(current.count), "fullyLabeledReplicas": .int(current.count), "readyReplicas": .int(ready),
                    "availableReplicas": .int(ready), "observedGeneration": .int(generation),
                ])
            }
        }
    }

    // MARK: StatefulSets and DaemonSets

    mutating func reconcileStatefulSets() {
        for (key, stored) in objects(ResourceKey(group: "apps", plural: "statefulsets")) where !stored.isDeleting {
            let sts = stored.decoded()
            let replicas = sts.value(at: ["spec", "replicas"])?.intValue ?? 1
            let template = sts.value(at: ["spec", "template"]) ?? .object([:])
            let revision = "\(key.name)-\(Self.templateHash(template))"
            let claimTemplates = sts.value(at: ["spec", "volumeClaimTemplates"])?.arrayValue ?? []
            for ordinal in 0..<replicas {
                let podName = "\(key.name)-\(ordinal)"
                for claim in claimTemplates {
                    guard let claimName = claim.value(at: ["metadata", "name"])?.stringValue else { continue }
                    let pvcName = "\(claimName)-\(podName)"
                    if tables[Self.pvcKey]?[ObjectKey(namespace: key.namespace, name: pvcName)] == nil {
                        var pvc = claim
                        pvc["apiVersion"] = "v1"
                        pvc["kind"] = "PersistentVolumeClaim"
                        pvc["status"] = nil
                        pvc.setValue(.string(pvcName), at: ["metadata", "name"])
                        var labels = template.value(at: ["metadata", "labels"])?.objectValue ?? [:]
                        for (k, v) in pvc.value(at: ["metadata", "labels"])?.objectValue ?? [:] { labels[k] = v }
                        pvc.setValue(.object(labels), at: ["metadata", "labels"])
                        controllerCreate("", "persistentvolumeclaims", namespace: key.namespace, pvc)
                    }
                }
                if tables[Self.podsKey]?[ObjectKey(namespace: key.namespace, name: podName)] == nil {
                    var pod = template
                    pod["apiVersion"] = "v1"
                    pod["kind"] = "Pod"
                    pod.setValue(.string(podName), at: ["metadata", "name"])
                    pod.setValue(.string(podName), at: ["metadata", "labels", "statefulset.kubernetes.io/pod-name"])
                    pod.setValue(.string(String(ordinal)), at: ["metadata", "labels", "apps.kubernetes.io/pod-index"])
                    pod.setValue(.string(revision), at: ["metadata", "labels", "controller-revision-hash"])
                    pod.setValue(.array([Self.ownerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: key.name, uid: stored.uid)]),
                                 at: ["metadata", "ownerReferences"])
                    pod.setValue(.string(podName), at: ["spec", "hostname"])
                    if let service = sts.value(at: ["spec", "serviceName"]) { pod.setValue(service, at: ["spec", "subdomain"]) }
                    var volumes = pod.value(at: ["spec", "volumes"])?.arrayValue ?? []
                    for claim in claimTemplates {
                        guard let claimName = claim.value(at: ["metadata", "name"])?.stringValue,
                              !volumes.contains(where: { $0["name"]?.stringValue == claimName }) else { continue }
                        volumes.append(.object(["name": .string(claimName),
                                                "persistentVolumeClaim": .object(["claimName": .string("\(claimName)-\(podName)")])]))
                    }
                    if !volumes.isEmpty { pod.setValue(.array(volumes), at: ["spec", "volumes"]) }
                    controllerCreate("", "pods", namespace: key.namespace, pod)
                }
            }
            for (podKey, pod) in ownedBy(stored.uid, in: Self.podsKey) {
                if let ordinal = Int(podKey.name.dropFirst(key.name.count + 1)), ordinal >= replicas {
                    _ = try? deleteStored(view: builtinView("", "pods"), key: podKey, stored: pod, dryRun: false)
                }
            }
            let pods = ownedBy(stored.uid, in: Self.podsKey)
            let ready = pods.filter { isReady($0.object) }.count
            let generation = sts.value(at: ["metadata", "generation"])?.intValue ?? 1
            controllerWrite("apps", "statefulsets", key: key) { object in
                object["status"] = .object([
                    "observedGeneration": .int(generation), "replicas": .int(pods.count), "readyReplicas": .int(ready),
                    "currentReplicas": .int(pods.count), "updatedReplicas": .int(pods.count), "availableReplicas": .int(ready),
                    "currentRevision": .string(revision), "updateRevision": .string(revision), "collisionCount": .int(0),
                ])
            }
        }
    }

    mutating func reconcileDaemonSets() {
        for (key, stored) in objects(ResourceKey(group: "apps", plural: "daemonsets")) where !stored.isDeleting {
            let ds = stored.decoded()
            if ownedBy(stored.uid, in: Self.podsKey).isEmpty {
                var pod = ds.value(at: ["spec", "template"]) ?? .object([:])
                pod["apiVersion"] = "v1"
                pod["kind"] = "Pod"
                pod.setValue(.string("\(key.name)-\(Self.randomSuffix())"), at: ["metadata", "name"])
                pod.setValue(.array([Self.ownerReference(apiVersion: "apps/v1", kind: "DaemonSet", name: key.name, uid: stored.uid)]),
                             at: ["metadata", "ownerReferences"])
                controllerCreate("", "pods", namespace: key.namespace, pod)
            }
            let pods = ownedBy(stored.uid, in: Self.podsKey)
            let ready = pods.filter { isReady($0.object) }.count
            let generation = ds.value(at: ["metadata", "generation"])?.intValue ?? 1
            controllerWrite("apps", "daemonsets", key: key) { object in
                object["status"] = .object([
                    "observedGeneration": .int(generation), "desiredNumberScheduled": .int(1), "currentNumberScheduled": .int(pods.count),
                    "numberReady": .int(ready), "numberAvailable": .int(ready), "updatedNumberScheduled": .int(pods.count),
                    "numberMisscheduled": .int(0),
                ])
            }
        }
    }

    // MARK: Volumes and pods

    /// Binds pending claims to generated CSI volumes, like a dynamic provisioner plus the PV controller.
    mutating func reconcilePersistentVolumeClaims() {
        for (key, stored) in objects(Self.pvcKey) where !stored.isDeleting {
            let pvc = stored.decoded()
            guard pvc.value(at: ["status", "phase"])?.stringValue != "Bound" else { continue }
            var pvName = pvc.value(at: ["spec", "volumeName"])?.stringValue ?? ""
            let storage = pvc.value(at: ["spec", "resources", "requests", "storage"]) ?? "1Gi"
            let accessModes = pvc.value(at: ["spec", "accessModes"]) ?? .array(["ReadWriteOnce"])
            if pvName.isEmpty {
                pvName = "pvc-\(stored.uid)"
                var spec: [String: JSONValue] = [
                    "capacity": .object(["storage": storage]), "accessModes": accessModes,
                    "persistentVolumeReclaimPolicy": "Delete", "volumeMode": pvc.value(at: ["spec", "volumeMode"]) ?? "Filesystem",
                    "claimRef": .object(["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": .string(key.namespace),
                                         "name": .string(key.name), "uid": .string(stored.uid)]),
                    "csi": .object(["driver": "kubesim.csi.k8s.io", "volumeHandle": .string(pvName), "fsType": "ext4"]),
                ]
                if let storageClass = pvc.value(at: ["spec", "storageClassName"]) { spec["storageClassName"] = storageClass }
                controllerCreate("", "persistentvolumes", namespace: nil, .object([
                    "apiVersion": "v1", "kind": "PersistentVolume",
                    "metadata": .object(["name": .string(pvName), "annotations": .object(["pv.kubernetes.io/provisioned-by": "kubesim.csi.k8s.io"])]),
                    "spec": .object(spec),
                ]))
            } else if tables[Self.pvKey]?[ObjectKey(namespace: "", name: pvName)] == nil {
                continue
            }
            controllerWrite("", "persistentvolumes", key: ObjectKey(namespace: "", name: pvName)) { pv in
                if pv.value(at: ["spec", "claimRef"]) == nil {
                    pv.setValue(.object(["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": .string(key.namespace),
                                         "name": .string(key.name), "uid": .string(stored.uid)]), at: ["spec", "claimRef"])
                }
                pv["status"] = .object(["phase": "Bound"])
            }
            let capacity = tables[Self.pvKey]?[ObjectKey(namespace: "", name: pvName)]?.decoded().value(at: ["spec", "capacity"])
            controllerWrite("", "persistentvolumeclaims", key: key) { claim in
                claim.setValue(.string(pvName), at: ["spec", "volumeName"])
                claim.setValue("yes", at: ["metadata", "annotations", "pv.kubernetes.io/bind-completed"])
                claim.setValue("yes", at: ["metadata", "annotations", "pv.kubernetes.io/bound-by-controller"])
                claim["status"] = .object(["phase": "Bound", "accessModes": accessModes,
                                           "capacity": capacity ?? .object(["storage": storage])])
            }
        }
    }

    /// The kubelet: schedule to the node, then Running with every condition and container status set.
    mutating func reconcilePods() {
        for (key, stored) in objects(Self.podsKey) where !stored.isDeleting {
            let pod = stored.decoded()
            guard pod.value(at: ["status", "phase"])?.stringValue == "Pending" else { continue }
            let claims = (pod.value(at: ["spec", "volumes"])?.arrayValue ?? []).compactMap {
                $0.value(at: ["persistentVolumeClaim", "claimName"])?.stringValue
            }
            let unbound = claims.contains { claim in
                tables[Self.pvcKey]?[ObjectKey(namespace: key.namespace, name: claim)]?.decoded()
                    .value(at: ["status", "phase"])?.stringValue != "Bound"
            }
            if unbound { continue }
            podIPCounter += 1
            let ip = "10.244.\((podIPCounter / 250) % 250).\(podIPCounter % 250 + 2)"
            let now = Timestamp.now()
            let containers = pod.value(at: ["spec", "containers"])?.arrayValue ?? []
            let statuses: [JSONValue] = containers.map { container in
                let image = container["image"] ?? ""
                return .object([
                    "name": container["name"] ?? "", "image": image, "imageID": .string("docker.io/library/\(image.stringValue ?? "")"),
                    "containerID": .string("kubesim://\(UUID().uuidString.lowercased())"), "ready": .bool(true), "started": .bool(true),
                    "restartCount": .int(0), "state": .object(["running": .object(["startedAt": .string(now)])]),
                ])
            }
            func condition(_ type: String) -> JSONValue {
                .object(["type": .string(type), "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(now)])
            }
            controllerWrite("", "pods", key: key) { object in
                object.setValue(.string(Self.nodeName), at: ["spec", "nodeName"])
                object["status"] = .object([
                    "phase": "Running", "hostIP": "127.0.0.1", "hostIPs": .array([.object(["ip": "127.0.0.1"])]),
                    "podIP": .string(ip), "podIPs": .array([.object(["ip": .string(ip)])]), "startTime": .string(now),
                    "qosClass": "BestEffort", "containerStatuses": .array(statuses),
                    "conditions": .array(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition)),
                ])
            }
        }
    }
}
