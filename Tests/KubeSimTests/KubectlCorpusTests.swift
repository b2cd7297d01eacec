import Foundation
import Testing
@testable import KubeSim

/// The real kubectl against KubeSim with the whole shared corpus: kubectl is the referee.
@Suite(.timeLimit(.minutes(10))) struct KubectlCorpusTests {
    /// Objects whose JSON is too large for the last-applied annotation go through `kubectl create`.
    static let applyLimit = 200_000

    @Test func applyGetReapplyAndDeleteTheWholeCorpus() async throws {
        let documents = try Corpus.load()
        try #require(documents.count == 792)
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }

        // Lay the corpus out as one JSON file per object, grouped by apply phase.
        var namespaces = Set<String>()
        for doc in documents where doc.kind != "Namespace" { if let ns = doc.namespace { namespaces.insert(ns) } }
        let defined = Set(documents.filter { $0.kind == "Namespace" }.map(\.name))
        var index = 0
        func place(_ phase: String, _ object: JSONValue) throws {
            index += 1
            _ = try sim.write("corpus/\(phase)/\(String(format: "%04d", index)).json", JSONWriter.encodeString(object))
        }
        for ns in namespaces.subtracting(defined).subtracting(["default", "kube-system"]).sorted() {
            try place("1-namespaces", .object(["apiVersion": "v1", "kind": "Namespace", "metadata": .object(["name": .string(ns)])]))
        }
        for doc in documents where doc.kind == "Namespace" { try place("1-namespaces", doc.object) }
        for doc in documents where doc.kind == "CustomResourceDefinition" {
            try place(JSONWriter.encode(doc.object).count > Self.applyLimit ? "2-crds-create" : "2-crds", doc.object)
        }
        for doc in documents where doc.kind != "Namespace" && doc.kind != "CustomResourceDefinition" {
            try place(JSONWriter.encode(doc.object).count > Self.applyLimit ? "3-create" : "3-apply", doc.object)
        }
        let base = sim.directory.appendingPathComponent("corpus").path
        try await sim.kubectlOK("apply", "-f", "\(base)/1-namespaces")
        try await sim.kubectlOK("create", "-f", "\(base)/2-crds-create")
        try await sim.kubectlOK("apply", "-f", "\(base)/2-crds")
        try await sim.kubectlOK("wait", "--for", "condition=established", "--timeout=60s", "crd", "--all")
        if FileManager.default.fileExists(atPath: "\(base)/3-create") { try await sim.kubectlOK("create", "-f", "\(base)/3-create") }
        try await sim.kubectlOK("apply", "-f", "\(base)/3-apply", timeout: .seconds(300))

        // Every object is there with its content.
        var byType: [String: [Corpus.Document]] = [:]
        for doc in documents {
            let parts = doc.apiVersion.split(separator: "/").map(String.init)
            let resource = parts.count == 2 ? "\(doc.kind.lowercased()).\(parts[1]).\(parts[0])" : doc.kind.lowercased()
            byType[resource, default: []].append(doc)
        }
        for (resource, docs) in byType.sorted(by: { $0.key < $1.key }) {
            let output = try await sim.kubectlOK("get", resource, "-A", "-o", "json")
            let list = try JSONParser.parse(Array(output.utf8))
            var live: [String: JSONValue] = [:]
            for item in list["items"]?.arrayValue ?? [] {
                let ns = item.value(at: ["metadata", "namespace"])?.stringValue ?? ""
                live["\(ns)/\(item.value(at: ["metadata", "name"])?.stringValue ?? "")"] = item
            }
            for doc in docs {
                let namespaced = (live.keys.first { $0.hasSuffix("/\(doc.name)") }.map { !$0.hasPrefix("/") }) ?? true
                let ns = namespaced ? (doc.namespace ?? "default") : ""
                guard let object = live["\(ns)/\(doc.name)"] else {
                    Issue.record("\(doc.file): \(resource) \(ns)/\(doc.name) missing")
                    continue
                }
                var expected = doc.object
                expected["status"] = nil  // status is dropped on create, as by a real server
                if doc.kind == "Secret", let stringData = expected["stringData"]?.objectValue {
                    expected["stringData"] = nil
                    for (key, value) in stringData {
                        expected.setValue(.string(Data((value.stringValue ?? "").utf8).base64EncodedString()), at: ["data", key])
                    }
                }
                expected.setValue(nil, at: ["metadata", "namespace"])
                if let problem = Corpus.contains(object, expected) { Issue.record("\(doc.file) \(doc.kind)/\(doc.name): \(problem)") }
            }
        }

        // A second apply changes nothing, except where kubectl's own 3-way diff always sends a patch:
        // manifests with `status` or Secret `stringData` (never stored back), with explicit YAML nulls
        // (kubectl patches them to null every time), and PodDisruptionBudgets (`spec.selector` has
        // patchStrategy=replace, which kubectl's diff always includes).
        func hasNull(_ value: JSONValue) -> Bool {
            switch value {
            case .null: true
            case .object(let fields): fields.values.contains(where: hasNull)
            case .array(let items): items.contains(where: hasNull)
            default: false
            }
        }
        let exempt = Set(documents.filter {
            $0.object["status"] != nil || $0.object["stringData"] != nil || hasNull($0.object) || $0.kind == "PodDisruptionBudget"
        }.map(\.name))
        let again = try await sim.kubectlOK("apply", "-f", "\(base)/3-apply", timeout: .seconds(300))
        let lines = again.split(separator: "\n").map(String.init)
        let changed = lines.filter { line in
            guard !line.hasSuffix(" unchanged") else { return false }
            let name = line.split(separator: " ").first?.split(separator: "/").last.map(String.init) ?? ""
            return !exempt.contains(name)
        }
        #expect(lines.count > 600)
        #expect(changed.isEmpty, "\(changed.prefix(10))")

        // Delete everything; namespaces last.
        try await sim.kubectlOK("delete", "-f", "\(base)/3-apply", "--wait=true", timeout: .seconds(300))
        if FileManager.default.fileExists(atPath: "\(base)/3-create") { try await sim.kubectlOK("delete", "-f", "\(base)/3-create") }
        try await sim.kubectlOK("delete", "-f", "\(base)/2-crds")
        try await sim.kubectlOK("delete", "-f", "\(base)/2-crds-create")
        try await sim.kubectlOK("delete", "-f", "\(base)/1-namespaces")
        let crds = try await sim.kubectlOK("get", "crd", "-o", "name")
        #expect(crds.isEmpty)
        let left = try await sim.kubectlOK("get", "deployments,services,configmaps", "-A", "-o", "name")
        #expect(left.split(separator: "\n").sorted() == ["configmap/kube-root-ca.crt", "configmap/kube-root-ca.crt", "configmap/kube-root-ca.crt",
                                                         "configmap/kube-root-ca.crt", "service/kubernetes"])
    }
}
