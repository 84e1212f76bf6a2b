import Foundation
import SeinhuisCore

/// The review report as Markdown (for a wiki or an e-mail) and as CSV (one row per figure, for a spreadsheet).
public enum ReviewReportMarkdown {
    public static func render(_ r: ReviewReport) -> String {
        let d = r.dossier
        let tz = d.timezone
        var o: [String] = []
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func table(_ headers: [String], _ rows: [[String]]) {
            if rows.isEmpty {
                o.append("_none_")
                o.append("")
                return
            }
            o.append("| " + headers.map(cell).joined(separator: " | ") + " |")
            o.append("|" + headers.map { _ in " --- |" }.joined())
            for row in rows { o.append("| " + row.map(cell).joined(separator: " | ") + " |") }
            o.append("")
        }
        o.append("# Review report \(d.id)")
        o.append("")
        o.append(
            "Period \(r.period.from) to \(r.period.to.adding(days: -1)) (\(ReportText.count(r.period.days, "day"))), generated \(r.generatedAt.rfc3339). Review status: \(ReportText.status(r.position))."
        )
        o.append("")
        o.append("## Dossier")
        o.append("")
        table(
            ["field", "value"],
            [
                ["pseudonym", d.subject], ["radex", d.radex ? "yes" : "no"], ["mandate", d.mandate.rawValue],
                ["start", d.start.description], ["end", d.end?.description ?? "none"], ["time zone", tz],
                ["devices", d.devices.joined(separator: ", ")], ["conditions version", String(r.version)],
            ])
        o.append("Conditions:")
        o.append("")
        for c in r.conditions { o.append("- \(c)") }
        o.append("")
        o.append("## Changes of conditions")
        o.append("")
        table(
            ["version", "imported", "by", "changes"],
            r.conditionChanges.map {
                [String($0.version), ReportText.local($0.at, tz), $0.by, $0.changes.joined(separator: "; ")]
            })
        o.append("## Breaches (\(r.breaches.count))")
        o.append("")
        table(["kind", "alerts"], r.breachesByKind.map { [$0.key, String($0.count)] })
        if !r.breachesBySeverity.isEmpty {
            table(["severity", "alerts"], r.breachesBySeverity.map { [$0.key, String($0.count)] })
        }
        o.append("## Alerts per queue")
        o.append("")
        table(["queue", "alerts"], r.alertsPerQueue.map { [$0.key, String($0.count)] })
        if !r.notices.isEmpty { table(["review notice", "count"], r.notices.map { [$0.key, String($0.count)] }) }
        o.append("## Escalations and responses")
        o.append("")
        o.append(ReportText.escalations(r))
        o.append("")
        table(["measure", "count"], r.measures.map { [$0.key, String($0.count)] })
        o.append("Breach-to-response latency (detected to first measure):")
        o.append("")
        table(
            ["", "this period", "previous period"],
            ReportText.latencyRows(r).map { name, c, p in
                [name, c.map(ReportText.duration) ?? "-", p.map(ReportText.duration) ?? "-"]
            } + [["answered", String(r.latency.count), r.previousLatency.map { String($0.count) } ?? "-"]])
        o.append(ReportText.acknowledge(r))
        o.append("")
        o.append("## Communication loss")
        o.append("")
        o.append(ReportText.communicationLoss(r))
        o.append("")
        o.append("## Open items (\(r.openItems.count))")
        o.append("")
        table(
            ["alert", "what", "since", "state"],
            r.openItems.map { [$0.alertID, $0.what, ReportText.local($0.since, tz), $0.state] })
        o.append("## Previous review")
        o.append("")
        if let p = r.previousReview {
            o.append(
                "\(p.review.date) by \(p.review.reviewer), decision **\(p.review.decision.rawValue)** (recorded by \(p.recordedBy))."
            )
            o.append("")
            for line in p.review.findings.split(separator: "\n", omittingEmptySubsequences: false) {
                o.append("> \(line)")
            }
        } else if let l = r.importedLastReview {
            o.append("\(l) (from the imported dossier; no findings recorded in Seinhuis).")
        } else {
            o.append("None: the period runs from the dossier's start.")
        }
        o.append("")
        return o.joined(separator: "\n")
    }
}

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

    static func field(_ raw: String) -> String {
        // Free text (findings, names) that a spreadsheet would run as a formula is prefixed with a quote.
        var s = raw
        if let c = s.first, "=+@\t\r".contains(c) || (c == "-" && Double(s) == nil) { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
