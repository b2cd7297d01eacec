import LifeboatEngine
import Testing

@Suite struct ExecutionMonitorTests {
    @Test func silentMonitorNeverCancels() async throws {
        let monitor = SilentMonitor()
        await monitor.progress(completed: 1, total: 2, message: nil)
        #expect(throws: Never.self) { try monitor.checkCancellation() }
    }
}
