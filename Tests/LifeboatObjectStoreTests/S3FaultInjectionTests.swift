import Foundation
import LifeboatObjectStore
import NIOCore
import Testing

/// Through a proxy that answers 503 SlowDown, resets connections and cuts downloads short for a fixed
/// share of requests, transfers still complete and verify.
@Suite struct S3FaultInjectionTests {
    /// Starts fault_proxy.py in front of moto; returns its URL and a way to stop it and read its counts.
    static func withFaultProxy<T>(
        slowdownEvery: Int, dropEvery: Int, truncateEvery: Int, _ body: (URL) async throws -> T
    ) async throws -> (T, counts: [String: Int]) {
        let moto = try await MotoServer.shared.endpoint()
        let proxy = try ChildProcess([
            "python3", TestSupport.script("fault_proxy.py"), String(moto.url.port ?? 80), String(slowdownEvery), String(dropEvery),
            String(truncateEvery),
        ])
        do {
            let port = try await proxy.firstLine(timeout: .seconds(60)).trimmingCharacters(in: .whitespaces)
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
            proxy.closeStdin()
            let (_, output, _) = try await proxy.waitForExit(timeout: .seconds(30))
            var counts: [String: Int] = [:]
            for field in output.split(whereSeparator: \.isWhitespace) {
                let pair = field.split(separator: "=")
                if pair.count == 2, let value = Int(pair[1]) { counts[String(pair[0])] = value }
            }
            return (result, counts)
        } catch {
            proxy.terminate()
            throw error
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func transfersCompleteThroughSlowDownsResetsAndCutDownloads() async throws {
        let home = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let (_, counts) = try await Self.withFaultProxy(slowdownEvery: 4, dropEvery: 7, truncateEvery: 3) { proxyURL in
            try await TestSupport.withS3Store(label: "faults", endpoint: proxyURL) { store, moto in
                let big = GeneratedBytes(size: 30 * 1024 * 1024 + 999, seed: 77)
                let result = try await store.put(key: "faults/big.bin", body: big)
                #expect(result.parts == 4)
                for index in 0..<6 {
                    try await store.put(key: "faults/small-\(index).json", bytes: ByteBuffer(string: "{\"index\": \(index)}"))
                }
                for _ in 0..<2 {
                    let read = try await digest(try await store.get(key: "faults/big.bin").body)
                    #expect(read.size == big.size)
                    #expect(read.sha256 == (try await big.sha256()))
                }
                for index in 0..<6 {
                    #expect(String(buffer: try await store.getBytes(key: "faults/small-\(index).json")) == "{\"index\": \(index)}")
                }
                #expect(try await store.listAll(prefix: "faults/", pageSize: 2).objects.count == 7)
                // boto3, straight to moto, agrees with what went through the faults.
                let file = home.appendingPathComponent("big.bin")
                try await TestSupport.boto3(["get", store.configuration.bucket, "faults/big.bin", file.path], moto: moto, home: home)
                #expect(try sha256(ofFile: file) == (try await big.sha256()))
                let uploads = try await TestSupport.boto3(["list-uploads", store.configuration.bucket], moto: moto, home: home)
                #expect(uploads.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            }
        }
        // The faults really happened.
        #expect((counts["slowdown"] ?? 0) > 0)
        #expect((counts["drop"] ?? 0) > 0)
        #expect((counts["truncate"] ?? 0) > 0)
    }

    @Test func persistentFailuresBecomeUnavailableAfterTheRetries() async throws {
        let (_, counts) = try await Self.withFaultProxy(slowdownEvery: 1, dropEvery: 0, truncateEvery: 0) { proxyURL in
            try await TestSupport.withS3Store(label: "down", endpoint: proxyURL) { store, _ in
                let error = await #expect(throws: ObjectStoreError.self) {
                    try await store.put(key: "k", bytes: ByteBuffer(string: "v"))
                }
                guard case .unavailable(_, let reason)? = error else {
                    Issue.record("expected unavailable, got \(String(describing: error))")
                    return
                }
                #expect(reason == "503 SlowDown after 6 attempts")
            }
        }
        #expect(counts["slowdown"] == 6)
    }
}
