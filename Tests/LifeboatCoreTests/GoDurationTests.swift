import Foundation
import LifeboatCore
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("720h", "720h0m0s"), ("1h30m", "1h30m0s"), ("72h0m0s", "72h0m0s"), ("90s", "1m30s"), ("1.5s", "1.5s"),
        ("300ms", "300ms"), ("1500ms", "1.5s"), ("0", "0s"), ("0s", "0s"), ("1us", "1µs"), ("1µs", "1µs"), ("10ns", "10ns"),
        ("-1m", "-1m0s"), ("1h1s", "1h0m1s"), ("2.5h", "2h30m0s"), ("1m0.001s", "1m0.001s"), ("+5m", "5m0s"),
    ])
    func parsesAndFormatsLikeGo(input: String, formatted: String) throws {
        #expect(try GoDuration(parsing: input).description == formatted)
    }

    @Test(arguments: ["", "h", "1", "1d", "1.2.3s", "abc", "1h 30m", "-", "3000000h"])
    func rejectsWhatGoRejects(_ input: String) {
        #expect(throws: LifeboatError.self) { try GoDuration(parsing: input, field: "spec.ttl") }
    }

    @Test func valuesAndCoding() throws {
        let duration = try GoDuration(parsing: "1h30m")
        #expect(duration.nanoseconds == 5_400_000_000_000)
        #expect(duration.timeInterval == 5400)
        #expect(duration.duration == .seconds(5400))
        let json = try JSONEncoder().encode(["ttl": duration])
        #expect(String(decoding: json, as: UTF8.self) == #"{"ttl":"1h30m0s"}"#)
        #expect(try JSONDecoder().decode([String: GoDuration].self, from: json)["ttl"] == duration)
    }
}
