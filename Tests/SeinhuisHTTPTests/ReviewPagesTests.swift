import Foundation
import SeinhuisApp
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing

/// The dossier overview and the review list as the roles see them, through a real server and real sessions.
@Suite("console review pages: status, report links per role, recording a review", .serialized)
struct ReviewPagesTests {
    @Test func theOverviewShowsReviewStatusAndReportLinksOnlyToReviewReaders() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "kees", .coordinator)
        try addUser(db, "cel", .cell)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        // D-T-1 (Radex, from 2020, never reviewed) is overdue; D-T-2 is not Radex: out of the review scope.
        func daysOver() throws -> Int? {
            let due = try ReviewDesk.due(try Store(path: db), on: .instant(WallClock.now()), scope: .radex)
            #expect(due.map(\.dossier) == ["D-T-1"])
            return due.first.map { -$0.daysLeft }
        }
        let over = try #require(try daysOver())
        #expect(over > 30)

        let coordinator = try await client.send("GET", "/console/dossiers", as: "kees")
        // The page counts on the day it is rendered: the same as `over`, or one more if Brussels midnight passed.
        let overAfter = try #require(try daysOver())
        #expect(coordinator.status == 200)
        let page = coordinator.text
        #expect(page.contains(#"<span class="review review-overdue">overdue</span>"#))
        #expect(page.contains("2020-07-01 · \(over) days over") || page.contains("2020-07-01 · \(overAfter) days over"))
        #expect(page.contains("not in review"))
        #expect(!page.contains("review-report") && !page.contains("/console/reviews"))
        // Radex first.
        let r1 = try #require(page.range(of: #"data-dossier="D-T-1""#))
        let r2 = try #require(page.range(of: #"data-dossier="D-T-2""#))
        #expect(r1.lowerBound < r2.lowerBound)
        // The coordinator is refused the report, also with the browser's cookie.
        let kees = try await client.token("kees")
        #expect(try await client.send("GET", "/api/v1/dossiers/D-T-1/review-report", cookie: kees).status == 403)

        let cell = try await client.send("GET", "/console/dossiers", as: "cel")
        #expect(cell.text.contains(#"href="/api/v1/dossiers/D-T-1/review-report""#))
        #expect(cell.text.contains(#"href="/console/reviews""#))
        // The link works with the session cookie alone, as in the browser.
        let report = try await client.send(
            "GET", "/api/v1/dossiers/D-T-1/review-report", cookie: try await client.token("cel"))
        #expect(report.status == 200)
        #expect((report.headers["Content-Type"] as? String)?.hasPrefix("text/html") == true)
        #expect(report.text.contains("D-T-1"))
        // Radex only leaves D-T-2 out.
        let radex = try await client.send("GET", "/console/dossiers?radex=1", as: "cel")
        #expect(radex.text.contains(#"data-dossier="D-T-1""#) && !radex.text.contains(#"data-dossier="D-T-2""#))
        try await server.stop()
    }

    @Test func theReviewListShowsWhatIsOverdueAndRecordsAReview() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "cel", .cell)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let before = try await client.send("GET", "/console/reviews", as: "cel")
        #expect(before.status == 200)
        let dueTable = try #require(before.text.range(of: #"id="due""#))
        let row = try #require(before.text.range(of: #"data-dossier="D-T-1""#))
        let upToDate = try #require(before.text.range(of: #"id="up-to-date""#))
        #expect(dueTable.lowerBound < row.lowerBound && row.lowerBound < upToDate.lowerBound)
        #expect(before.text.contains("1 overdue") && before.text.contains("none yet"))
        #expect(before.text.contains(#"<option value="D-T-1" selected>"#))  // the most urgent to begin with
        #expect(before.text.contains(#"id="review-form""#) && before.text.contains(#"data-record="D-T-1""#))
        // D-T-2 is out of the radex scope: not on the review list.
        #expect(!before.text.contains(#"data-dossier="D-T-2""#))

        // The form's date defaults to today (as the form posts it, this must be accepted).
        let marker = #"id="rv-date" type="date" value=""#
        let at = try #require(before.text.range(of: marker))
        let today = String(before.text[at.upperBound...].prefix(10))
        #expect(LocalDate(today) != nil)
        // The form posts this; a refusal carries the server's validation message for the page to show.
        let refused = try await client.send(
            "POST", "/api/v1/dossiers/D-T-1/reviews", #"{"reviewer":"cel","decision":"continue"}"#, as: "cel")
        #expect(refused.status == 400)
        #expect(refused.error.contains("the findings are required"))
        let saved = try await client.send(
            "POST", "/api/v1/dossiers/D-T-1/reviews",
            #"{"reviewer":"cel","date":"\#(today)","decision":"continue","findings":"Stable <b>contacts</b>."}"#,
            as: "cel")
        #expect(saved.status == 201, "\(saved.text)")

        let after = try await client.send("GET", "/console/reviews", as: "cel")
        #expect(after.text.contains("No review is due.") && after.text.contains("0 overdue"))
        let upTo = try #require(after.text.range(of: #"id="up-to-date""#))
        let moved = try #require(after.text.range(of: #"data-dossier="D-T-1""#))
        #expect(upTo.lowerBound < moved.lowerBound)
        #expect(after.text.contains("cel · <span class=\"decision\">continue</span>"))
        #expect(after.text.contains("Stable &lt;b&gt;contacts&lt;/b&gt;.") && !after.text.contains("<b>contacts"))
        // The report's period now starts at the review: one day, in the singular (two, in the plural, had Brussels
        // midnight passed since the form was rendered).
        let report = try await client.send("GET", "/api/v1/dossiers/D-T-1/review-report", as: "cel")
        let days = LocalDate(
            daysSinceEpoch: LocalClock(identifier: Dossier.defaultTimeZone)!.localDay(at: WallClock.now().milliseconds))
        let period = days.description == today ? "(1 day);" : "(2 days);"
        #expect(report.text.contains(period), "\(report.text.prefix(600))")
        try await server.stop()
    }

    @Test func aReviewPositionReadsAsStatusDeadlineAndDays() throws {
        let start = try #require(LocalDate("2025-01-31"))
        func cell(_ today: String) throws -> String {
            ReviewCell.status(
                ReviewPosition(
                    dossier: "D", radex: true, timezone: "Europe/Brussels", basis: start,
                    today: try #require(LocalDate(today))), .en)
        }
        // Deadline: 31 July 2025 (six calendar months on).
        #expect(try cell("2025-03-01").contains(#"review-ok">ok<"#) && cell("2025-03-01").contains("152 days left"))
        #expect(try cell("2025-07-30").contains(#"review-due">due<"#) && cell("2025-07-30").contains("1 day left"))
        #expect(try cell("2025-07-31").contains("2025-07-31 · deadline today"))
        #expect(
            try cell("2025-08-02").contains(#"review-overdue">overdue<"#) && cell("2025-08-02").contains("2 days over"))
        #expect(ReviewCell.status(nil, .en).contains("not in review"))
        // The same cell in Dutch (the default) and French.
        let due = ReviewPosition(
            dossier: "D", radex: true, timezone: "Europe/Brussels", basis: start,
            today: try #require(LocalDate("2025-07-30")))
        #expect(ReviewCell.status(due, .nl).contains(#"review-due">nodig<"#) && ReviewCell.status(due, .nl).contains("nog 1 dag"))
        #expect(ReviewCell.status(due, .fr).contains(#"review-due">à faire<"#) && ReviewCell.status(due, .fr).contains("encore 1 jour"))
        #expect(ReviewCell.reportPath("D 1/é") == "/api/v1/dossiers/D%201%2F%C3%A9/review-report")
    }
}
