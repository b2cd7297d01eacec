import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The timestamp of a log line: RFC 3339 in UTC with milliseconds, `2026-12-04T21:15:45.123Z`.
///
/// The same in text and JSON lines, so an operator can grep one time across both. Built from `gmtime_r` and digits
/// by hand: `strftime` re-reads the time zone (a `stat` of `/etc/localtime` per line) and Foundation's ISO 8601
/// formatter allocates, both on the path of every request's log line.
package enum LogTimestamp {
    package static func now() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = now.rounded(.down)
        return render(seconds: time_t(seconds), milliseconds: min(999, Int((now - seconds) * 1000)))
    }

    package static func render(seconds: time_t, milliseconds: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = [UInt8]()
        text.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        text.append(UInt8(ascii: "."))
        digits(milliseconds, 3)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }
}
