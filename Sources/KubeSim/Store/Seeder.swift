import Foundation

/// `--seed DIR`: applies every manifest under a directory, namespaces and CRDs first. YAML (`.yaml`,
/// `.yml`) and JSON (`.json`, a single object or a `List`) files are read whole; `.jsonl` files hold one
/// JSON object per line and are read line by line, which is how large test data sets load quickly.
enum Seeder {
    static func apply(directory: String, to cluster: KubeCluster) throws {
        var documents: [(file: String, object: JSONValue)] = []
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw KubeSimError.invalidManifest("cannot read directory \(directory)")
        }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if [".yaml", ".yml", ".json", ".jsonl"].contains(where: path.hasSuffix) { files.append(path) }
        }
        var lineFiles: [(path: String, file: String)] = []
        for file in files.sorted() {
            let path = (directory as NSString).appendingPathComponent(file)
            do {
                if file.hasSuffix(".jsonl") {
                    lineFiles.append((path, file))
                    continue
                }
                if file.hasSuffix(".json") {
                    let object = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                    for item in object["kind"]?.stringValue?.hasSuffix("List") == true ? (object["items"]?.arrayValue ?? []) : [object] {
                        documents.append((file, item))
                    }
                    continue
                }
                for object in try YAMLDocuments.parseAll(try String(contentsOfFile: path, encoding: .utf8)) {
                    documents.append((file, object))
                }
            } catch let error as KubeSimError {
                throw error
            } catch {
                throw KubeSimError.invalidManifest("\(file): \(error)")
            }
        }
        func rank(_ object: JSONValue) -> Int {
            switch object["kind"]?.stringValue {
            case "Namespace": 0
            case "CustomResourceDefinition": 1
            default: 2
            }
        }
        let ordered = documents.enumerated().sorted { (rank($0.element.object), $0.offset) < (rank($1.element.object), $1.offset) }
        try cluster.withState { state in
            for (_, document) in ordered { try apply(document.object, file: document.file, state: &state) }
        }
        for lineFile in lineFiles { try applyLines(path: lineFile.path, file: lineFile.file, to: cluster) }
    }

    /// Streams a JSON-lines file: one object per line, each parsed and stored before the next is read.
    static func applyLines(path: String, file: String, to cluster: KubeCluster) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var batch: [JSONValue] = []
            func flush() throws {
                let objects = batch
                batch.removeAll(keepingCapacity: true)
                try cluster.withState { state in
                    for object in objects { try apply(object, file: file, state: &state) }
                }
            }
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                if end > start {
                    batch.append(try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<end])))
                    if batch.count == 1000 { try flush() }
                }
                start = end + 1
            }
            try flush()
        }
    }

    static func apply(_ object: JSONValue, file: String, state: inout ClusterState) throws {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              let view = state.view(apiVersion: apiVersion, kind: kind) else {
            throw KubeSimError.invalidManifest("\(file): no resource serves \(object["apiVersion"]?.stringValue ?? "?") \(object["kind"]?.stringValue ?? "?")")
        }
        let namespace = view.type.namespaced ? (object.value(at: ["metadata", "namespace"])?.stringValue ?? "default") : nil
        let result = Result { () throws(StatusError) in
            try state.create(view: view, namespace: namespace, object: object, options: WriteOptions())
        }
        if case .failure(let error) = result, error.reason != "AlreadyExists" {
            throw KubeSimError.invalidManifest("\(file): \(error.message)")
        }
    }
}
