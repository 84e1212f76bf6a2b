import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// How a review position reads on a page: the status as a coloured badge, the deadline, and the days left or over.
enum ReviewCell {
    static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    static func status(_ p: ReviewPosition?) -> String {
        guard let p else {
            return #"<span class="review review-none" title="Not in the review calendar: not Radex (scope radex), "#
                + #"outside its period, or ended by a review">not in review</span>"#
        }
        let when =
            p.daysLeft > 0
            ? "\(days(p.daysLeft)) left" : p.daysLeft == 0 ? "deadline today" : "\(days(-p.daysLeft)) over"
        return #"<span class="review review-\#(p.status.rawValue)">\#(p.status.rawValue)</span> "#
            + #"<span class="review-when">\#(HTML.escape(p.deadline.description)) · \#(when)</span>"#
    }

    /// The review report of a dossier (HTML, served by the review API with the same session).
    static func reportPath(_ dossier: String) -> String {
        let id = dossier.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))
        return "/api/v1/dossiers/\(id ?? "")/review-report"
    }

    static func reportLink(_ dossier: String) -> String {
        #"<a class="report" href="\#(HTML.escape(reportPath(dossier)))">Report</a>"#
    }

    /// Urgency first: overdue (most days over), due, ok (nearest deadline), then dossiers out of review.
    static func urgency(_ p: ReviewPosition?) -> Int { p?.daysLeft ?? Int.max }
}

/// The dossier overview: every dossier, Radex first and the most urgent review first within, with its review position
/// (`ReviewDesk.overview`, the same rows as `GET /api/v1/dossiers`), open alerts and last contact; links to the
/// review reports for the roles that may read reviews.
enum DossierPage {
    static func render(_ rows: [ReviewDesk.OverviewRow], user: SessionUser, radexOnly: Bool) -> String {
        let reports = AccessPolicy.allows(user.role, .readReviews)
        let shown = rows.sorted {
            ($0.dossier.radex ? 0 : 1, ReviewCell.urgency($0.position), -$0.openAlerts, $0.dossier.id)
                < ($1.dossier.radex ? 0 : 1, ReviewCell.urgency($1.position), -$1.openAlerts, $1.dossier.id)
        }
        let lines = shown.map { row -> String in
            let d = row.dossier
            let contact = row.lastContact.values.max()
            return """
                <tr class="\(d.radex ? "radex-row" : "")" data-dossier="\(HTML.escape(d.id))"><td>\(HTML.escape(d.id))</td>
                <td>\(HTML.escape(d.subject))</td><td>\(d.radex ? HTML.radexBadge : "")</td><td>\(HTML.escape(d.mandate.rawValue))</td>
                <td>\(HTML.escape(d.start.description))\(d.end.map { " – " + HTML.escape($0.description) } ?? "")</td>
                <td data-field="review">\(ReviewCell.status(row.position))</td>
                <td>\(row.lastReview.map { HTML.escape($0.description) } ?? #"<span class="muted">none</span>"#)</td>
                <td class="num">\(row.openAlerts > 0 ? "<strong>\(row.openAlerts)</strong>" : "0")</td>
                <td>\(contact.map { #"<span class="age" data-since="\#($0.rfc3339)" title="\#($0.rfc3339)"></span> ago"# }
                    ?? #"<span class="muted">none in \#(ReviewDesk.lastContactDays) days</span>"#)</td>
                \(reports ? "<td>\(ReviewCell.reportLink(d.id))</td>" : "")</tr>
                """
        }.joined()
        let columns = reports ? 10 : 9
        let overdue = rows.filter { $0.position?.status == .overdue }.count
        let due = rows.filter { $0.position?.status == .due }.count
        let body = """
            <header class="queue-head"><h1>Dossiers</h1><span class="counts">\(rows.count) dossiers\(radexOnly ? " (Radex only)" : ""),
            reviews: \(overdue) overdue, \(due) due</span>
            <a class="toggle" href="/console/dossiers\(radexOnly ? "" : "?radex=1")">\(radexOnly ? "show all" : "Radex only")</a>
            \(reports ? #"<a class="toggle" href="/console/reviews">review list</a>"# : "")</header>
            <table class="alerts" id="dossiers"><thead><tr><th>Dossier</th><th>Pseudonym</th><th></th><th>Mandate</th><th>Period</th>
            <th>Review (deadline)</th><th>Last review</th><th class="num">Open alerts</th><th>Last contact</th>\(reports ? "<th></th>" : "")</tr></thead>
            <tbody>\(lines.isEmpty ? #"<tr class="empty"><td colspan="\#(columns)">No dossiers.</td></tr>"# : lines)</tbody></table>
            <p class="hint">A review is due 30 days before its deadline (six calendar months after the latest review, or the
            dossier's start) and overdue after it; days count in the dossier's own time zone.</p>
            """
        return HTML.page(title: "Dossiers", user: user, active: "dossiers", body: body, script: "Console.ages();")
    }
}

/// The cell's review list: the dossiers due or overdue (overdue first), the rest of the calendar, each dossier's
/// latest review, a link to its report, and a form that records a review through `POST /api/v1/dossiers/{id}/reviews`.
/// Only for roles with `Permission.readReviews` (the route is mounted so), so findings are shown.
enum ReviewListPage {
    static func render(
        _ rows: [ReviewDesk.OverviewRow], latest: [String: RecordedReview], user: SessionUser, today: String
    ) -> String {
        let inCalendar = rows.filter { $0.position != nil }.sorted {
            ReviewPosition.dueOrder($0.position!, $1.position!)
        }
        let pending = inCalendar.filter { $0.position!.status != .ok }
        let upToDate = inCalendar.filter { $0.position!.status == .ok }
        let canRecord = AccessPolicy.allows(user.role, .recordReviews)
        func table(_ id: String, _ rows: [ReviewDesk.OverviewRow], empty: String) -> String {
            let lines = rows.map { row -> String in
                let d = row.dossier
                let r = latest[d.id]
                let review =
                    r.map {
                        "\(HTML.escape($0.review.date.description)) · \(HTML.escape($0.review.reviewer)) · "
                            + #"<span class="decision">\#(HTML.escape($0.review.decision.rawValue))</span>"#
                    } ?? row.lastReview.map { "\(HTML.escape($0.description)) (before Seinhuis)" }
                    ?? #"<span class="muted">none yet</span>"#
                let findings =
                    r.map {
                        #"<details><summary>findings</summary><p class="findings">\#(HTML.escape($0.review.findings))</p></details>"#
                    } ?? ""
                let record =
                    canRecord
                    ? #"<button type="button" data-record="\#(HTML.escape(d.id))">Record…</button>"# : ""
                return """
                    <tr class="\(d.radex ? "radex-row" : "")" data-dossier="\(HTML.escape(d.id))"><td>\(HTML.escape(d.id))</td>
                    <td>\(HTML.escape(d.subject))</td><td>\(d.radex ? HTML.radexBadge : "")</td>
                    <td data-field="review">\(ReviewCell.status(row.position))</td><td>\(review)\(findings)</td>
                    <td>\(ReviewCell.reportLink(d.id))</td><td>\(record)</td></tr>
                    """
            }.joined()
            return """
                <table class="alerts reviews" id="\(id)"><colgroup><col class="c-id"><col class="c-subject"><col class="c-radex">
                <col class="c-review"><col><col class="c-link"><col class="c-link"></colgroup>
                <thead><tr><th>Dossier</th><th>Pseudonym</th><th></th><th>Review (deadline)</th>
                <th>Latest review</th><th></th><th></th></tr></thead>
                <tbody>\(lines.isEmpty ? #"<tr class="empty"><td colspan="7">\#(empty)</td></tr>"# : lines)</tbody></table>
                """
        }
        // The most urgent dossier is chosen to begin with; the Record… buttons choose another.
        let first = pending.first?.dossier.id
        let options = rows.sorted { $0.dossier.id < $1.dossier.id }.map {
            let id = HTML.escape($0.dossier.id)
            return
                #"<option value="\#(id)"\#($0.dossier.id == first ? " selected" : "")>\#(id) (\#(HTML.escape($0.dossier.subject)))</option>"#
        }.joined()
        let decisions = ReviewDecision.allCases.map {
            #"<option value="\#($0.rawValue)">\#($0.rawValue.replacingOccurrences(of: "-", with: " "))</option>"#
        }.joined()
        let form =
            canRecord
            ? """
            <section class="record-review"><h2>Record a review</h2>
            <form id="review-form"><label>Dossier <select name="dossier" id="rv-dossier" required>\(options)</select></label>
            <label>Reviewer <input name="reviewer" id="rv-reviewer" maxlength="\(Review.maxReviewerLength)" placeholder="user name of the cell member who reviewed"></label>
            <label>Date <input name="date" id="rv-date" type="date" value="\(HTML.escape(today))"></label>
            <label>Decision <select name="decision" id="rv-decision"><option value="">— choose —</option>\(decisions)</select></label>
            <label class="wide">Findings <textarea name="findings" id="rv-findings" rows="4" maxlength="\(Review.maxFindingsLength)"></textarea></label>
            <p class="error" id="rv-error" role="alert" hidden></p>
            <div class="buttons"><button type="submit" class="primary" id="rv-save">Record review</button></div></form></section>
            """ : ""
        let body = """
            <header class="queue-head"><h1>Reviews</h1><span class="counts">\(pending.filter { $0.position!.status == .overdue }.count) overdue,
            \(pending.filter { $0.position!.status == .due }.count) due, \(upToDate.count) up to date</span>
            <a class="toggle" href="/console/dossiers">dossier overview</a></header>
            <h2>Due and overdue</h2>\(table("due", pending, empty: "No review is due."))
            \(form)
            <h2>Up to date</h2>\(table("up-to-date", upToDate, empty: "No other dossier in the review calendar."))
            <p class="hint">Six-monthly review of PROTOCOL 5: due 30 days before the deadline, overdue after it. Dossiers
            outside the review scope are on the dossier overview.</p>
            """
        return HTML.page(title: "Reviews", user: user, active: "reviews", body: body, script: "Console.reviews();")
    }
}
