import Foundation
import KubeSim
import Testing

@testable import LifeboatKube

/// Throttling, injected faults and latency: every call must still end right, and nothing twice.
@Suite struct KubeSimResilienceTests {
    @Test(.timeLimit(.minutes(3)))
    func callsCompleteCorrectlyUnderLatencyRateLimitAndFaults() async throws {
        let configuration = KubeSimConfiguration(tokens: ["test-token"], latency: .milliseconds(5), rateLimit: 100, failRate: 0.2, failSeed: 7)
        let limits = ClientLimits(queriesPerSecond: 400, burst: 50, maxConcurrentRequests: 16, maxRetries: 12,
                                  initialBackoff: .milliseconds(20), maxBackoff: .seconds(1))
        try await KubeSimHarness.run(configuration, limits: limits) { _, client in
            let configMaps = KubeSimHarness.configMaps
            let count = 150
            try await KubeSimHarness.createConfigMaps(count, namespace: "faults", client: client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let name = String(format: "cm-%05d", index)
                        _ = try await client.patch(configMaps, name: name, namespace: "faults", type: .merge, patch: ["data": ["index": .string("\(index)")]])
                    }
                }
                try await group.waitForAll()
            }
            var seen: [String: String] = [:]
            var duplicates = 0
            for try await item in client.list(configMaps, namespace: "faults", options: ListOptions(labelSelector: KubeSimHarness.fixtureSelector, limit: 20)) {
                let name = item.name ?? ""
                if seen[name] != nil { duplicates += 1 }
                seen[name] = try item.value()["data"]?["index"]?.stringValue
            }
            #expect(duplicates == 0)
            #expect(seen.count == count)
            for index in 0..<count {
                #expect(seen[String(format: "cm-%05d", index)] == "\(index)")
            }
        }
    }
}
