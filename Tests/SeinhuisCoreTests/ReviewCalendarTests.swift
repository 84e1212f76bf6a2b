import SeinhuisCore
import Testing

@Suite("review calendar (PROTOCOL 5)")
struct ReviewCalendarTests {
    func date(_ s: String) -> LocalDate { LocalDate(s)! }
    func deadline(_ s: String) -> String { ReviewCalendar.deadline(from: date(s)).description }

    @Test func sixCalendarMonthsClampedToTheMonthEnd() {
        #expect(deadline("2026-05-01") == "2026-11-01")
        #expect(deadline("2026-08-31") == "2027-02-28")  // 31 Aug + 6 months: no 31 Feb
        #expect(deadline("2027-08-31") == "2028-02-29")  // leap year
        #expect(deadline("2099-08-30") == "2100-02-28")  // 2100 is not a leap year
        #expect(deadline("2399-08-29") == "2400-02-29")  // 2400 is
        #expect(deadline("2026-12-31") == "2027-06-30")  // 30-day month
        #expect(deadline("2026-03-31") == "2026-09-30")
        #expect(deadline("2026-01-31") == "2026-07-31")  // 31-day month keeps the day
        #expect(deadline("2026-07-15") == "2027-01-15")  // across the year
        #expect(deadline("2028-02-29") == "2028-08-29")
    }

    @Test func statusAroundDueAndDeadline() {
        let dl = date("2026-11-01")
        #expect(ReviewCalendar.status(deadline: dl, on: date("2026-10-01")) == .ok)  // 31 days before
        #expect(ReviewCalendar.status(deadline: dl, on: date("2026-10-02")) == .due)  // 30 days before
        #expect(ReviewCalendar.status(deadline: dl, on: dl) == .due)  // the deadline day itself
        #expect(ReviewCalendar.status(deadline: dl, on: date("2026-11-02")) == .overdue)
    }

    func subject(
        radex: Bool = true, start: String = "2026-01-10", end: String? = nil, tz: String = "Europe/Brussels",
        lastReview: String? = nil, reviews: [(String, Bool)] = []
    ) -> ReviewSubject {
        ReviewSubject(
            dossier: "D-1", radex: radex, start: date(start), end: end.map(date), timezone: tz,
            lastReview: lastReview.map(date), reviews: reviews.map { (date($0.0), $0.1) })
    }

    @Test func basisIsTheLatestReviewOrTheStart() throws {
        let s = subject(lastReview: "2026-03-01", reviews: [("2026-05-20", false), ("2026-09-30", false)])
        #expect(try #require(s.position(on: date("2026-04-01"), scope: .radex)).deadline == date("2026-09-01"))
        let p = try #require(s.position(on: date("2026-06-01"), scope: .radex))
        #expect(p.basis == date("2026-05-20"))
        #expect(p.deadline == date("2026-11-20"))
        #expect(p.daysLeft == 172)
        // Reviews dated later than the day asked about are not seen.
        #expect(try #require(s.position(on: date("2026-09-29"), scope: .radex)).deadline == date("2026-11-20"))
        #expect(try #require(s.position(on: date("2026-09-30"), scope: .radex)).deadline == date("2027-03-30"))
        #expect(try #require(subject().position(on: date("2026-07-11"), scope: .radex)).daysLeft == -1)
    }

    @Test func scope() {
        #expect(subject(radex: false).position(on: date("2026-06-01"), scope: .radex) == nil)
        #expect(subject(radex: false).position(on: date("2026-06-01"), scope: .all) != nil)
        #expect(subject().position(on: date("2026-01-09"), scope: .radex) == nil)  // not started
        #expect(subject(end: "2026-05-31").position(on: date("2026-05-31"), scope: .radex) != nil)
        #expect(subject(end: "2026-05-31").position(on: date("2026-06-01"), scope: .radex) == nil)  // ended
        let ended = subject(reviews: [("2026-04-01", true)])
        #expect(ended.position(on: date("2026-03-31"), scope: .radex) != nil)
        #expect(ended.position(on: date("2026-04-01"), scope: .radex) == nil)  // decision `end`
        let resumed = subject(reviews: [("2026-04-01", true), ("2026-06-01", false)])
        #expect(resumed.position(on: date("2026-05-01"), scope: .radex) == nil)
        #expect(resumed.position(on: date("2026-06-01"), scope: .radex)?.deadline == date("2026-12-01"))
    }

    @Test func localDateFollowsTheDossiersTimeZone() {
        // 2026-07-31T22:30Z is 1 August 00:30 in Brussels (UTC+2), still 31 July in New York and London 23:30.
        let t = Timestamp(rfc3339: "2026-07-31T22:30:00Z")!
        #expect(subject(tz: "Europe/Brussels").localDate(at: t) == date("2026-08-01"))
        #expect(subject(tz: "Europe/London").localDate(at: t) == date("2026-07-31"))
        #expect(subject(tz: "America/New_York").localDate(at: t) == date("2026-07-31"))
        #expect(subject(tz: "Asia/Tokyo").localDate(at: t) == date("2026-08-01"))
        // Winter: Brussels is UTC+1, so 23:00Z is already the next day there.
        let w = Timestamp(rfc3339: "2026-01-14T23:00:00Z")!
        #expect(subject(tz: "Europe/Brussels").localDate(at: w) == date("2026-01-15"))
        #expect(subject(tz: "Europe/Brussels").localDate(at: w - 1) == date("2026-01-14"))
    }
}

@Suite("review notices (PROTOCOL 4.3, 5)")
struct ReviewNoticeTests {
    func date(_ s: String) -> LocalDate { LocalDate(s)! }
    func t(_ s: String) -> Timestamp { Timestamp(rfc3339: s)! }
    // Start 2026-01-10 in Brussels: deadline 2026-07-10, due from 2026-06-10, overdue from 2026-07-11.
    let subject = ReviewSubject(
        dossier: "D-1", radex: true, start: LocalDate("2026-01-10")!, end: nil, timezone: "Europe/Brussels",
        lastReview: nil, reviews: [])

    func run(
        _ now: String, _ marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks] = [:], subjects: [ReviewSubject]? = nil
    ) -> [ReviewNotice] {
        ReviewNotices.evaluate(subjects ?? [subject], marks: marks, now: t(now), scope: .radex).notices
    }

    func marked(_ notices: [ReviewNotice], into marks: inout [ReviewNoticeMarks.Key: ReviewNoticeMarks]) {
        for n in notices {
            let k = ReviewNoticeMarks.Key(dossier: n.dossier, deadline: n.deadline)
            if n.kind == .due {
                marks[k, default: .init()].dueRaised = true
            } else {
                marks[k, default: .init()].lastOverdue = n.at
            }
        }
    }

    @Test func dueAtLocalMidnightThirtyDaysBefore() throws {
        #expect(run("2026-06-09T21:59:59.999Z").isEmpty)  // 23:59:59 in Brussels
        let n = run("2026-06-09T22:00:00Z")  // 00:00 on 10 June in Brussels
        #expect(n.count == 1)
        let due = try #require(n.first)
        #expect(due.kind == .due)
        #expect(due.deadline == date("2026-07-10"))
        #expect(due.at == t("2026-06-09T22:00:00Z"))
        let alert = due.alert(id: "A-000000001", detectedAt: t("2026-06-09T22:00:01Z"), policy: "v1")
        #expect(alert.device == nil)
        #expect(alert.severity == .low)
        #expect(alert.queues == [.cell])
        #expect(alert.json.contains(#""deadline":"2026-07-10""#))
        #expect(alert.json.contains(#""device":null"#))
    }

    @Test func dueOnceOverdueWeeklyAndStopOnRecord() throws {
        var marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks] = [:]
        marked(run("2026-06-10T08:00:00Z"), into: &marks)
        #expect(run("2026-06-20T08:00:00Z", marks).isEmpty)  // due raised once per cycle
        #expect(run("2026-07-10T21:59:00Z", marks).isEmpty)  // still the deadline day in Brussels
        let first = run("2026-07-10T22:00:00Z", marks)
        #expect(first.map(\.kind) == [.overdue])
        #expect(first.first?.kind.queues == [.coordinator, .cell])
        #expect(first.first?.kind.severity == .medium)
        marked(first, into: &marks)
        #expect(run("2026-07-17T21:59:00Z", marks).isEmpty)
        let second = run("2026-07-17T22:00:00Z", marks)  // seven days later
        #expect(second.map(\.at) == [t("2026-07-17T22:00:00Z")])
        marked(second, into: &marks)
        // A long pause raises only the latest notice owed, not the missed weeks.
        let late = run("2026-08-20T10:00:00Z", marks)
        #expect(late.map(\.at) == [t("2026-08-14T22:00:00Z")])  // 11 Jul + 5 weeks
        // Recording a review (dated 2026-08-20) starts a new cycle: nothing until it is due again.
        var reviewed = subject
        reviewed.reviews = [(date("2026-08-20"), false)]
        #expect(run("2026-08-21T10:00:00Z", marks, subjects: [reviewed]).isEmpty)
        #expect(run("2027-01-19T10:00:00Z", marks, subjects: [reviewed]).isEmpty)
        let next = run("2027-01-21T10:00:00Z", marks, subjects: [reviewed])
        #expect(next.map(\.kind) == [.due])
        #expect(next.first?.deadline == date("2027-02-20"))
    }

    @Test func alreadyOverdueRaisesNoDueAndNextCheckIsLocalMidnight() {
        let r = ReviewNotices.evaluate([subject], marks: [:], now: t("2026-09-01T12:00:00Z"), scope: .radex)
        #expect(r.notices.map(\.kind) == [.overdue])
        #expect(r.notices.first?.at == t("2026-08-28T22:00:00Z"))  // 11 Jul + 7 weeks
        #expect(r.next == t("2026-09-01T22:00:00Z"))
        var ended = subject
        ended.reviews = [(date("2026-08-01"), true)]
        #expect(run("2026-09-01T12:00:00Z", subjects: [ended]).isEmpty)
    }
}

@Suite("recording a review: validation")
struct ReviewValidationTests {
    func validate(
        reviewer: String? = "cell member", date: String? = "2026-06-01", findings: String? = "stable",
        decision: String? = "continue", latest: String? = nil
    ) throws(ReviewError) -> Review {
        try Review.validated(
            dossier: "D-1", reviewer: reviewer, date: date, findings: findings, decision: decision,
            today: LocalDate("2026-06-10")!, start: LocalDate("2026-01-10")!, latest: latest.flatMap(LocalDate.init))
    }

    func problems(_ body: () throws(ReviewError) -> Review) -> [String] {
        do {
            _ = try body()
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aCompleteReviewPasses() throws {
        let r = try validate(reviewer: "  K. Peeters ", findings: " no incidents \n", decision: "adjust-conditions")
        #expect(r.reviewer == "K. Peeters")
        #expect(r.findings == "no incidents")
        #expect(r.decision == .adjustConditions)
        #expect(try validate(date: "2026-06-10").date == LocalDate("2026-06-10"))  // today is allowed
    }

    @Test func missingFieldsAreAllNamed() {
        let p = problems { () throws(ReviewError) in
            try validate(reviewer: " ", date: nil, findings: "", decision: nil)
        }
        #expect(p.count == 4)
        #expect(p.contains("the reviewer is required"))
        #expect(p.contains("the findings are required"))
        #expect(p.contains("the date is required (YYYY-MM-DD)"))
        #expect(p.contains { $0.hasPrefix("the decision is required: one of continue, adjust-conditions") })
    }

    @Test func badValuesAreRefused() {
        #expect(
            problems { () throws(ReviewError) in try validate(date: "2026-06-11") } == [
                "the review date 2026-06-11 is in the future (today is 2026-06-10 in the dossier's time zone)"
            ])
        #expect(
            problems { () throws(ReviewError) in try validate(date: "2026-02-30") }.first?.contains("YYYY-MM-DD")
                == true)
        #expect(
            problems { () throws(ReviewError) in try validate(date: "2025-12-01") }.first?.contains("start") == true)
        #expect(
            problems { () throws(ReviewError) in try validate(latest: "2026-06-05") }.first?.contains("latest") == true)
        #expect(
            problems { () throws(ReviewError) in try validate(decision: "stop") } == [
                "unknown decision \"stop\"; one of continue, adjust-conditions, escalate, end"
            ])
    }
}
