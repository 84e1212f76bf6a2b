import Foundation
import SeinhuisCore

/// The review report as one self-contained HTML page a cell member prints: inline CSS (print-friendly), tables, and
/// two inline SVG charts (a timeline of breaches, the latency compared with the previous period). No external
/// assets, no script. Every text from the database is escaped.
public enum ReviewReportHTML {
    public static func render(_ r: ReviewReport) -> String {
        var h = head(r)
        h += dossierSection(r)
        h += breachSection(r)
        h += responseSection(r)
        h += "<section><h2>Communication loss</h2><p>\(esc(ReportText.communicationLoss(r)))</p>"
        h += "</section>\n"
        h += "<section><h2>Open items (\(r.openItems.count))</h2>"
        h += table(
            ["Alert", "What", "Since", "State"],
            r.openItems.map { [$0.alertID, $0.what, ReportText.local($0.since, r.dossier.timezone), $0.state] },
            empty: "Nothing open.")
        h += "</section>\n"
        h += previousReviewSection(r)
        h += "<footer>Seinhuis review report. Times are local to the dossier (\(esc(r.dossier.timezone))). "
        h += "Latency runs from an alert's detection to its first recorded measure.</footer>\n</body></html>\n"
        return h
    }

    /// The document's head and the report's header: title, period, review status.
    static func head(_ r: ReviewReport) -> String {
        let d = r.dossier
        let tz = d.timezone
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<title>Review report \(esc(d.id))</title>\n<style>\(css)</style></head><body>\n"
        h += "<header><h1>Review report <span class=\"id\">\(esc(d.id))</span></h1>"
        h += "<p class=\"sub\">Six-monthly review (doorlichting) by the radicalisation cell. Period "
        h +=
            "<b>\(r.period.from)</b> to <b>\(r.period.to.adding(days: -1))</b> (\(ReportText.count(r.period.days, "day"))); "
        h += "generated \(esc(ReportText.local(r.generatedAt, tz))) (\(esc(tz))).</p>"
        let statusClass = r.position?.status.rawValue ?? "none"
        h += "<p class=\"status \(statusClass)\">Review status: \(esc(ReportText.status(r.position)))</p></header>\n"
        return h
    }

    /// The dossier, its conditions, and their changes in the period.
    static func dossierSection(_ r: ReviewReport) -> String {
        let d = r.dossier
        let tz = d.timezone
        var h = "<section><h2>Dossier</h2><div class=\"cols\"><table class=\"kv\">"
        for (k, v) in [
            ("Pseudonym", d.subject), ("Radex", d.radex ? "yes" : "no"), ("Mandate", d.mandate.rawValue),
            ("Start", d.start.description), ("End", d.end?.description ?? "none"), ("Time zone", tz),
            ("Devices", d.devices.joined(separator: ", ")), ("Conditions version", String(r.version)),
        ] {
            h += "<tr><th>\(esc(k))</th><td>\(esc(v))</td></tr>"
        }
        h += "</table><div><h3>Conditions</h3><ul>"
        for c in r.conditions { h += "<li>\(esc(c))</li>" }
        h += "</ul></div></div>"
        h += "<h3>Changes of conditions in the period</h3>"
        h += table(
            ["Version", "Imported", "By", "Changes"],
            r.conditionChanges.map {
                [String($0.version), ReportText.local($0.at, tz), $0.by, $0.changes.joined(separator: "; ")]
            }, empty: "No change of conditions in the period.")
        h += "</section>\n"
        return h
    }

    /// The timeline, the breaches per kind and severity, the alerts per queue, the review notices.
    static func breachSection(_ r: ReviewReport) -> String {
        var h = "<section><h2>Breaches (\(r.breaches.count))</h2>"
        h += timeline(r)
        h += "<div class=\"cols\">"
        h += table(["Kind", "Alerts"], r.breachesByKind.map { [$0.key, String($0.count)] }, empty: "No breaches.")
        h += table(["Severity", "Alerts"], r.breachesBySeverity.map { [$0.key, String($0.count)] }, empty: "")
        h += table(["Queue", "Alerts"], r.alertsPerQueue.map { [$0.key, String($0.count)] }, empty: "")
        h += "</div>"
        if !r.notices.isEmpty {
            h += "<p>Review notices in the period: "
            h += esc(r.notices.map { "\($0.key) \($0.count)" }.joined(separator: ", ")) + ".</p>"
        }
        h += "</section>\n"
        return h
    }

    /// Escalations, measures, and the latency against the previous period (table and chart).
    static func responseSection(_ r: ReviewReport) -> String {
        var h = "<section><h2>Escalations and responses</h2>"
        h += "<p>\(esc(ReportText.escalations(r)))</p>"
        h += "<div class=\"cols\">"
        h += table(
            ["Measure", "Count"], r.measures.map { [$0.key, String($0.count)] }, empty: "No measures recorded.")
        var latencyRows = ReportText.latencyRows(r).map { name, c, p in
            [name, c.map(ReportText.duration) ?? "-", p.map(ReportText.duration) ?? "-"]
        }
        latencyRows.append(["answered", String(r.latency.count), r.previousLatency.map { String($0.count) } ?? "-"])
        h += "<div><h3>Breach-to-response latency</h3>"
        h += table(["", "This period", "Previous period"], latencyRows, empty: "")
        h += "<p>\(esc(ReportText.acknowledge(r)))</p>"
        h += "</div></div>"
        h += latencyChart(r)
        h += "</section>\n"
        return h
    }

    /// The review the period starts from, with its findings.
    static func previousReviewSection(_ r: ReviewReport) -> String {
        var h = "<section><h2>Previous review</h2>"
        if let p = r.previousReview {
            h += "<p>\(p.review.date) by <b>\(esc(p.review.reviewer))</b>, decision "
            h += "<b>\(esc(p.review.decision.rawValue))</b> (recorded by \(esc(p.recordedBy))).</p>"
            h += "<blockquote>\(esc(p.review.findings).replacingOccurrences(of: "\n", with: "<br>"))</blockquote>"
        } else if let l = r.importedLastReview {
            h += "<p>\(l), from the imported dossier; no findings were recorded in Seinhuis.</p>"
        } else {
            h += "<p>None: the period runs from the dossier's start.</p>"
        }
        h += "</section>\n"
        return h
    }

    /// HTML text escaping, short for the many uses here: the one escaping function (`HTMLText.escape`).
    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return empty.isEmpty ? "" : "<p class=\"none\">\(esc(empty))</p>" }
        var h = "<table><thead><tr>" + headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            h += "<tr>" + row.map { "<td>\(esc($0))</td>" }.joined() + "</tr>"
        }
        return h + "</tbody></table>"
    }

    static let severityColour: [Severity: String] = [
        .critical: "#b3261e", .high: "#e8710a", .medium: "#f2b705", .low: "#5f8fbf",
    ]

    /// Breaches over the period: one lane per kind, a dot per alert coloured by severity (a ring: not answered),
    /// the communication-loss episodes as bars.
    static func timeline(_ r: ReviewReport) -> String {
        let kinds = r.breachesByKind.map(\.key)
        guard !kinds.isEmpty else { return "" }
        let left = 170.0, right = 20.0, width = 960.0, lane = 22.0, top = 12.0
        let height = top + Double(kinds.count) * lane + 34
        let span = Double(max(1, r.period.end - r.period.start))
        func x(_ t: Timestamp) -> Double {
            left + (width - left - right) * min(1, max(0, Double(t - r.period.start) / span))
        }
        var s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        s += "width=\"100%\" role=\"img\" aria-label=\"Timeline of breaches\">"
        for (i, k) in kinds.enumerated() {
            let y = top + Double(i) * lane + lane / 2
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" class=\"lane\"/>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"lbl\">\(esc(k))</text>"
        }
        // Month ticks (the first of each month in the period).
        let axisY = top + Double(kinds.count) * lane + 4
        s += "<line x1=\"\(f(left))\" y1=\"\(f(axisY))\" x2=\"\(f(width - right))\" y2=\"\(f(axisY))\" class=\"axis\"/>"
        let clock = LocalClock(identifier: r.dossier.timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        // The period's first day, then the first of each month (labelled YYYY-MM); labels never overlap.
        var ticks: [(Double, String)] = []
        var day = r.period.from
        while day < r.period.to && ticks.count < 40 {
            if day.day == 1 || day == r.period.from {
                let tx = x(Timestamp(milliseconds: clock.instant(day: day.daysSinceEpoch, minutes: 0)))
                ticks.append((tx, day == r.period.from ? day.description : String(day.description.prefix(7))))
            }
            day = day.adding(days: 1)
        }
        var lastLabel = -Double.infinity
        for (i, (tx, label)) in ticks.enumerated() {
            s += "<line x1=\"\(f(tx))\" y1=\"\(f(axisY))\" x2=\"\(f(tx))\" y2=\"\(f(axisY + 5))\" class=\"axis\"/>"
            let room = i + 1 < ticks.count ? ticks[i + 1].0 - tx : .infinity
            guard tx - lastLabel >= 70, i > 0 || room >= 90 else { continue }
            s += "<text x=\"\(f(tx))\" y=\"\(f(axisY + 17))\" text-anchor=\"\(i == 0 ? "start" : "middle")\" "
            s += "class=\"tick\">\(label)</text>"
            lastLabel = tx
        }
        for b in r.breaches {
            guard let i = kinds.firstIndex(of: b.kind.rawValue) else { continue }
            let y = top + Double(i) * lane + lane / 2
            let colour = severityColour[b.severity] ?? "#777"
            if b.kind == .breach(.communication_loss) {
                let x2 = x(b.clearedAt ?? r.period.end)
                s += "<rect x=\"\(f(x(b.at)))\" y=\"\(f(y - 4))\" width=\"\(f(max(2, x2 - x(b.at))))\" height=\"8\" "
                s += "fill=\"\(colour)\" opacity=\"0.55\"/>"
            }
            let fill = b.responseMs == nil ? "white" : colour
            s += "<circle cx=\"\(f(x(b.at)))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(fill)\" stroke=\"\(colour)\" "
            s += "stroke-width=\"2\"><title>\(esc(b.alertID)) \(esc(b.kind.rawValue)) \(esc(b.severity.rawValue)) "
            s += "\(esc(ReportText.local(b.at, r.dossier.timezone)))</title></circle>"
        }
        s += "</svg><figcaption>Timeline of breaches. "
        for sev in Severity.allCases {
            s += "<span class=\"key\" style=\"background:\(severityColour[sev]!)\"></span>\(sev.rawValue) "
        }
        s += "&#9675; not answered; bars: communication loss.</figcaption></figure>"
        return s
    }

    /// Mean, p50, p90 and max of breach-to-response latency: this period next to the previous one.
    static func latencyChart(_ r: ReviewReport) -> String {
        let rows = ReportText.latencyRows(r)
        let peak = rows.flatMap { [$0.1, $0.2] }.compactMap { $0 }.max() ?? 0
        guard peak > 0 else { return "<p class=\"none\">No responses to chart.</p>" }
        let left = 60.0, width = 640.0, bar = 12.0, group = 38.0, top = 8.0
        let height = top + Double(rows.count) * group + 8
        let scale = (width - left - 150) / Double(peak)
        var s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        s += "width=\"70%\" role=\"img\" aria-label=\"Breach-to-response latency\">"
        for (i, (name, cur, prev)) in rows.enumerated() {
            let y = top + Double(i) * group
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + bar + 4))\" text-anchor=\"end\" class=\"lbl\">\(name)</text>"
            for (j, (v, cls)) in [(cur, "cur"), (prev, "prev")].enumerated() {
                let by = y + Double(j) * (bar + 2)
                guard let v else {
                    s += "<text x=\"\(f(left + 4))\" y=\"\(f(by + bar - 2))\" class=\"tick\">-</text>"
                    continue
                }
                let w = max(1, Double(v) * scale)
                s += "<rect x=\"\(f(left))\" y=\"\(f(by))\" width=\"\(f(w))\" height=\"\(f(bar))\" class=\"\(cls)\"/>"
                s += "<text x=\"\(f(left + w + 5))\" y=\"\(f(by + bar - 2))\" class=\"tick\">"
                s += "\(esc(ReportText.duration(v)))</text>"
            }
        }
        s += "</svg><figcaption>Breach-to-response latency: <span class=\"key cur\"></span>this period, "
        s += "<span class=\"key prev\"></span>previous period.</figcaption></figure>"
        return s
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static let css = """
        body{font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#1d1d1f;max-width:1000px;margin:24px auto;\
        padding:0 16px}
        h1{font-size:24px;margin:0 0 4px}h1 .id{font-family:"DejaVu Sans Mono",monospace}
        h2{font-size:18px;border-bottom:2px solid #2c3e50;padding-bottom:3px;margin:26px 0 10px}
        h3{font-size:15px;margin:12px 0 6px}
        .sub{color:#555;margin:0 0 8px}
        .status{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:bold;margin:4px 0}
        .status.ok{background:#e3f2e5;color:#1b5e20}.status.due{background:#fff4d6;color:#8a5a00}
        .status.overdue{background:#fde2e1;color:#8c1d18}.status.none{background:#eee;color:#555}
        table{border-collapse:collapse;margin:6px 16px 10px 0;font-size:13px}
        th,td{border:1px solid #c9ced6;padding:3px 8px;text-align:left;vertical-align:top}
        thead th{background:#eef1f5}table.kv th{background:#f6f7f9;width:150px}
        td:nth-child(n+2){font-variant-numeric:tabular-nums}
        .cols{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:flex-start}
        figure{margin:8px 0 14px}figcaption{font-size:12px;color:#555}
        .key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 8px;vertical-align:middle}
        svg .lane{stroke:#e2e5ea;stroke-width:1}svg .axis{stroke:#777;stroke-width:1}
        svg .lbl{font-size:12px;fill:#333}svg .tick{font-size:11px;fill:#555}
        svg .cur,.key.cur{fill:#2c6fbb;background:#2c6fbb}svg .prev,.key.prev{fill:#b8c4d3;background:#b8c4d3}
        blockquote{margin:6px 0;padding:6px 12px;border-left:4px solid #2c3e50;background:#f6f7f9;white-space:normal}
        .none{color:#666;font-style:italic}
        footer{margin-top:28px;font-size:12px;color:#666;border-top:1px solid #ddd;padding-top:6px}
        @media print{body{margin:0;max-width:none;font-size:12px}section{break-inside:avoid-page}
        h2{break-after:avoid}.status{border:1px solid #999}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        @page{size:A4;margin:14mm}
        """
}
