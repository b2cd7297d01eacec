import Foundation
import NIOHTTP1
import Testing
@testable import KubeSim

/// Server behaviour that kubectl does not exercise directly, checked over real HTTP.
@Suite struct APISemanticsTests {
    static func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:]) -> String {
        let labelJSON = labels.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        return #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{\#(labelJSON)}},"data":{"k":"v"}}"#
    }

    @Test func pagingWithContinueTokensAndExpiry() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        for i in 0..<7 {
            let reply = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap(String(format: "cm-%02d", i)))
            #expect(reply.status == 201)
        }
        // kube-root-ca.crt is also there: 8 items, pages of 3.
        var names: [String] = []
        var token: String?
        var listRV: String?
        var pages = 0
        repeat {
            let query = "limit=3" + (token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
            let page = try await client.get("/api/v1/namespaces/default/configmaps?\(query)")
            #expect(page.status == 200)
            let items = page.json["items"]?.arrayValue ?? []
            #expect(items.count <= 3)
            #expect(items.allSatisfy { $0["kind"] == nil })  // built-in list items carry no kind
            names += items.compactMap { $0.value(at: ["metadata", "name"])?.stringValue }
            let rv = page.json.value(at: ["metadata", "resourceVersion"])?.stringValue
            if listRV == nil { listRV = rv } else { #expect(rv == listRV) }
            token = page.json.value(at: ["metadata", "continue"])?.stringValue
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(names == (0..<7).map { String(format: "cm-%02d", $0) } + ["kube-root-ca.crt"])

        let first = try await client.get("/api/v1/namespaces/default/configmaps?limit=2")
        let stale = try #require(first.json.value(at: ["metadata", "continue"])?.stringValue)
        sim.server.expireContinueTokens()
        let expired = try await client.get("/api/v1/namespaces/default/configmaps?limit=2&continue=\(stale.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(expired.status == 410)
        #expect(expired.json["reason"] == "Expired")
    }

    @Test func labelAndFieldSelectors() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        _ = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("a", labels: ["env": "prod", "tier": "web"]))
        _ = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("b", labels: ["env": "qa"]))
        _ = try await client.post("/api/v1/namespaces/kube-system/configmaps", Self.configMap("c", namespace: "kube-system", labels: ["env": "dev"]))
        func names(_ query: String, all: Bool = false) async throws -> [String] {
            let path = all ? "/api/v1/configmaps?\(query)" : "/api/v1/namespaces/default/configmaps?\(query)"
            let reply = try await client.get(path)
            #expect(reply.status == 200, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
            return (reply.json["items"]?.arrayValue ?? []).compactMap { $0.value(at: ["metadata", "name"])?.stringValue }
        }
        #expect(try await names("labelSelector=env%3Dprod") == ["a"])
        #expect(try await names("labelSelector=env+in+%28prod%2Cqa%29") == ["a", "b"])
        #expect(try await names("labelSelector=env!%3Dprod") == ["b", "kube-root-ca.crt"])
        #expect(try await names("labelSelector=tier") == ["a"])
        #expect(try await names("labelSelector=!tier,env") == ["b"])
        #expect(try await names("labelSelector=env,env+notin+%28prod%29", all: true) == ["b", "c"])
        #expect(try await names("fieldSelector=metadata.name%3Db") == ["b"])
        #expect(try await names("fieldSelector=metadata.namespace%3Dkube-system", all: true) == ["c", "kube-root-ca.crt"])
        let bad = try await client.get("/api/v1/configmaps?fieldSelector=spec.foo%3Dx")
        #expect(bad.status == 400)
    }

    @Test func conflictsAndOptimisticConcurrency() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let created = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("cfg"))
        #expect(created.status == 201)
        let rv = try #require(created.json.value(at: ["metadata", "resourceVersion"])?.stringValue)
        #expect(created.json.value(at: ["metadata", "uid"])?.stringValue?.count == 36)
        let again = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("cfg"))
        #expect(again.status == 409)
        #expect(again.json["reason"] == "AlreadyExists")
        #expect(again.json["message"] == "configmaps \"cfg\" already exists")

        var object = created.json
        object.setValue(.object(["k": "v2"]), at: ["data"])
        let updated = try await client.put("/api/v1/namespaces/default/configmaps/cfg", JSONWriter.encodeString(object))
        #expect(updated.status == 200)
        #expect(updated.json.value(at: ["metadata", "resourceVersion"])?.stringValue != rv)
        // The same stale resourceVersion again: Conflict.
        object.setValue(.object(["k": "v3"]), at: ["data"])
        let stale = try await client.put("/api/v1/namespaces/default/configmaps/cfg", JSONWriter.encodeString(object))
        #expect(stale.status == 409)
        #expect(stale.json["reason"] == "Conflict")
        #expect(stale.json["message"]?.stringValue?.hasPrefix("Operation cannot be fulfilled on configmaps \"cfg\"") == true)
        // A patch carrying a stale resourceVersion is a precondition failure too.
        let patch = try await client.patch("/api/v1/namespaces/default/configmaps/cfg", #"{"metadata":{"resourceVersion":"\#(rv)"}}"#,
                                           type: "application/merge-patch+json")
        #expect(patch.status == 409)
        let missing = try await client.get("/api/v1/namespaces/default/configmaps/nope")
        #expect(missing.status == 404)
        #expect(missing.json["message"] == "configmaps \"nope\" not found")
        let apps = try await client.get("/apis/apps/v1/namespaces/default/deployments/web")
        #expect(apps.json["message"] == "deployments.apps \"web\" not found")
    }

    @Test func dryRunPersistsNothing() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let before = sim.server.resourceVersion
        let dry = try await client.post("/api/v1/namespaces/default/configmaps?dryRun=All", Self.configMap("ghost"))
        #expect(dry.status == 201)
        #expect(dry.json.value(at: ["metadata", "name"]) == "ghost")
        #expect(try await client.get("/api/v1/namespaces/default/configmaps/ghost").status == 404)
        #expect(sim.server.resourceVersion == before)
        let invalid = try await client.post("/api/v1/namespaces/default/configmaps?dryRun=Some", Self.configMap("ghost"))
        #expect(invalid.status == 400)
        _ = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("real"))
        let dryDelete = try await client.send(.DELETE, "/api/v1/namespaces/default/configmaps/real?dryRun=All")
        #expect(dryDelete.status == 200)
        #expect(try await client.get("/api/v1/namespaces/default/configmaps/real").status == 200)
    }

    @Test func authenticationAndReadOnlyTokens() async throws {
        let sim = try await SimFixture.start(KubeSimConfiguration(tokens: ["admin-token"], readOnlyTokens: ["viewer-token"]))
        defer { Task { await sim.stop() } }
        let anonymous = SimClient(baseURL: sim.server.url)
        let wrong = SimClient(baseURL: sim.server.url, token: "guess")
        let viewer = SimClient(baseURL: sim.server.url, token: "viewer-token")
        let admin = SimClient(baseURL: sim.server.url, token: "admin-token")
        let denied = try await anonymous.get("/api/v1/namespaces")
        #expect(denied.status == 401)
        #expect(denied.json["reason"] == "Unauthorized")
        #expect(try await wrong.get("/api/v1/namespaces").status == 401)
        #expect(try await viewer.get("/api/v1/namespaces").status == 200)
        let forbidden = try await viewer.post("/api/v1/namespaces/default/configmaps", Self.configMap("x"))
        #expect(forbidden.status == 403)
        #expect(forbidden.json["message"] == "configmaps is forbidden: User \"kubesim-viewer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        #expect(try await admin.post("/api/v1/namespaces/default/configmaps", Self.configMap("x")).status == 201)
        #expect(!String(decoding: denied.body, as: UTF8.self).contains("admin-token"))
    }

    @Test func injectedLatency() async throws {
        let sim = try await SimFixture.start(KubeSimConfiguration(latency: .milliseconds(300)))
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let start = ContinuousClock.now
        #expect(try await client.get("/api/v1/namespaces").status == 200)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let sim = try await SimFixture.start(KubeSimConfiguration(rateLimit: 5))
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        // Forty requests at once: more than five per second however slow the machine is.
        let replies = try await withThrowingTaskGroup(of: SimClient.Reply.self) { group in
            for _ in 0..<40 { group.addTask { try await client.get("/api/v1/namespaces") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let reply = try #require(replies.first { $0.status == 429 })
        #expect(reply.headers.first(name: "Retry-After") == "1")
        #expect(reply.json["reason"] == "TooManyRequests")
        #expect(reply.json.value(at: ["details", "retryAfterSeconds"]) == .int(1))
    }

    @Test func faultInjectionIsDeterministic() async throws {
        func sequence() async throws -> [Int] {
            let sim = try await SimFixture.start(KubeSimConfiguration(failRate: 0.5, failSeed: 42))
            defer { Task { await sim.stop() } }
            let client = SimClient(baseURL: sim.server.url)
            var codes: [Int] = []
            for _ in 0..<20 { codes.append(try await client.get("/api/v1/namespaces").status) }
            // Discovery is never faulted, so kubectl can still map resources.
            #expect(try await client.get("/api/v1").status == 200)
            return codes
        }
        let first = try await sequence()
        let second = try await sequence()
        #expect(first == second)
        #expect(first.contains(200))
        #expect(first.contains { $0 == 500 || $0 == 503 })
        #expect(first.allSatisfy { [200, 500, 503].contains($0) })
    }

    @Test func badInputAnswersStatus() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let malformed = try await client.post("/api/v1/namespaces/default/configmaps", "{not json")
        #expect(malformed.status == 400)
        #expect(malformed.json["kind"] == "Status")
        let yaml = try await client.send(.POST, "/api/v1/namespaces/default/configmaps", body: "a: [b", contentType: "application/yaml")
        #expect(yaml.status == 400)
        let viaYAML = try await client.send(.POST, "/api/v1/namespaces/default/configmaps",
                                            body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  n: \"1\"\n",
                                            contentType: "application/yaml")
        #expect(viaYAML.status == 201)
        #expect(try await client.get("/api/v1/namespaces/default/widgets").status == 404)
        #expect(try await client.get("/apis/nope.example.com/v1/things").status == 404)
        let method = try await client.send(.PUT, "/api/v1/namespaces/default/configmaps", body: "{}")
        #expect(method.status == 405)
        #expect(method.json["reason"] == "MethodNotAllowed")
        let big = String(repeating: "x", count: 3 * 1024 * 1024 + 10)
        let tooLarge = try await client.post("/api/v1/namespaces/default/configmaps", #"{"data":{"k":"\#(big)"}}"#)
        #expect(tooLarge.status == 413)
        let protobuf = try await client.send(.POST, "/api/v1/namespaces/default/configmaps", body: "k8s\0", contentType: "application/vnd.kubernetes.protobuf")
        #expect(protobuf.status == 415)
    }

    @Test func namespacesLifecycle() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let missing = try await client.post("/api/v1/namespaces/ghost/configmaps", Self.configMap("x", namespace: "ghost"))
        #expect(missing.status == 404)
        #expect(missing.json["message"] == "namespaces \"ghost\" not found")
        let ns = try await client.post("/api/v1/namespaces", #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#)
        #expect(ns.status == 201)
        #expect(ns.json.value(at: ["status", "phase"]) == "Active")
        #expect(ns.json.value(at: ["metadata", "labels", "kubernetes.io/metadata.name"]) == "team")
        #expect(try await client.get("/api/v1/namespaces/team/serviceaccounts/default").status == 200)
        #expect(try await client.get("/api/v1/namespaces/team/configmaps/kube-root-ca.crt").status == 200)
        // An object with a finalizer keeps the namespace Terminating.
        let held = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}"#
        #expect(try await client.post("/api/v1/namespaces/team/configmaps", held).status == 201)
        let deleting = try await client.delete("/api/v1/namespaces/team")
        #expect(deleting.status == 200)
        #expect(deleting.json.value(at: ["status", "phase"]) == "Terminating")
        let refused = try await client.post("/api/v1/namespaces/team/configmaps", Self.configMap("late", namespace: "team"))
        #expect(refused.status == 403)
        #expect(refused.json.value(at: ["details", "causes"])?.arrayValue?.first?["reason"] == "NamespaceTerminating")
        #expect(try await client.get("/api/v1/namespaces/team/configmaps/kube-root-ca.crt").status == 404)
        let release = try await client.patch("/api/v1/namespaces/team/configmaps/held", #"{"metadata":{"finalizers":null}}"#,
                                             type: "application/merge-patch+json")
        #expect(release.status == 200)
        #expect(try await client.get("/api/v1/namespaces/team").status == 404)
        let protected = try await client.delete("/api/v1/namespaces/default")
        #expect(protected.status == 403)
        #expect(protected.json["message"] == "namespaces \"default\" is forbidden: this namespace may not be deleted")
    }

    @Test func servicesGetClusterIPsAndNodePortConflicts() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        func service(_ name: String, _ spec: String) -> String {
            #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"\#(name)"},"spec":\#(spec)}"#
        }
        let a = try await client.post("/api/v1/namespaces/default/services", service("a", #"{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}"#))
        #expect(a.status == 201)
        let ip = try #require(a.json.value(at: ["spec", "clusterIP"])?.stringValue)
        #expect(ip.hasPrefix("10.96."))
        #expect(a.json.value(at: ["spec", "ports"])?.arrayValue?.first?["protocol"] == "TCP")
        let clash = try await client.post("/api/v1/namespaces/default/services", service("b", #"{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}"#))
        #expect(clash.status == 422)
        #expect(clash.json["message"] == "Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated")
        let sameIP = try await client.post("/api/v1/namespaces/default/services", service("c", #"{"clusterIP":"\#(ip)","ports":[{"port":80}]}"#))
        #expect(sameIP.status == 422)
    }

    @Test func patchesAndStrategicMerge() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1","env":[{"name":"A","value":"1"}]},{"name":"side","image":"busybox"}]}}}}"#
        let created = try await client.post("/apis/apps/v1/namespaces/default/deployments", deployment)
        #expect(created.status == 201)
        #expect(created.json.value(at: ["metadata", "generation"]) == .int(1))
        let smp = try await client.patch("/apis/apps/v1/namespaces/default/deployments/web",
                                         #"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2","env":[{"name":"B","value":"2"}]}]}}}}"#,
                                         type: "application/strategic-merge-patch+json")
        #expect(smp.status == 200)
        let containers = smp.json.value(at: ["spec", "template", "spec", "containers"])?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers.first?["image"] == "nginx:2")
        #expect(containers.first?["env"]?.arrayValue?.count == 2)
        #expect(smp.json.value(at: ["metadata", "generation"]) == .int(2))
        let delete = try await client.patch("/apis/apps/v1/namespaces/default/deployments/web",
                                            #"{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}"#,
                                            type: "application/strategic-merge-patch+json")
        #expect(delete.json.value(at: ["spec", "template", "spec", "containers"])?.arrayValue?.count == 1)
        let json = try await client.patch("/apis/apps/v1/namespaces/default/deployments/web",
                                          #"[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]"#,
                                          type: "application/json-patch+json")
        #expect(json.status == 200)
        #expect(json.json.value(at: ["spec", "replicas"]) == .int(3))
        let merge = try await client.patch("/apis/apps/v1/namespaces/default/deployments/web",
                                           #"{"metadata":{"labels":{"x":null,"z":"1"}}}"#, type: "application/merge-patch+json")
        #expect(merge.json.value(at: ["metadata", "labels"]) == .object(["z": "1"]))
        let unchanged = try await client.patch("/apis/apps/v1/namespaces/default/deployments/web", "{}", type: "application/merge-patch+json")
        #expect(unchanged.json.value(at: ["metadata", "resourceVersion"]) == merge.json.value(at: ["metadata", "resourceVersion"]))
    }

    @Test func customResourcesAndCRDLifecycle() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let crd = #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},"versions":[{"name":"v1beta1","served":true,"storage":false},{"name":"v1","served":true,"storage":true,"subresources":{"status":{}}}]}}"#
        let created = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        #expect(created.status == 201)
        let conditions = created.json.value(at: ["status", "conditions"])?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["status"] == "True" })
        #expect(created.json.value(at: ["status", "storedVersions"]) == .array(["v1"]))
        let group = try await client.get("/apis/example.com")
        #expect(group.json.value(at: ["preferredVersion", "version"]) == "v1")
        let discovery = try await client.get("/apis/example.com/v1beta1")
        #expect(discovery.status == 200)
        let widget = #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3},"status":{"ok":true}}"#
        let cr = try await client.post("/apis/example.com/v1/namespaces/default/widgets", widget)
        #expect(cr.status == 201)
        #expect(cr.json["status"] == nil)
        let old = try await client.get("/apis/example.com/v1beta1/namespaces/default/widgets/w1")
        #expect(old.json["apiVersion"] == "example.com/v1beta1")
        let list = try await client.get("/apis/example.com/v1/widgets")
        #expect(list.json["items"]?.arrayValue?.first?["kind"] == "Widget")
        let smp = try await client.patch("/apis/example.com/v1/namespaces/default/widgets/w1", #"{"spec":{"size":4}}"#,
                                         type: "application/strategic-merge-patch+json")
        #expect(smp.status == 415)
        var unconditional = cr.json
        unconditional.setValue(nil, at: ["metadata", "resourceVersion"])
        #expect(try await client.put("/apis/example.com/v1/namespaces/default/widgets/w1", JSONWriter.encodeString(unconditional)).status == 422)
        #expect(try await client.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").status == 200)
        #expect(try await client.get("/apis/example.com/v1/namespaces/default/widgets/w1").status == 404)
        #expect(try await client.get("/apis/example.com/v1").status == 404)
    }

    @Test func watchStreamsEvents() async throws {
        let sim = try await SimFixture.start()
        defer { Task { await sim.stop() } }
        let client = SimClient(baseURL: sim.server.url)
        let start = try await client.get("/api/v1/namespaces/default/configmaps")
        let rv = try #require(start.json.value(at: ["metadata", "resourceVersion"])?.stringValue)
        _ = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("w"))
        _ = try await client.patch("/api/v1/namespaces/default/configmaps/w", #"{"data":{"k":"2"}}"#, type: "application/merge-patch+json")
        _ = try await client.delete("/api/v1/namespaces/default/configmaps/w")
        let watch = try await client.get("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(rv)&timeoutSeconds=1")
        let lines = String(decoding: watch.body, as: UTF8.self).split(separator: "\n")
        let types = lines.compactMap { (try? JSONParser.parse(Array($0.utf8)))?["type"]?.stringValue }
        #expect(types == ["ADDED", "MODIFIED", "DELETED"])
        sim.server.expireContinueTokens()
        let gone = try await client.get("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)&timeoutSeconds=1")
        #expect(String(decoding: gone.body, as: UTF8.self).contains("\"Expired\""))
    }

    @Test func dataDirectoryPersistsState() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-data-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try await KubeSimServer.start(KubeSimConfiguration(dataDirectory: dir))
        let client = SimClient(baseURL: first.url)
        _ = try await client.post("/api/v1/namespaces/default/configmaps", Self.configMap("kept"))
        let rv = first.resourceVersion
        await first.stop()
        let second = try await KubeSimServer.start(KubeSimConfiguration(dataDirectory: dir))
        let reply = try await SimClient(baseURL: second.url).get("/api/v1/namespaces/default/configmaps/kept")
        #expect(reply.status == 200)
        #expect(second.resourceVersion >= rv)
        await second.stop()
    }

    @Test func seedDirectoryIsApplied() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: seeded, namespace: shop}
            data: {replicas: "3"}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            """.utf8).write(to: dir.appendingPathComponent("app.yaml"))
        let sim = try await KubeSimServer.start(KubeSimConfiguration(seedDirectory: dir.path))
        let reply = try await SimClient(baseURL: sim.url).get("/api/v1/namespaces/shop/configmaps/seeded")
        #expect(reply.status == 200)
        #expect(reply.json.value(at: ["data", "replicas"]) == "3")
        await sim.stop()
    }
}
