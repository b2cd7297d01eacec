import Foundation
import Testing

@testable import LifeboatKube

@Suite struct RequestThrottleTests {
    actor Counters {
        var current = 0
        var peak = 0

        func enter() {
            current += 1
            peak = max(peak, current)
        }

        func leave() { current -= 1 }
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrencyNeverExceedsTheCap() async throws {
        let throttle = RequestThrottle(limits: ClientLimits(queriesPerSecond: 0, maxConcurrentRequests: 3))
        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    try await throttle.acquire()
                    await counters.enter()
                    try await Task.sleep(for: .milliseconds(5))
                    await counters.leave()
                    await throttle.release()
                }
            }
            try await group.waitForAll()
        }
        #expect(await counters.peak == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func rateLimitSpacesRequestsAfterTheBurst() async throws {
        let throttle = RequestThrottle(limits: ClientLimits(queriesPerSecond: 100, burst: 5))
        let start = ContinuousClock.now
        for _ in 0..<25 {
            try await throttle.acquire()
            await throttle.release()
        }
        // 5 go at once, the other 20 at 100 per second: at least ~200 ms.
        #expect(ContinuousClock.now - start >= .milliseconds(180))
    }
}
