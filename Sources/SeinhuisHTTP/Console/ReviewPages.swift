import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// How a review position reads on a page: the status as a coloured badge, the deadline, and the days left or over.
enum ReviewCell {
    static func days(_ n: Int, _ lang: Language) -> String {
        n == 1 ? Catalogue.text("common.day", lang) : Catalogue.format("common.days", lang, String(n))
    }

    static func status(_ p: ReviewPosition?, _ lang: Language) -> String {
        guard let p else {
            return #"<span class="review review-none" title="\#(tr("reviewcell.noneHint", lang))">"#
                + #"\#(tr("reviewcell.none", lang))</span>"#
        }
        let when =
            p.daysLeft > 0
            ? trf("reviewcell.left", lang, days(p.daysLeft, lang))
            : p.daysLeft == 0 ? tr("reviewcell.today", lang) : trf("reviewcell.over", lang, days(-p.daysLeft, lang))
        return #"<span class="review review-\#(p.status.rawValue)">\#(tr("reviewcell." + p.status.rawValue, lang))</span> "#
            + #"<span class="review-when">\#(HTML.escape(p.deadline.description)) · \#(when)</span>"#
    }

    /// The review report of a dossier (HTML, served by the review API with the same session).
    static func reportPath(_ dossier: String) -> String {
        let id = dossier.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))
        return "/api/v1/dossiers/\(id ?? "")/review-report"
    }

    static func reportLink(_ dossier: String, _ lang: Language) -> String {
        #"<a class="report" href="\#(HTML.escape(reportPath(dossier)))">\#(tr("review.report", lang))</a>"#
    }

    /// Urgency first: overdue (most days over), due, ok (nearest deadline), then dossiers out of review.
    static func urgency(_ p: ReviewPosition?) -> Int { p?.daysLeft ?? Int.max }
}

/// The dossier overview: every dossier, Radex first and the most urgent review first within, with its review position
/// (`ReviewDesk.overview`, the same rows as `GET /api/v1/dossiers`), open alerts and last contact; links to the
/// review reports for the roles that may read reviews.
enum DossierPage {
    static func render(_ rows: [ReviewDesk.OverviewRow], user: SessionUser, lang: Language, radexOnly: Bool) -> String {
        let reports = AccessPolicy.allows(user.role, .readReviews)
        let t = { (key: String) in tr("review." + key, lang) }
        let shown = rows.sorted {
            ($0.dossier.radex ? 0 : 1, ReviewCell.urgency($0.position), -$0.openAlerts, $0.dossier.id)
                < ($1.dossier.radex ? 0 : 1, ReviewCell.urgency($1.position), -$1.openAlerts, $1.dossier.id)
        }
        let lines = shown.map { row -> String in
            let d = row.dossier
            let contact = row.lastContact.values.max()
            return """
                <tr class="\(d.radex ? "radex-row" : "")" data-dossier="\(HTML.escape(d.id))"><td>\(HTML.escape(d.id))</td>
                <td>\(HTML.escape(d.subject))</td><td>\(d.radex ? HTML.radexBadge(lang) : "")</td><td>\(HTML.escape(d.mandate.rawValue))</td>
                <td>\(HTML.escape(d.start.description))\(d.end.map { " – " + HTML.escape($0.description) } ?? "")</td>
                <td data-field="review">\(ReviewCell.status(row.position, lang))</td>
                <td>\(row.lastReview.map { HTML.escape($0.description) } ?? #"<span class="muted">\#(t("none"))</span>"#)</td>
                <td class="num">\(row.openAlerts > 0 ? "<strong>\(row.openAlerts)</strong>" : "0")</td>
                <td>\(contact.map { #"<span class="age" data-since="\#($0.rfc3339)" title="\#($0.rfc3339)"></span> \#(tr("alert.ago", lang))"# }
                    ?? #"<span class="muted">\#(trf("review.noContact", lang, String(ReviewDesk.lastContactDays)))</span>"#)</td>
                \(reports ? "<td>\(ReviewCell.reportLink(d.id, lang))</td>" : "")</tr>
                """
        }.joined()
        let columns = reports ? 10 : 9
        let overdue = rows.filter { $0.position?.status == .overdue }.count
        let due = rows.filter { $0.position?.status == .due }.count
        let body = """
            <header class="queue-head"><h1>\(tr("console.dossiers", lang))</h1><span class="counts">\(trf("review.dossiers", lang, String(rows.count)))\(radexOnly ? " (\(tr("latency.radexOnly", lang)))" : ""),
            \(trf("review.reviewsCount", lang, String(overdue), String(due)))</span>
            <a class="toggle" href="/console/dossiers\(radexOnly ? "" : "?radex=1")">\(radexOnly ? t("showAll") : tr("latency.radexOnly", lang))</a>
            \(reports ? #"<a class="toggle" href="/console/reviews">\#(t("list"))</a>"# : "")</header>
            <table class="alerts" id="dossiers"><thead><tr><th>\(tr("alert.dossier", lang))</th><th>\(t("pseudonym"))</th><th></th><th>\(t("mandate"))</th><th>\(t("period"))</th>
            <th>\(t("position"))</th><th>\(t("last"))</th><th class="num">\(t("openAlerts"))</th><th>\(t("lastContact"))</th>\(reports ? "<th></th>" : "")</tr></thead>
            <tbody>\(lines.isEmpty ? #"<tr class="empty"><td colspan="\#(columns)">\#(t("noDossiers"))</td></tr>"# : lines)</tbody></table>
            <p class="hint">\(tr("reviewcell.hint", lang))</p>
            """
        return HTML.page(title: Catalogue.text("console.dossiers", lang), user: user, lang: lang, active: "dossiers", body: body, script: "Console.ages();")
    }
}

/// The cell's review list: the dossiers due or overdue (overdue first), the rest of the calendar, each dossier's
/// latest review, a link to its report, and a form that records a review through `POST /api/v1/dossiers/{id}/reviews`.
/// Only for roles with `Permission.readReviews` (the route is mounted so), so findings are shown.
enum ReviewListPage {
    static func render(
        _ rows: [ReviewDesk.OverviewRow], latest: [String: RecordedReview], user: SessionUser, lang: Language,
        today: String
    ) -> String {
        let inCalendar = rows.filter { $0.position != nil }.sorted {
            ReviewPosition.dueOrder($0.position!, $1.position!)
        }
        let pending = inCalendar.filter { $0.position!.status != .ok }
        let upToDate = inCalendar.filter { $0.position!.status == .ok }
        let canRecord = AccessPolicy.allows(user.role, .recordReviews)
        let t = { (key: String) in tr("review." + key, lang) }
        func table(_ id: String, _ rows: [ReviewDesk.OverviewRow], empty: String) -> String {
            let lines = rows.map { row -> String in
                let d = row.dossier
                let r = latest[d.id]
                let review =
                    r.map {
                        "\(HTML.escape($0.review.date.description)) · \(HTML.escape($0.review.reviewer)) · "
                            + #"<span class="decision">\#(ConsoleText.name("decision", $0.review.decision.rawValue, lang))</span>"#
                    } ?? row.lastReview.map { trf("review.beforeSeinhuis", lang, HTML.escape($0.description)) }
                    ?? #"<span class="muted">\#(t("noneYet"))</span>"#
                let findings =
                    r.map {
                        #"<details><summary>\#(t("findings"))</summary><p class="findings">\#(HTML.escape($0.review.findings))</p></details>"#
                    } ?? ""
                let record =
                    canRecord
                    ? #"<button type="button" data-record="\#(HTML.escape(d.id))">\#(t("recordButton"))</button>"# : ""
                return """
                    <tr class="\(d.radex ? "radex-row" : "")" data-dossier="\(HTML.escape(d.id))"><td>\(HTML.escape(d.id))</td>
                    <td>\(HTML.escape(d.subject))</td><td>\(d.radex ? HTML.radexBadge(lang) : "")</td>
                    <td data-field="review">\(ReviewCell.status(row.position, lang))</td><td>\(review)\(findings)</td>
                    <td>\(ReviewCell.reportLink(d.id, lang))</td><td>\(record)</td></tr>
                    """
            }.joined()
            return """
                <table class="alerts reviews" id="\(id)"><colgroup><col class="c-id"><col class="c-subject"><col class="c-radex">
                <col class="c-review"><col><col class="c-link"><col class="c-link"></colgroup>
                <thead><tr><th>\(tr("alert.dossier", lang))</th><th>\(t("pseudonym"))</th><th></th><th>\(t("position"))</th>
                <th>\(t("latest"))</th><th></th><th></th></tr></thead>
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
            #"<option value="\#($0.rawValue)">\#(ConsoleText.name("decision", $0.rawValue, lang))</option>"#
        }.joined()
        let form =
            canRecord
            ? """
            <section class="record-review"><h2>\(t("record"))</h2>
            <form id="review-form"><label>\(tr("alert.dossier", lang)) <select name="dossier" id="rv-dossier" required>\(options)</select></label>
            <label>\(t("reviewer")) <input name="reviewer" id="rv-reviewer" maxlength="\(Review.maxReviewerLength)" placeholder="user name of the cell member who reviewed"></label>
            <label>\(t("date")) <input name="date" id="rv-date" type="date" value="\(HTML.escape(today))"></label>
            <label>\(t("decision")) <select name="decision" id="rv-decision"><option value="">\(t("choose"))</option>\(decisions)</select></label>
            <label class="wide">\(t("findings")) <textarea name="findings" id="rv-findings" rows="4" maxlength="\(Review.maxFindingsLength)"></textarea></label>
            <p class="error" id="rv-error" role="alert" hidden></p>
            <div class="buttons"><button type="submit" class="primary" id="rv-save">\(t("record"))</button></div></form></section>
            """ : ""
        let body = """
            <header class="queue-head"><h1>\(t("title"))</h1><span class="counts">\(trf("review.counts", lang,
                String(pending.filter { $0.position!.status == .overdue }.count),
                String(pending.filter { $0.position!.status == .due }.count), String(upToDate.count)))</span>
            <a class="toggle" href="/console/dossiers">\(t("overview"))</a></header>
            <h2>\(t("dueTitle"))</h2>\(table("due", pending, empty: t("noneDue")))
            \(form)
            <h2>\(t("upToDate"))</h2>\(table("up-to-date", upToDate, empty: t("noOther")))
            <p class="hint">\(tr("reviewcell.listHint", lang))</p>
            """
        return HTML.page(title: Catalogue.text("review.title", lang), user: user, lang: lang, active: "reviews", body: body, script: "Console.reviews();")
    }
}
