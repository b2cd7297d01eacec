import Foundation
import Synchronization
import Testing

@testable import LifeboatKube

@Suite struct RequestThrottleTests {
    @Test(.timeLimit(.minutes(1)))
    func concurrencyNeverExceedsTheCap() async throws {
        let throttle = RequestThrottle(limits: ClientLimits(queriesPerSecond: 0, maxConcurrentRequests: 3))
        let counters = Mutex((current: 0, peak: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    try await throttle.acquire()
                    counters.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) }
                    try await Task.sleep(for: .milliseconds(5))
                    counters.withLock { $0.current -= 1 }
                    await throttle.release()
                }
            }
            try await group.waitForAll()
        }
        #expect(counters.withLock { $0.peak } == 3)
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
