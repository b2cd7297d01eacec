import Foundation

/// A schedule in the syntax Velero accepts (`cron.ParseStandard` from robfig/cron v3): five fields
/// (minute hour day-of-month month day-of-week) with `*`, `?`, ranges, steps, lists and month/day names;
/// the descriptors `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` and
/// `@every <duration>`; and an optional `CRON_TZ=<zone>` or `TZ=<zone>` prefix (default UTC).
///
/// ```swift
/// let nightly = try CronSchedule("CRON_TZ=Europe/Berlin 0 2 * * *")
/// let next = nightly.nextRun(after: .now)
/// ```
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let rawValue: String
    /// The zone the fields are evaluated in.
    public let timeZone: TimeZone
    let kind: Kind

    enum Kind: Sendable, Hashable {
        case fields(Fields)
        case every(GoDuration)
    }

    struct Fields: Sendable, Hashable {
        var minutes: UInt64
        var hours: UInt64
        var daysOfMonth: UInt64
        var months: UInt64
        var daysOfWeek: UInt64
        /// robfig's star bit: a `*`/`?` day field makes the day test an AND instead of an OR.
        var daysOfMonthIsStar: Bool
        var daysOfWeekIsStar: Bool
    }

    private struct FieldRange {
        let minimum: Int
        let maximum: Int
        let names: [String: Int]
    }

    private static let minuteRange = FieldRange(minimum: 0, maximum: 59, names: [:])
    private static let hourRange = FieldRange(minimum: 0, maximum: 23, names: [:])
    private static let dayOfMonthRange = FieldRange(minimum: 1, maximum: 31, names: [:])
    private static let monthRange = FieldRange(
        minimum: 1, maximum: 12,
        names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12])
    private static let dayOfWeekRange = FieldRange(
        minimum: 0, maximum: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6])

    /// Parses `expression`; the error names `field`.
    public init(_ expression: String, field: String = "schedule") throws(LifeboatError) {
        func fail(_ reason: String) -> LifeboatError { .invalidArgument(field: field, reason: reason) }
        var text = expression.trimmingCharacters(in: .whitespaces)
        var zone = TimeZone(identifier: "UTC")!
        if text.hasPrefix("CRON_TZ=") || text.hasPrefix("TZ=") {
            guard let space = text.firstIndex(of: " ") else { throw fail("a time zone prefix must be followed by a schedule") }
            let name = String(text[text.index(after: text.firstIndex(of: "=")!)..<space])
            guard let parsed = TimeZone(identifier: name) else { throw fail("unknown time zone '\(name.prefix(64))'") }
            zone = parsed
            text = text[space...].trimmingCharacters(in: .whitespaces)
        }
        guard !text.isEmpty else { throw fail("must not be empty") }
        let kind: Kind
        if text.hasPrefix("@") {
            let descriptor = text.lowercased()
            switch descriptor {
            case "@yearly", "@annually": kind = try Self.fieldsKind("0 0 1 1 *", fail: fail)
            case "@monthly": kind = try Self.fieldsKind("0 0 1 * *", fail: fail)
            case "@weekly": kind = try Self.fieldsKind("0 0 * * 0", fail: fail)
            case "@daily", "@midnight": kind = try Self.fieldsKind("0 0 * * *", fail: fail)
            case "@hourly": kind = try Self.fieldsKind("0 * * * *", fail: fail)
            default:
                guard descriptor.hasPrefix("@every ") else { throw fail("unrecognized descriptor '\(text.prefix(40))'") }
                let interval = try GoDuration(parsing: String(text.dropFirst("@every ".count)).trimmingCharacters(in: .whitespaces),
                                              field: field)
                guard interval.nanoseconds >= 1_000_000_000 else { throw fail("@every needs an interval of at least 1s") }
                kind = .every(interval)
            }
        } else {
            kind = try Self.fieldsKind(text, fail: fail)
        }
        self.rawValue = expression
        self.timeZone = zone
        self.kind = kind
    }

    private static func fieldsKind(_ text: String, fail: (String) -> LifeboatError) throws(LifeboatError) -> Kind {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else { throw fail("expected exactly 5 fields (minute hour day-of-month month day-of-week), found \(parts.count)") }
        let (minutes, _) = try parseField(parts[0], minuteRange, name: "minute", fail: fail)
        let (hours, _) = try parseField(parts[1], hourRange, name: "hour", fail: fail)
        let (days, daysStar) = try parseField(parts[2], dayOfMonthRange, name: "day-of-month", fail: fail)
        let (months, _) = try parseField(parts[3], monthRange, name: "month", fail: fail)
        let (weekdays, weekdaysStar) = try parseField(parts[4], dayOfWeekRange, name: "day-of-week", fail: fail)
        return .fields(Fields(minutes: minutes, hours: hours, daysOfMonth: days, months: months, daysOfWeek: weekdays,
                              daysOfMonthIsStar: daysStar, daysOfWeekIsStar: weekdaysStar))
    }

    /// One field: a comma list of `*`, `?`, `N`, `N-M`, each optionally `/step`.
    private static func parseField(
        _ text: String, _ range: FieldRange, name: String, fail: (String) -> LifeboatError
    ) throws(LifeboatError) -> (bits: UInt64, isStar: Bool) {
        var bits: UInt64 = 0
        var isStar = false
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let rangeAndStep = item.split(separator: "/", omittingEmptySubsequences: false)
            guard rangeAndStep.count <= 2 else { throw fail("\(name) field '\(text)' has too many '/'") }
            let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
            guard lowAndHigh.count <= 2 else { throw fail("\(name) field '\(text)' has too many '-'") }
            var start: Int
            var end: Int
            var star = false
            if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
                guard lowAndHigh.count == 1 else { throw fail("\(name) field '\(text)' cannot combine '*' with a range") }
                start = range.minimum
                end = range.maximum
                star = true
            } else {
                start = try value(lowAndHigh[0], range, name: name, fail: fail)
                end = lowAndHigh.count == 2 ? try value(lowAndHigh[1], range, name: name, fail: fail) : start
            }
            var step = 1
            if rangeAndStep.count == 2 {
                guard let parsed = Int(rangeAndStep[1]), parsed > 0 else { throw fail("\(name) field '\(text)' has an invalid step") }
                step = parsed
                if lowAndHigh.count == 1 && !star { end = range.maximum }  // "N/step" means "N-max/step"
                if step > 1 { star = false }
            }
            guard start <= end else { throw fail("\(name) field '\(text)': beginning of range is after the end") }
            for valueInRange in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(valueInRange) }
            isStar = isStar || star
        }
        return (bits, isStar)
    }

    private static func value(
        _ text: Substring, _ range: FieldRange, name: String, fail: (String) -> LifeboatError
    ) throws(LifeboatError) -> Int {
        if let named = range.names[text.lowercased()] { return named }
        guard let number = Int(text) else { throw fail("\(name) field has an invalid value '\(text.prefix(20))'") }
        guard number >= range.minimum, number <= range.maximum else {
            throw fail("\(name) value \(number) is outside \(range.minimum)-\(range.maximum)")
        }
        return number
    }

    // MARK: - Next run

    /// The first activation strictly after `date`, or `nil` if none exists within five years (e.g. `0 0 30 2 *`).
    public func nextRun(after date: Date) -> Date? {
        switch kind {
        case .every(let interval):
            // robfig's ConstantDelaySchedule: add the interval and drop sub-second precision.
            let next = date.addingTimeInterval(interval.timeInterval)
            return Date(timeIntervalSince1970: next.timeIntervalSince1970.rounded(.down))
        case .fields(let fields):
            return nextRun(after: date, fields: fields)
        }
    }

    private func nextRun(after date: Date, fields: Fields) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day)) else { return nil }
        for dayOffset in 0..<(366 * 5 + 2) {
            let components = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let month = components.month!, dayOfMonth = components.day!, weekday = components.weekday! - 1
            if fields.months & (1 << UInt64(month)) != 0 && dayMatches(fields, dayOfMonth: dayOfMonth, weekday: weekday) {
                let isFirstDay = dayOffset == 0
                for hour in 0..<24 where fields.hours & (1 << UInt64(hour)) != 0 {
                    if isFirstDay && hour < start.hour! { continue }
                    for minute in 0..<60 where fields.minutes & (1 << UInt64(minute)) != 0 {
                        if isFirstDay && hour == start.hour! && minute <= start.minute! { continue }
                        var wanted = DateComponents(year: components.year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        wanted.timeZone = timeZone
                        // A local time skipped by a DST jump does not exist; Calendar moves it forward, which we accept.
                        if let candidate = calendar.date(from: wanted), candidate > date { return candidate }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    private func dayMatches(_ fields: Fields, dayOfMonth: Int, weekday: Int) -> Bool {
        let domMatch = fields.daysOfMonth & (1 << UInt64(dayOfMonth)) != 0
        let dowMatch = fields.daysOfWeek & (1 << UInt64(weekday)) != 0
        if fields.daysOfMonthIsStar || fields.daysOfWeekIsStar { return domMatch && dowMatch }
        return domMatch || dowMatch
    }

    public var description: String { rawValue }
}
