import Foundation
import SeinhuisCore

/// The review report as Markdown (for a wiki or an e-mail) and as CSV (one row per figure, for a spreadsheet).
public enum ReviewReportMarkdown {
    /// The report in `lang` (the same words as the HTML report's).
    public static func render(_ r: ReviewReport, lang: Language) -> String {
        let t = { (key: String) in Catalogue.text(key, lang) }
        var md = MarkdownLines()
        summary(r, lang, &md)
        dossier(r, lang, &md)
        breaches(r, lang, &md)
        responses(r, lang, &md)
        md.heading("## " + t("report.commsLoss"))
        md.paragraph(ReportText.communicationLoss(r, lang))
        md.heading("## " + Catalogue.format("report.open", lang, String(r.openItems.count)))
        md.table(
            [t("report.alert"), t("report.what"), t("report.since"), t("report.state")],
            r.openItems.map {
                [$0.alertID, $0.what, ReportText.moment($0.since, lang), Catalogue.name("state", $0.state, lang)]
            })
        previousReview(r, lang, &md)
        return md.lines.joined(separator: "\n")
    }

    /// The title and the period with the review status.
    static func summary(_ r: ReviewReport, _ lang: Language, _ md: inout MarkdownLines) {
        md.heading("# \(Catalogue.text("report.title", lang)) \(r.dossier.id)")
        let sub = Catalogue.format(
            "report.sub", lang, ReportText.day(r.period.from, lang), ReportText.day(r.period.to.adding(days: -1), lang),
            ReportText.days(r.period.days, lang), ReportText.moment(r.generatedAt, lang))
        md.paragraph(sub + " " + Catalogue.format("report.status", lang, ReportText.status(r.position, lang)))
    }

    /// The dossier, its conditions, and their changes in the period.
    static func dossier(_ r: ReviewReport, _ lang: Language, _ md: inout MarkdownLines) {
        let d = r.dossier
        let t = { (key: String) in Catalogue.text(key, lang) }
        md.heading("## " + t("report.dossier"))
        md.table(
            ["", ""],
            [
                [t("report.pseudonym"), d.subject], [t("alert.radex"), t(d.radex ? "common.yes" : "common.no")],
                [t("report.mandate"), d.mandate.rawValue], [t("report.start"), ReportText.day(d.start, lang)],
                [t("report.end"), d.end.map { ReportText.day($0, lang) } ?? t("alert.none")],
                [t("report.timeZone"), d.timezone], [t("report.devices"), d.devices.joined(separator: ", ")],
                [t("report.version"), String(r.version)],
            ])
        md.heading(t("report.conditions") + ":")
        for c in r.conditions { md.lines.append("- \(c)") }
        md.lines.append("")
        md.heading("## " + t("report.changes"))
        md.table(
            [t("report.versionCol"), t("report.imported"), t("report.by"), t("report.changesCol")],
            r.conditionChanges.map {
                [String($0.version), ReportText.moment($0.at, lang), $0.by, $0.changes.joined(separator: "; ")]
            })
    }

    /// The breaches per kind and severity, the alerts per queue and the review notices.
    static func breaches(_ r: ReviewReport, _ lang: Language, _ md: inout MarkdownLines) {
        let t = { (key: String) in Catalogue.text(key, lang) }
        let n = Formats(lang).integer
        func rows(_ area: String, _ counts: [ReviewReport.Count]) -> [[String]] {
            counts.map { [Catalogue.name(area, $0.key, lang), n($0.count)] }
        }
        md.heading("## " + Catalogue.format("report.breaches", lang, n(r.breaches.count)))
        md.table([t("report.kind"), t("report.alerts")], rows("kind", r.breachesByKind))
        if !r.breachesBySeverity.isEmpty {
            md.table([t("report.severity"), t("report.alerts")], rows("severity", r.breachesBySeverity))
        }
        md.table([t("report.queue"), t("report.alerts")], rows("queue", r.alertsPerQueue))
        if !r.notices.isEmpty { md.table([t("report.kind"), t("report.count")], rows("kind", r.notices)) }
    }

    /// Escalations, measures, and the latency against the previous period.
    static func responses(_ r: ReviewReport, _ lang: Language, _ md: inout MarkdownLines) {
        let t = { (key: String) in Catalogue.text(key, lang) }
        let n = Formats(lang).integer
        md.heading("## " + t("report.responses"))
        md.paragraph(ReportText.escalations(r, lang))
        md.table(
            [t("report.measure"), t("report.count")],
            r.measures.map { [Catalogue.name("measure", $0.key, lang), n($0.count)] })
        md.heading(t("report.latency") + ":")
        md.table(
            ["", t("report.thisPeriod"), t("report.previousPeriod")],
            ReportText.latencyRows(r, lang).map { name, c, p in
                [name, c.map { ReportText.duration($0, lang) } ?? "-", p.map { ReportText.duration($0, lang) } ?? "-"]
            } + [[t("report.answered"), n(r.latency.count), r.previousLatency.map { n($0.count) } ?? "-"]])
        md.paragraph(ReportText.acknowledge(r, lang))
    }

    /// The review the period starts from, with its findings quoted.
    static func previousReview(_ r: ReviewReport, _ lang: Language, _ md: inout MarkdownLines) {
        md.heading("## " + Catalogue.text("report.previousReview", lang))
        if let p = r.previousReview {
            md.paragraph(
                Catalogue.format(
                    "report.previousBy", lang, ReportText.day(p.review.date, lang), p.review.reviewer,
                    "**\(p.review.decision.rawValue)**", p.recordedBy))
            for line in p.review.findings.split(separator: "\n", omittingEmptySubsequences: false) {
                md.lines.append("> \(line)")
            }
        } else if let l = r.importedLastReview {
            md.lines.append(Catalogue.format("report.importedReview", lang, ReportText.day(l, lang)))
        } else {
            md.lines.append(Catalogue.text("report.noPrevious", lang))
        }
        md.lines.append("")
    }
}

/// Markdown as lines: headings and paragraphs followed by a blank line, tables of escaped cells.
struct MarkdownLines {
    var lines: [String] = []

    /// A heading (or a lead-in line), then a blank line.
    mutating func heading(_ text: String) {
        lines.append(text)
        lines.append("")
    }

    /// A paragraph, then a blank line.
    mutating func paragraph(_ text: String) { heading(text) }

    /// A table of `rows` under `headers` (`_none_` when empty), then a blank line.
    mutating func table(_ headers: [String], _ rows: [[String]]) {
        if rows.isEmpty {
            lines.append("_none_")
            lines.append("")
            return
        }
        lines.append("| " + headers.map(Self.cell).joined(separator: " | ") + " |")
        lines.append("|" + headers.map { _ in " --- |" }.joined())
        for row in rows { lines.append("| " + row.map(Self.cell).joined(separator: " | ") + " |") }
        lines.append("")
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// The review report as CSV: one row per figure (`section,item,value,previous`), for a spreadsheet.
public enum ReviewReportCSV {
    /// `section,item,value,previous`: every figure of the report on its own row.
    public static func render(_ r: ReviewReport) -> String {
        var rows: [[String]] = [["section", "item", "value", "previous"]]
        let d = r.dossier
        rows += [
            ["dossier", "id", d.id, ""], ["dossier", "pseudonym", d.subject, ""],
            ["dossier", "mandate", d.mandate.rawValue, ""], ["dossier", "radex", d.radex ? "yes" : "no", ""],
            ["period", "from", r.period.from.description, r.previousPeriod?.from.description ?? ""],
            [
                "period", "to", r.period.to.adding(days: -1).description,
                r.previousPeriod?.to.adding(days: -1).description ?? "",
            ],
            ["review", "status", r.position?.status.rawValue ?? "out_of_scope", ""],
            ["review", "deadline", r.position?.deadline.description ?? "", ""],
        ]
        for c in r.conditions { rows.append(["conditions", "", c, ""]) }
        for c in r.conditionChanges {
            rows.append([
                "condition_change", "v\(c.version) \(c.at.rfc3339) by \(c.by)", c.changes.joined(separator: "; "), "",
            ])
        }
        for c in r.breachesByKind { rows.append(["breaches_by_kind", c.key, String(c.count), ""]) }
        for c in r.breachesBySeverity { rows.append(["breaches_by_severity", c.key, String(c.count), ""]) }
        for c in r.alertsPerQueue { rows.append(["alerts_per_queue", c.key, String(c.count), ""]) }
        for c in r.notices { rows.append(["review_notices", c.key, String(c.count), ""]) }
        rows.append(["escalations", "alerts_escalated", String(r.escalatedAlerts), ""])
        rows.append(["escalations", "escalations", String(r.escalations), ""])
        rows.append(["responses", "answered", String(r.answered), ""])
        rows.append(["responses", "unanswered", String(r.unanswered), ""])
        for c in r.measures { rows.append(["measures", c.key, String(c.count), ""]) }
        func secs(_ ms: Int64?) -> String { ms.map { String(format: "%.3f", Double($0) / 1000) } ?? "" }
        for (name, c, p) in ReportText.latencyRows(r, .en) { rows.append(["latency_s", name, secs(c), secs(p)]) }
        rows.append(["latency_s", "count", String(r.latency.count), r.previousLatency.map { String($0.count) } ?? ""])
        rows.append(["acknowledge_s", "p50", r.acknowledge.count > 0 ? secs(r.acknowledge.p50Ms) : "", ""])
        rows.append(["acknowledge_s", "p90", r.acknowledge.count > 0 ? secs(r.acknowledge.p90Ms) : "", ""])
        rows.append(["communication_loss", "episodes", String(r.communicationLossEpisodes), ""])
        rows.append(["communication_loss", "total_s", secs(r.communicationLossMs), ""])
        rows.append(["communication_loss", "longest_s", secs(r.longestCommunicationLossMs), ""])
        for i in r.openItems { rows.append(["open_item", i.alertID, i.what, i.state]) }
        if let p = r.previousReview {
            rows.append(["previous_review", "date", p.review.date.description, ""])
            rows.append(["previous_review", "reviewer", p.review.reviewer, ""])
            rows.append(["previous_review", "decision", p.review.decision.rawValue, ""])
            rows.append(["previous_review", "findings", p.review.findings, ""])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// One CSV field: quoted when needed, and free text a spreadsheet would run as a formula prefixed with a quote
    /// (the review report's, the evaluation's and the survey results' CSV).
    public static func field(_ raw: String) -> String {
        // Free text (findings, names) that a spreadsheet would run as a formula is prefixed with a quote.
        var s = raw
        if let c = s.first, "=+@\t\r".contains(c) || (c == "-" && Double(s) == nil) { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
