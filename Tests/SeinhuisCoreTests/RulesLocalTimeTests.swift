import Testing

@testable import SeinhuisCore

@Suite("Rules: local time, windows and periods")
struct RulesLocalTimeTests {
    static let brussels = LocalClock(identifier: "Europe/Brussels")!
    static func t(_ s: String) -> Int64 { RulesFixture.t(s).milliseconds }
    static func day(_ s: String) -> Int64 { LocalDate(s)!.daysSinceEpoch }
    static func text(_ ms: Int64) -> String { Timestamp(milliseconds: ms).rfc3339 }

    @Test func ordinaryLocalTimes() {
        #expect(Self.brussels.instant(day: Self.day("2026-07-06"), minutes: 22 * 60) == Self.t("2026-07-06T20:00:00Z"))
        #expect(Self.brussels.instant(day: Self.day("2026-01-06"), minutes: 22 * 60) == Self.t("2026-01-06T21:00:00Z"))
        #expect(Self.brussels.instant(day: Self.day("2026-01-06"), minutes: 1440) == Self.t("2026-01-06T23:00:00Z"))
    }

    @Test func springForwardGapMovesForwardByTheGap() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST. 02:30 does not exist: it becomes 03:30 CEST = 01:30Z.
        let d = Self.day("2026-03-29")
        #expect(Self.brussels.instant(day: d, minutes: 150) == Self.t("2026-03-29T01:30:00Z"))
        #expect(Self.brussels.instant(day: d, minutes: 120) == Self.t("2026-03-29T01:00:00Z"))
        #expect(Self.brussels.instant(day: d, minutes: 180) == Self.t("2026-03-29T01:00:00Z"))
        #expect(Self.brussels.instant(day: d, minutes: 119) == Self.t("2026-03-29T00:59:00Z"))
    }

    @Test func fallBackAmbiguousTimeIsTheFirstOccurrence() {
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET. 02:30 happens twice; the first is 00:30Z.
        let d = Self.day("2026-10-25")
        #expect(Self.brussels.instant(day: d, minutes: 150) == Self.t("2026-10-25T00:30:00Z"))
        #expect(Self.brussels.instant(day: d, minutes: 120) == Self.t("2026-10-25T00:00:00Z"))
        #expect(Self.brussels.instant(day: d, minutes: 180) == Self.t("2026-10-25T02:00:00Z"))
    }

    @Test func localDayOfAnInstant() {
        #expect(Self.brussels.localDay(at: Self.t("2026-07-06T21:59:59Z")) == Self.day("2026-07-06"))
        #expect(Self.brussels.localDay(at: Self.t("2026-07-06T22:00:00Z")) == Self.day("2026-07-07"))
        #expect(Weekday(daysSinceEpoch: 0) == .thu)
        #expect(Weekday(daysSinceEpoch: -1) == .wed)
        #expect(LocalDate("2026-07-06")!.weekday == .mon)
    }

    static func periods(_ windows: [TimeWindow], _ from: String, _ to: String, zone: String = "Europe/Brussels")
        -> [String]
    {
        var table = PeriodTable(windows: windows, clock: LocalClock(identifier: zone)!)
        return table.periods(from: t(from), to: t(to)).map { p in
            (p.start == PeriodTable.always ? "always" : text(p.start)) + " - "
                + (p.end == PeriodTable.never ? "never" : text(p.end))
        }
    }

    @Test func windowCrossingMidnightIsNamedByItsStartDay() {
        let w = RulesFixture.window([.mon], "21:00", "07:00")
        // Monday 6 July 2026 21:00 CEST to Tuesday 07:00 CEST.
        #expect(
            Self.periods([w], "2026-07-01T00:00:00Z", "2026-07-15T00:00:00Z") == [
                "2026-07-06T19:00:00.000Z - 2026-07-07T05:00:00.000Z",
                "2026-07-13T19:00:00.000Z - 2026-07-14T05:00:00.000Z",
            ])
    }

    @Test func curfewOnDSTNightsIsTenLocalHoursAndNineOrElevenRealOnes() {
        let w = RulesFixture.window(RulesFixture.everyDay, "21:00", "07:00")
        let spring = Self.periods([w], "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z")
        #expect(spring == ["2026-03-28T20:00:00.000Z - 2026-03-29T05:00:00.000Z"])  // 9 h
        let autumn = Self.periods([w], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z")
        #expect(autumn == ["2026-10-24T19:00:00.000Z - 2026-10-25T06:00:00.000Z"])  // 11 h
    }

    @Test func windowsStartingInTheGapOrTheFoldHour() {
        let w = RulesFixture.window(RulesFixture.everyDay, "02:30", "07:00")
        // Spring: 02:30 becomes 03:30 CEST (01:30Z) to 07:00 CEST (05:00Z).
        #expect(
            Self.periods([w], "2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z") == [
                "2026-03-29T01:30:00.000Z - 2026-03-29T05:00:00.000Z"
            ])
        // Autumn: the first 02:30 (CEST, 00:30Z) to 07:00 CET (06:00Z): 5.5 real hours.
        #expect(
            Self.periods([w], "2026-10-25T00:00:00Z", "2026-10-25T12:00:00Z") == [
                "2026-10-25T00:30:00.000Z - 2026-10-25T06:00:00.000Z"
            ])
    }

    @Test func touchingAndOverlappingWindowsFormOnePeriod() {
        // Saturday 00:00-24:00 and Sunday 00:00-24:00: one 48-hour period.
        let weekend = [RulesFixture.window([.sat], "00:00", "24:00"), RulesFixture.window([.sun], "00:00", "24:00")]
        #expect(
            Self.periods(weekend, "2026-07-01T00:00:00Z", "2026-07-08T00:00:00Z") == [
                "2026-07-03T22:00:00.000Z - 2026-07-05T22:00:00.000Z"
            ])
        // 20:00-24:00 and 00:00-06:00 every day: 20:00 to 06:00.
        let split = [
            RulesFixture.window(RulesFixture.everyDay, "20:00", "24:00"),
            RulesFixture.window(RulesFixture.everyDay, "00:00", "06:00"),
        ]
        #expect(
            Self.periods(split, "2026-07-06T10:00:00Z", "2026-07-07T10:00:00Z") == [
                "2026-07-06T18:00:00.000Z - 2026-07-07T04:00:00.000Z"
            ])
        // Overlapping 13:00-15:30 and 15:00-17:00.
        let overlap = [
            RulesFixture.window([.mon], "13:00", "15:30"), RulesFixture.window([.mon], "15:00", "17:00"),
        ]
        #expect(
            Self.periods(overlap, "2026-07-06T00:00:00Z", "2026-07-07T00:00:00Z") == [
                "2026-07-06T11:00:00.000Z - 2026-07-06T15:00:00.000Z"
            ])
        // Friday 20:00-24:00 + Saturday 00:00-09:00 are one period; Saturday 20:00 starts another.
        let fri = [
            RulesFixture.window([.fri, .sat], "20:00", "24:00"), RulesFixture.window([.sat, .sun], "00:00", "09:00"),
        ]
        #expect(
            Self.periods(fri, "2026-07-03T00:00:00Z", "2026-07-06T00:00:00Z") == [
                "2026-07-03T18:00:00.000Z - 2026-07-04T07:00:00.000Z",
                "2026-07-04T18:00:00.000Z - 2026-07-05T07:00:00.000Z",
            ])
    }

    @Test func fromEqualToIsTwentyFourHours() {
        let w = RulesFixture.window([.wed], "07:00", "07:00")
        #expect(
            Self.periods([w], "2026-07-06T00:00:00Z", "2026-07-12T00:00:00Z") == [
                "2026-07-08T05:00:00.000Z - 2026-07-09T05:00:00.000Z"
            ])
        #expect(TimeWindow(days: [.wed], from: 420, to: 420).span == (420, 1860))
    }

    @Test func aWholeWeekIsOneEndlessPeriod() {
        let always = [RulesFixture.window(RulesFixture.everyDay, "00:00", "24:00")]
        #expect(Self.periods(always, "2026-07-06T00:00:00Z", "2026-08-06T00:00:00Z") == ["always - never"])
        var table = PeriodTable(windows: always, clock: Self.brussels)
        let (active, next) = table.lookup(Self.t("2026-07-06T00:00:00Z"))
        #expect(active)
        #expect(next == PeriodTable.never)
    }

    @Test func periodsAreHalfOpenAndLookupGivesTheNextBoundary() {
        var table = PeriodTable(windows: [RulesFixture.window([.mon], "21:00", "07:00")], clock: Self.brussels)
        let start = Self.t("2026-07-06T19:00:00Z")
        let end = Self.t("2026-07-07T05:00:00Z")
        #expect(table.lookup(start - 1) == (false, start))
        #expect(table.lookup(start) == (true, end))
        #expect(table.lookup(end - 1) == (true, end))
        #expect(table.lookup(end).active == false)
        // Far in the future and back in the past: the table recomputes.
        #expect(table.lookup(Self.t("2030-01-07T20:30:00Z")).active)  // Monday 21:30 CET
        #expect(table.lookup(Self.t("2020-01-06T20:30:00Z")).active)  // Monday 21:30 CET
        #expect(!table.lookup(Self.t("2020-01-07T20:30:00Z")).active)  // Tuesday
    }

    @Test func otherTimeZones() {
        let w = RulesFixture.window(RulesFixture.everyDay, "23:00", "02:30")
        #expect(
            Self.periods([w], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", zone: "Asia/Kolkata") == [
                "2026-10-24T17:30:00.000Z - 2026-10-24T21:00:00.000Z"
            ])
        // London falls back on 25 October 2026 too: 21:30 BST to 07:00 GMT is 10.5 real hours.
        let l = RulesFixture.window(RulesFixture.everyDay, "21:30", "07:00")
        #expect(
            Self.periods([l], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", zone: "Europe/London") == [
                "2026-10-24T20:30:00.000Z - 2026-10-25T07:00:00.000Z"
            ])
    }

    @Test func clockTextAndParsing() {
        #expect(TimeWindow.minutes("24:00", allowEndOfDay: true) == 1440)
        #expect(TimeWindow.minutes("24:00", allowEndOfDay: false) == nil)
        #expect(TimeWindow.minutes("23:60", allowEndOfDay: true) == nil)
        #expect(TimeWindow.minutes("07:05", allowEndOfDay: false) == 425)
        #expect(TimeWindow.clockText(1440) == "24:00")
        #expect(TimeWindow.clockText(425) == "07:05")
    }
}
