import Foundation
import LifeboatCore
import Testing

@Suite struct CronScheduleTests {
    /// Parses `2026-01-15 10:20:30` as UTC.
    func utc(_ text: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = text.split(whereSeparator: { " -:".contains($0) }).map { Int($0)! }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                                                  second: parts.count > 5 ? parts[5] : 0))!
    }

    @Test(arguments: [
        ("0 2 * * *", "2026-01-15 10:20:30", "2026-01-16 02:00"),
        ("*/15 * * * *", "2026-01-15 10:20:30", "2026-01-15 10:30"),
        ("0 0 1 * *", "2026-01-15 10:20", "2026-02-01 00:00"),
        ("30 4 * * MON-FRI", "2026-01-16 05:00", "2026-01-19 04:30"),  // Friday after 4:30 → Monday
        ("0 12 * JAN,jul sun", "2026-01-15 00:00", "2026-01-18 12:00"),
        ("5-10/5 1 * * *", "2026-01-15 01:05", "2026-01-15 01:10"),
        ("0 0 13 * 5", "2026-01-01 00:00", "2026-01-02 00:00"),  // day-of-month OR day-of-week (Fri 2 Jan)
        ("0 0 29 2 *", "2026-01-01 00:00", "2028-02-29 00:00"),
        ("@daily", "2026-01-15 10:20", "2026-01-16 00:00"),
        ("@hourly", "2026-01-15 10:20", "2026-01-15 11:00"),
        ("@weekly", "2026-01-15 10:20", "2026-01-18 00:00"),
        ("@monthly", "2026-01-15 10:20", "2026-02-01 00:00"),
        ("@yearly", "2026-01-15 10:20", "2027-01-01 00:00"),
        ("@every 1h30m", "2026-01-15 10:20:30", "2026-01-15 11:50:30"),
        ("0 2 * * *", "2026-01-16 02:00", "2026-01-17 02:00"),  // strictly after
        ("5/20 * * * *", "2026-01-15 10:46", "2026-01-15 11:05"),  // N/step means N-max/step
    ])
    func nextRun(expression: String, after: String, expected: String) throws {
        #expect(try CronSchedule(expression).nextRun(after: utc(after)) == utc(expected))
    }

    @Test func timeZonePrefix() throws {
        // 02:00 in Berlin in January is 01:00 UTC.
        let schedule = try CronSchedule("CRON_TZ=Europe/Berlin 0 2 * * *")
        #expect(schedule.nextRun(after: utc("2026-01-15 10:00")) == utc("2026-01-16 01:00"))
        #expect(try CronSchedule("TZ=America/New_York 0 0 * * *").nextRun(after: utc("2026-07-01 00:00")) == utc("2026-07-01 04:00"))
    }

    @Test func impossibleDateHasNoRun() throws {
        #expect(try CronSchedule("0 0 30 2 *").nextRun(after: utc("2026-01-01 00:00")) == nil)
    }

    @Test(arguments: ["", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 7",
                      "*/0 * * * *", "5-1 * * * *", "@fortnightly", "@every 500ms", "@every x", "CRON_TZ=Mars/Base 0 0 * * *",
                      "CRON_TZ=UTC", "a * * * *"])
    func rejectsInvalidExpressions(_ expression: String) {
        #expect(throws: LifeboatError.self) { try CronSchedule(expression, field: "spec.schedule") }
    }
}
