import Foundation

/// `--data-dir`: the whole store as one JSON document, written on shutdown and read at start.
enum StatePersistence {
    static let fileName = "kubesim-state.json"

    static func save(_ cluster: KubeCluster, to directory: String) throws {
        let bytes: [UInt8] = cluster.withState { state in
            var out: [UInt8] = Array("{\"revision\":\(state.revision),\"objects\":[".utf8)
            var first = true
            // CRDs first so that loading can serve their resources before their objects arrive.
            let keys = state.tables.keys.sorted { a, b in
                (a == ClusterState.crdKey ? 0 : 1, a.qualified) < (b == ClusterState.crdKey ? 0 : 1, b.qualified)
            }
            for key in keys {
                guard let table = state.tables[key] else { continue }
                for (objectKey, object) in table.objects.sorted(by: { $0.key < $1.key }) {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out.append(contentsOf: Array("{\"group\":".utf8))
                    JSONWriter.writeString(key.group, into: &out)
                    out.append(contentsOf: Array(",\"plural\":".utf8))
                    JSONWriter.writeString(key.plural, into: &out)
                    out.append(contentsOf: Array(",\"namespace\":".utf8))
                    JSONWriter.writeString(objectKey.namespace, into: &out)
                    out.append(contentsOf: Array(",\"object\":".utf8))
                    out.append(contentsOf: object.body)
                    out.append(UInt8(ascii: "}"))
                }
            }
            out.append(contentsOf: Array("]}".utf8))
            return out
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
        try Data(bytes).write(to: url, options: .atomic)
    }

    static func load(into cluster: KubeCluster, from directory: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let document = try JSONParser.parse(Array(try Data(contentsOf: url)))
        cluster.withState { state in
            state.tables = [:]
            state.history = []
            state.services = ServiceAllocator()
            for record in document["objects"]?.arrayValue ?? [] {
                guard let group = record["group"]?.stringValue, let plural = record["plural"]?.stringValue,
                      let object = record["object"], let name = object.value(at: ["metadata", "name"])?.stringValue else { continue }
                let key = ResourceKey(group: group, plural: plural)
                guard let type = state.resources[key] else { continue }
                let metadata = object["metadata"] ?? .object([:])
                let stored = StoredObject(
                    body: JSONWriter.encode(object), labels: metadata["labels"]?.stringMap ?? [:],
                    resourceVersion: UInt64(metadata["resourceVersion"]?.stringValue ?? "") ?? 0,
                    uid: metadata["uid"]?.stringValue ?? "",
                    ownerUIDs: (metadata["ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue },
                    hasFinalizers: !(metadata["finalizers"]?.arrayValue ?? []).isEmpty,
                    isDeleting: metadata["deletionTimestamp"] != nil)
                let objectKey = ObjectKey(namespace: record["namespace"]?.stringValue ?? "", name: name)
                state.tables[key, default: ResourceTable()][objectKey] = stored
                for uid in stored.ownerUIDs {
                    state.dependents[uid, default: []].insert(ObjectReference(resource: key, key: objectKey))
                }
                if key == ClusterState.crdKey { state.serveCustomResource(crd: object) }
                if type.key == ResourceKey(group: "", plural: "services") {
                    if let ip = object.value(at: ["spec", "clusterIP"])?.stringValue { state.services.usedIPs.insert(ip) }
                    for port in object.value(at: ["spec", "ports"])?.arrayValue ?? [] {
                        if let nodePort = port["nodePort"]?.intValue { state.services.usedNodePorts.insert(nodePort) }
                    }
                }
            }
            state.revision = max(state.revision, UInt64(document["revision"]?.intValue ?? 0))
            state.compactedRevision = state.revision
        }
    }
}
