import Foundation
import SeinhuisCore

/// The review report as Markdown (for a wiki or an e-mail) and as CSV (one row per figure, for a spreadsheet).
public enum ReviewReportMarkdown {
    public static func render(_ r: ReviewReport) -> String {
        var md = MarkdownLines()
        summary(r, &md)
        dossier(r, &md)
        breaches(r, &md)
        responses(r, &md)
        md.heading("## Communication loss")
        md.paragraph(ReportText.communicationLoss(r))
        md.heading("## Open items (\(r.openItems.count))")
        md.table(
            ["alert", "what", "since", "state"],
            r.openItems.map { [$0.alertID, $0.what, ReportText.local($0.since, r.dossier.timezone), $0.state] })
        previousReview(r, &md)
        return md.lines.joined(separator: "\n")
    }

    /// The title and the period with the review status.
    static func summary(_ r: ReviewReport, _ md: inout MarkdownLines) {
        md.heading("# Review report \(r.dossier.id)")
        md.paragraph(
            "Period \(r.period.from) to \(r.period.to.adding(days: -1)) (\(ReportText.count(r.period.days, "day"))), generated \(r.generatedAt.rfc3339). Review status: \(ReportText.status(r.position))."
        )
    }

    /// The dossier, its conditions, and their changes in the period.
    static func dossier(_ r: ReviewReport, _ md: inout MarkdownLines) {
        let d = r.dossier
        let tz = d.timezone
        md.heading("## Dossier")
        md.table(
            ["field", "value"],
            [
                ["pseudonym", d.subject], ["radex", d.radex ? "yes" : "no"], ["mandate", d.mandate.rawValue],
                ["start", d.start.description], ["end", d.end?.description ?? "none"], ["time zone", tz],
                ["devices", d.devices.joined(separator: ", ")], ["conditions version", String(r.version)],
            ])
        md.heading("Conditions:")
        for c in r.conditions { md.lines.append("- \(c)") }
        md.lines.append("")
        md.heading("## Changes of conditions")
        md.table(
            ["version", "imported", "by", "changes"],
            r.conditionChanges.map {
                [String($0.version), ReportText.local($0.at, tz), $0.by, $0.changes.joined(separator: "; ")]
            })
    }

    /// The breaches per kind and severity, the alerts per queue and the review notices.
    static func breaches(_ r: ReviewReport, _ md: inout MarkdownLines) {
        md.heading("## Breaches (\(r.breaches.count))")
        md.table(["kind", "alerts"], r.breachesByKind.map { [$0.key, String($0.count)] })
        if !r.breachesBySeverity.isEmpty {
            md.table(["severity", "alerts"], r.breachesBySeverity.map { [$0.key, String($0.count)] })
        }
        md.heading("## Alerts per queue")
        md.table(["queue", "alerts"], r.alertsPerQueue.map { [$0.key, String($0.count)] })
        if !r.notices.isEmpty { md.table(["review notice", "count"], r.notices.map { [$0.key, String($0.count)] }) }
    }

    /// Escalations, measures, and the latency against the previous period.
    static func responses(_ r: ReviewReport, _ md: inout MarkdownLines) {
        md.heading("## Escalations and responses")
        md.paragraph(ReportText.escalations(r))
        md.table(["measure", "count"], r.measures.map { [$0.key, String($0.count)] })
        md.heading("Breach-to-response latency (detected to first measure):")
        md.table(
            ["", "this period", "previous period"],
            ReportText.latencyRows(r).map { name, c, p in
                [name, c.map(ReportText.duration) ?? "-", p.map(ReportText.duration) ?? "-"]
            } + [["answered", String(r.latency.count), r.previousLatency.map { String($0.count) } ?? "-"]])
        md.paragraph(ReportText.acknowledge(r))
    }

    /// The review the period starts from, with its findings quoted.
    static func previousReview(_ r: ReviewReport, _ md: inout MarkdownLines) {
        md.heading("## Previous review")
        if let p = r.previousReview {
            md.paragraph(
                "\(p.review.date) by \(p.review.reviewer), decision **\(p.review.decision.rawValue)** (recorded by \(p.recordedBy))."
            )
            for line in p.review.findings.split(separator: "\n", omittingEmptySubsequences: false) {
                md.lines.append("> \(line)")
            }
        } else if let l = r.importedLastReview {
            md.lines.append("\(l) (from the imported dossier; no findings recorded in Seinhuis).")
        } else {
            md.lines.append("None: the period runs from the dossier's start.")
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
        for (name, c, p) in ReportText.latencyRows(r) { rows.append(["latency_s", name, secs(c), secs(p)]) }
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
