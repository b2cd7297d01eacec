import Testing

@testable import LifeboatKube

@Suite struct RetryPolicyTests {
    @Test func onlySafeFailuresAreRetried() {
        #expect(RetryPolicy.isRetryable(status: 429, idempotent: false))
        #expect(RetryPolicy.isRetryable(status: 503, idempotent: true))
        #expect(!RetryPolicy.isRetryable(status: 503, idempotent: false))
        #expect(!RetryPolicy.isRetryable(status: 409, idempotent: true))
        #expect(!RetryPolicy.isRetryable(status: 404, idempotent: true))
    }

    @Test func backoffGrowsAndStaysUnderTheCap() {
        let limits = ClientLimits(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))
        for attempt in 0..<40 {
            let wait = RetryPolicy.backoff(attempt: attempt, limits: limits)
            #expect(wait >= .zero)
            #expect(wait <= min(.seconds(1), .milliseconds(100) * (1 << min(attempt, 20))))
        }
    }

    @Test func retryAfterIsHonoured() throws {
        let limits = ClientLimits()
        let wait = try #require(RetryPolicy.retryAfter(header: " 2 ", limits: limits))
        #expect(wait >= .seconds(2) && wait <= .milliseconds(2100))
        #expect(RetryPolicy.retryAfter(header: "Wed, 21 Oct 2015 07:28:00 GMT", limits: limits) == nil)
        #expect(RetryPolicy.retryAfter(header: nil, limits: limits) == nil)
    }

    @Test func execStatusGivesTheExitCode() throws {
        #expect(try HTTPKubernetesClient.exitCode(fromStatus: Array(#"{"metadata":{},"status":"Success"}"#.utf8)) == 0)
        let failure = #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
        #expect(try HTTPKubernetesClient.exitCode(fromStatus: Array(failure.utf8)) == 3)
        #expect(throws: KubernetesError.self) {
            try HTTPKubernetesClient.exitCode(fromStatus: Array(#"{"status":"Failure","message":"error executing command"}"#.utf8))
        }
    }
}
