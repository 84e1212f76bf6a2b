import Foundation
import SeinhuisCore

/// The review report as one self-contained HTML page a cell member prints: inline CSS (print-friendly), tables, and
/// two inline SVG charts (a timeline of breaches, the latency compared with the previous period). No external
/// assets, no script. Every text from the database is escaped.
public enum ReviewReportHTML {
    /// The report in `lang`: its words from the catalogue, dates and numbers in the language's form, moments in
    /// Brussels time.
    public static func render(_ r: ReviewReport, lang: Language) -> String {
        let t = { (key: String) in Catalogue.text(key, lang) }
        var h = head(r, lang)
        h += dossierSection(r, lang)
        h += breachSection(r, lang)
        h += responseSection(r, lang)
        h += "<section><h2>\(esc(t("report.commsLoss")))</h2><p>\(esc(ReportText.communicationLoss(r, lang)))</p>"
        h += "</section>\n"
        h += "<section><h2>\(esc(Catalogue.format("report.open", lang, String(r.openItems.count))))</h2>"
        h += table(
            [t("report.alert"), t("report.what"), t("report.since"), t("report.state")],
            r.openItems.map {
                [$0.alertID, $0.what, ReportText.moment($0.since, lang), Catalogue.name("state", $0.state, lang)]
            },
            empty: t("report.nothingOpen"))
        h += "</section>\n"
        h += previousReviewSection(r, lang)
        h += "<footer>\(esc(t("report.footer")))</footer>\n</body></html>\n"
        return h
    }

    /// The document's head and the report's header: title, period, review status.
    static func head(_ r: ReviewReport, _ lang: Language) -> String {
        let d = r.dossier
        let title = Catalogue.text("report.title", lang)
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"\(lang.rawValue)\"><head><meta charset=\"utf-8\">"
        h += "<title>\(esc(title)) \(esc(d.id))</title>\n<style>\(css)</style></head><body>\n"
        h += "<header><h1>\(esc(title)) <span class=\"id\">\(esc(d.id))</span></h1>"
        let sub = Catalogue.format(
            "report.sub", lang, "<b>\(esc(ReportText.day(r.period.from, lang)))</b>",
            "<b>\(esc(ReportText.day(r.period.to.adding(days: -1), lang)))</b>",
            esc(ReportText.days(r.period.days, lang)), esc(ReportText.moment(r.generatedAt, lang)))
        h += "<p class=\"sub\">\(sub)</p>"
        let statusClass = r.position?.status.rawValue ?? "none"
        let status = Catalogue.format("report.status", lang, ReportText.status(r.position, lang))
        h += "<p class=\"status \(statusClass)\">\(esc(status))</p></header>\n"
        return h
    }

    /// The dossier, its conditions, and their changes in the period.
    static func dossierSection(_ r: ReviewReport, _ lang: Language) -> String {
        let d = r.dossier
        let t = { (key: String) in Catalogue.text(key, lang) }
        var h = "<section><h2>\(esc(t("report.dossier")))</h2><div class=\"cols\"><table class=\"kv\">"
        for (k, v) in [
            ("report.pseudonym", d.subject), ("alert.radex", t(d.radex ? "common.yes" : "common.no")),
            ("report.mandate", d.mandate.rawValue), ("report.start", ReportText.day(d.start, lang)),
            ("report.end", d.end.map { ReportText.day($0, lang) } ?? t("alert.none")),
            ("report.timeZone", d.timezone), ("report.devices", d.devices.joined(separator: ", ")),
            ("report.version", String(r.version)),
        ] {
            h += "<tr><th>\(esc(t(k)))</th><td>\(esc(v))</td></tr>"
        }
        h += "</table><div><h3>\(esc(t("report.conditions")))</h3><ul>"
        for c in r.conditions { h += "<li>\(esc(c))</li>" }
        h += "</ul></div></div>"
        h += "<h3>\(esc(t("report.changes")))</h3>"
        h += table(
            [t("report.versionCol"), t("report.imported"), t("report.by"), t("report.changesCol")],
            r.conditionChanges.map {
                [String($0.version), ReportText.moment($0.at, lang), $0.by, $0.changes.joined(separator: "; ")]
            }, empty: t("report.noChanges"))
        h += "</section>\n"
        return h
    }

    /// The timeline, the breaches per kind and severity, the alerts per queue, the review notices.
    static func breachSection(_ r: ReviewReport, _ lang: Language) -> String {
        let t = { (key: String) in Catalogue.text(key, lang) }
        let n = Formats(lang).integer
        var h = "<section><h2>\(esc(Catalogue.format("report.breaches", lang, n(r.breaches.count))))</h2>"
        h += timeline(r, lang)
        h += "<div class=\"cols\">"
        h += table(
            [t("report.kind"), t("report.alerts")],
            r.breachesByKind.map { [Catalogue.name("kind", $0.key, lang), n($0.count)] }, empty: t("report.noBreaches"))
        h += table(
            [t("report.severity"), t("report.alerts")],
            r.breachesBySeverity.map { [Catalogue.name("severity", $0.key, lang), n($0.count)] }, empty: "")
        h += table(
            [t("report.queue"), t("report.alerts")],
            r.alertsPerQueue.map { [Catalogue.name("queue", $0.key, lang), n($0.count)] }, empty: "")
        h += "</div>"
        if !r.notices.isEmpty {
            let list = r.notices.map { "\(Catalogue.name("kind", $0.key, lang)) \(n($0.count))" }
            h += "<p>\(esc(Catalogue.format("report.notices", lang, list.joined(separator: ", "))))</p>"
        }
        h += "</section>\n"
        return h
    }

    /// Escalations, measures, and the latency against the previous period (table and chart).
    static func responseSection(_ r: ReviewReport, _ lang: Language) -> String {
        let t = { (key: String) in Catalogue.text(key, lang) }
        let n = Formats(lang).integer
        var h = "<section><h2>\(esc(t("report.responses")))</h2>"
        h += "<p>\(esc(ReportText.escalations(r, lang)))</p>"
        h += "<div class=\"cols\">"
        h += table(
            [t("report.measure"), t("report.count")],
            r.measures.map { [Catalogue.name("measure", $0.key, lang), n($0.count)] }, empty: t("report.noMeasures"))
        var latencyRows = ReportText.latencyRows(r, lang).map { name, c, p in
            [name, c.map { ReportText.duration($0, lang) } ?? "-", p.map { ReportText.duration($0, lang) } ?? "-"]
        }
        latencyRows.append([t("report.answered"), n(r.latency.count), r.previousLatency.map { n($0.count) } ?? "-"])
        h += "<div><h3>\(esc(t("report.latency")))</h3>"
        h += table(["", t("report.thisPeriod"), t("report.previousPeriod")], latencyRows, empty: "")
        h += "<p>\(esc(ReportText.acknowledge(r, lang)))</p>"
        h += "</div></div>"
        h += latencyChart(r, lang)
        h += "</section>\n"
        return h
    }

    /// The review the period starts from, with its findings.
    static func previousReviewSection(_ r: ReviewReport, _ lang: Language) -> String {
        var h = "<section><h2>\(esc(Catalogue.text("report.previousReview", lang)))</h2>"
        if let p = r.previousReview {
            let line = Catalogue.format(
                "report.previousBy", lang, esc(ReportText.day(p.review.date, lang)), "<b>\(esc(p.review.reviewer))</b>",
                "<b>\(esc(Catalogue.name("decision", p.review.decision.rawValue, lang)))</b>", esc(p.recordedBy))
            h += "<p>\(line)</p>"
            h += "<blockquote>\(esc(p.review.findings).replacingOccurrences(of: "\n", with: "<br>"))</blockquote>"
        } else if let l = r.importedLastReview {
            h += "<p>\(esc(Catalogue.format("report.importedReview", lang, ReportText.day(l, lang))))</p>"
        } else {
            h += "<p>\(esc(Catalogue.text("report.noPrevious", lang)))</p>"
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
    static func timeline(_ r: ReviewReport, _ lang: Language) -> String {
        let kinds = r.breachesByKind.map(\.key)
        guard !kinds.isEmpty else { return "" }
        let left = 170.0, right = 20.0, width = 960.0, lane = 22.0, top = 12.0
        let height = top + Double(kinds.count) * lane + 34
        let span = Double(max(1, r.period.end - r.period.start))
        func x(_ t: Timestamp) -> Double {
            left + (width - left - right) * min(1, max(0, Double(t - r.period.start) / span))
        }
        var s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        s += "width=\"100%\" role=\"img\" aria-label=\"\(esc(Catalogue.text("report.timeline", lang)))\">"
        for (i, k) in kinds.enumerated() {
            let y = top + Double(i) * lane + lane / 2
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" class=\"lane\"/>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"lbl\">\(esc(Catalogue.name("kind", k, lang)))</text>"
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
            s += "stroke-width=\"2\"><title>\(esc(b.alertID)) \(esc(Catalogue.name("kind", b.kind.rawValue, lang))) "
            s += "\(esc(Catalogue.name("severity", b.severity.rawValue, lang))) "
            s += "\(esc(ReportText.moment(b.at, lang)))</title></circle>"
        }
        s += "</svg><figcaption>\(esc(Catalogue.text("report.timeline", lang))) "
        for sev in Severity.allCases {
            let name = esc(Catalogue.name("severity", sev.rawValue, lang))
            s += "<span class=\"key\" style=\"background:\(severityColour[sev]!)\"></span>\(name) "
        }
        s += "\(esc(Catalogue.text("report.timelineKey", lang)))</figcaption></figure>"
        return s
    }

    /// Mean, p50, p90 and max of breach-to-response latency: this period next to the previous one.
    static func latencyChart(_ r: ReviewReport, _ lang: Language) -> String {
        let rows = ReportText.latencyRows(r, lang)
        let peak = rows.flatMap { [$0.1, $0.2] }.compactMap { $0 }.max() ?? 0
        guard peak > 0 else { return "<p class=\"none\">\(esc(Catalogue.text("report.noResponses", lang)))</p>" }
        let left = 60.0, width = 640.0, bar = 12.0, group = 38.0, top = 8.0
        let height = top + Double(rows.count) * group + 8
        let scale = (width - left - 150) / Double(peak)
        var s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        s += "width=\"70%\" role=\"img\" aria-label=\"\(esc(Catalogue.text("report.latency", lang)))\">"
        for (i, (name, cur, prev)) in rows.enumerated() {
            let y = top + Double(i) * group
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + bar + 4))\" text-anchor=\"end\" class=\"lbl\">\(esc(name))</text>"
            for (j, (v, cls)) in [(cur, "cur"), (prev, "prev")].enumerated() {
                let by = y + Double(j) * (bar + 2)
                guard let v else {
                    s += "<text x=\"\(f(left + 4))\" y=\"\(f(by + bar - 2))\" class=\"tick\">-</text>"
                    continue
                }
                let w = max(1, Double(v) * scale)
                s += "<rect x=\"\(f(left))\" y=\"\(f(by))\" width=\"\(f(w))\" height=\"\(f(bar))\" class=\"\(cls)\"/>"
                s += "<text x=\"\(f(left + w + 5))\" y=\"\(f(by + bar - 2))\" class=\"tick\">"
                s += "\(esc(ReportText.duration(v, lang)))</text>"
            }
        }
        s += "</svg><figcaption>\(esc(Catalogue.text("report.latency", lang))): <span class=\"key cur\"></span>"
        s += "\(esc(Catalogue.text("report.thisPeriod", lang))), <span class=\"key prev\"></span>"
        s += "\(esc(Catalogue.text("report.previousPeriod", lang))).</figcaption></figure>"
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
