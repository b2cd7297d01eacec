/// A duration in Go's `time.Duration` syntax, as Velero's `ttl`, timeouts and `@every` use it.
///
/// Parses `720h`, `1h30m`, `1.5s`, `300ms`, `72h0m0s` (units `ns us µs ms s m h`, optional sign, decimal
/// fractions) and prints what Go's `Duration.String()` prints, so `720h` round-trips as `720h0m0s`.
public struct GoDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The length in nanoseconds, Go's representation (so ±292 years at most).
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// A whole number of seconds.
    public static func seconds(_ seconds: Int64) -> GoDuration { GoDuration(nanoseconds: seconds * 1_000_000_000) }

    /// The duration as a Swift `Duration`, for sleeping and arithmetic.
    public var duration: Duration { .nanoseconds(nanoseconds) }

    /// The duration in seconds, for `Date` arithmetic.
    public var timeInterval: Double { Double(nanoseconds) / 1e9 }

    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses Go duration syntax; the error names `field`.
    public init(parsing text: String, field: String = "duration") throws(LifeboatError) {
        func fail() -> LifeboatError {
            .invalidArgument(field: field, reason: "'\(text.prefix(80))' is not a duration such as 720h, 1h30m or 90s")
        }
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" {
            self.nanoseconds = 0
            return
        }
        guard !rest.isEmpty else { throw fail() }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else {
                throw fail()
            }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = Self.units.first(where: { $0.suffix == unitText }) else { throw fail() }
            rest = rest.dropFirst(unitText.count)
            total += value * Double(unit.nanoseconds)
        }
        guard total < 9.2e18 else {
            throw LifeboatError.invalidArgument(field: field, reason: "'\(text.prefix(80))' is longer than 2562047h")
        }
        let rounded = Int64(total.rounded())
        self.nanoseconds = negative ? -rounded : rounded
    }

    /// Go's `Duration.String()`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        if magnitude < 1_000_000_000 {
            let (unit, scale): (String, UInt64) =
                magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            return sign + Self.decimal(magnitude, scale: scale) + unit
        }
        let hours = magnitude / 3_600_000_000_000
        let minutes = magnitude / 60_000_000_000 % 60
        let secondsPart = magnitude % 60_000_000_000
        var result = sign
        if hours > 0 { result += "\(hours)h" }
        if hours > 0 || minutes > 0 { result += "\(minutes)m" }
        result += Self.decimal(secondsPart, scale: 1_000_000_000) + "s"
        return result
    }

    /// `value / scale` with the fraction's trailing zeros trimmed, as Go's `fmtFrac` does.
    private static func decimal(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(scale).count - 1
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let padded = String(repeating: "0", count: digits - String(fraction).count) + String(fraction)
        return "\(whole).\(padded)"
    }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try GoDuration(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a Go duration")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
