import Foundation
import LifeboatArchive
import Testing

/// The spooled resource list writes exactly the document the in-memory one does, across any number of runs.
@Suite struct ResourceListSpoolTests {
    static func entries(_ count: Int) -> [(key: String, namespace: String?, name: String)] {
        var generator = SystemRandomNumberGenerator()
        let keys = ["v1/ConfigMap", "apps/v1/Deployment", "v1/Namespace", "rbac.authorization.k8s.io/v1/ClusterRole", "v1/Pod"]
        return (0..<count).map { index in
            let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
            let clusterScoped = key.hasSuffix("Namespace") || key.hasSuffix("ClusterRole")
            return (key, clusterScoped ? nil : "ns-\(index % 7)", "item-\(Int.random(in: 0..<1_000_000, using: &generator))-\(index)")
        }
    }

    @Test(arguments: [0, 1, 5, 100, 2_500])
    func sameDocumentAsTheInMemoryList(count: Int) throws {
        let items = Self.entries(count)
        var list = ResourceList()
        let spool = ResourceListSpool(runLength: 64)
        for item in items {
            list.add(key: item.key, namespace: item.namespace, name: item.name)
            try spool.add(key: item.key, namespace: item.namespace, name: item.name)
        }
        #expect(spool.count == count)
        let spooled = try GzipDecompressor.decompress(try spool.gzipped())
        #expect(String(decoding: spooled, as: UTF8.self) == String(decoding: list.jsonBytes(), as: UTF8.self))
    }

    @Test func temporaryRunsAreRemoved() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spool-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ResourceListSpool(runLength: 10, directory: directory)
        for index in 0..<95 { try spool.add(key: "v1/Secret", namespace: "a", name: "s\(index)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 1, "one spool directory with its runs")
        _ = try spool.gzipped()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
