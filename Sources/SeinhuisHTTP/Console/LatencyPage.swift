import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The latency dashboard: breach-to-response and time-to-acknowledge per queue over a period, their distributions,
/// and the comparison of routing policy versions (before/after a procedure change).
enum LatencyPage {
    static func render(
        _ records: [LatencyRecord], query: LatencyQuery, policy: RoutingPolicy, params: Parameters, user: SessionUser,
        lang: Language
    ) -> String {
        let e = HTML.escape
        let t = { (key: String) in tr("latency." + key, lang) }
        func field(_ name: String, _ label: String) -> String {
            #"<label>\#(label) <input type="date" name="\#(name)" value="\#(e(String((params.get(name) ?? "").prefix(10))))"></label>"#
        }
        let form = """
            <form class="period" method="get" action="/console/latency">\(field("from", t("from")))\(field("to", t("to")))
            \(field("split_at", t("split")))
            <label class="toggle"><input type="checkbox" name="radex" value="true"\(query.radexOnly ? " checked" : "")> \(t("radexOnly"))</label>
            <button type="submit">\(t("show"))</button></form>
            """
        let byQueue = LatencyReport.rows(records, by: .queue)
        let byPolicy = LatencyReport.rows(records, by: .policy)
        var body = """
            <header class="queue-head"><h1>\(tr("console.latency", lang))</h1><span class="counts">\(trf("latency.inPeriod", lang, Formats(lang).integer(records.count)))</span></header>
            \(form)
            <h2>\(t("perQueue"))</h2>
            <p class="hint" id="by-queue-moments">\(t("byQueue"))</p>\(table(byQueue, first: t("queue"), lang))
            <div class="grid">
            <section><h3>\(t("responseCdf"))</h3>\(chart(records, by: .queue, \.respondedAt, policy, lang))</section>
            <section><h3>\(t("ackCdf"))</h3>\(chart(records, by: .queue, \.acknowledgedAt, policy, lang))</section></div>
            <h2>\(t("policies"))</h2>
            <p class="hint">\(t("policiesHint"))</p>
            \(table(byPolicy, first: t("policy"), lang))
            <section><h3>\(t("policyCdf"))</h3>\(chart(records, by: .policy, \.respondedAt, policy, lang))</section>
            """
        if let split = query.splitAt {
            let byPeriod = LatencyReport.rows(records, by: .period, splitAt: split)
            body += """
                <h2>\(trf("latency.beforeAfter", lang, e(Formats(lang).dateTime(ms: split.milliseconds))))</h2>\(table(byPeriod, first: t("period"), lang))
                <section>\(chart(records, by: .period, \.respondedAt, policy, lang, splitAt: split))</section>
                """
        }
        return HTML.page(title: Catalogue.text("console.latency", lang), user: user, lang: lang, active: "latency", body: body)
    }

    static func table(_ rows: [LatencyRow], first: String, _ lang: Language) -> String {
        let t = { (key: String) in tr("latency." + key, lang) }
        let f = Formats(lang)
        func d(_ ms: Int64) -> String {
            let s = Double(ms) / 1000
            if s < 60 { return f.decimal(s) + "s" }
            if s < 3600 { return "\(Int(s) / 60)m\(String(format: "%02d", Int(s) % 60))s" }
            return "\(Int(s) / 3600)h\(String(format: "%02d", (Int(s) % 3600) / 60))m"
        }
        func cells(_ s: LatencySummary) -> String {
            s.count == 0
                ? #"<td class="num">0</td><td colspan="4" class="muted">—</td>"#
                : #"<td class="num">\#(s.count)</td><td class="num">\#(d(s.p50Ms))</td><td class="num">\#(d(s.p90Ms))</td><td class="num">\#(d(s.p99Ms))</td><td class="num">\#(d(s.maxMs))</td>"#
        }
        let lines = rows.map { r in
            "<tr><td>\(HTML.escape(r.group))</td><td class=\"num\">\(r.alerts)</td><td class=\"num\">\(r.escalations)</td>"
                + cells(r.acknowledge) + cells(r.response)
                + "<td class=\"num\">\(r.withinTarget.map { HTML.escape(f.percent($0)) } ?? "—")</td></tr>"
        }.joined()
        return """
            <table class="alerts latency"><thead><tr><th rowspan="2">\(first)</th><th rowspan="2">\(t("alerts"))</th><th rowspan="2">\(t("escalations"))</th>
            <th colspan="5">\(t("ack"))</th><th colspan="5">\(t("response"))</th><th rowspan="2">\(t("withinTarget"))</th></tr>
            <tr><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead>
            <tbody>\(lines.isEmpty ? #"<tr class="empty"><td colspan="14">\#(t("noAlerts"))</td></tr>"# : lines)</tbody></table>
            """
    }

    static func chart(
        _ records: [LatencyRecord], by: LatencyDimension, _ moment: KeyPath<LatencyRecord, Timestamp?>,
        _ policy: RoutingPolicy, _ lang: Language, splitAt: Timestamp? = nil
    ) -> String {
        let lines = series(records, by: by, moment, splitAt: splitAt)
        guard !lines.isEmpty else { return #"<p class="muted">\#(tr("latency.noAnswered", lang))</p>"# }
        // The response target applies to breach-to-response only.
        let target = Double(policy.route(radex: true, severity: .critical).targetSeconds)
        let markers =
            moment == \LatencyRecord.respondedAt && target > 0
            ? [(label: Catalogue.text("latency.target", lang), seconds: target)] : []
        // Queues by their names in the language; policy versions and periods as they are.
        let name = { (n: String) in by == .queue ? Catalogue.name("queue", n, lang) : n }
        return SVGChart(series: lines.map { .init(name: name($0.name), values: $0.values) }, markers: markers)
            .render()
    }

    /// The latencies (ms after detection) of the chart's lines. By queue, an alert counts in every queue it reached
    /// with that queue's own moment (PROTOCOL 4.4, 1.1: `LatencyRecord.forQueue`), as in the table above it; the
    /// queues in canonical order, other groups by name.
    static func series(
        _ records: [LatencyRecord], by: LatencyDimension, _ moment: KeyPath<LatencyRecord, Timestamp?>,
        splitAt: Timestamp? = nil
    ) -> [(name: String, values: [Int64])] {
        var groups: [String: [Int64]] = [:]
        for r in records {
            let parts: [(String, LatencyRecord)]
            switch by {
            case .queue: parts = r.queues.map { ($0.rawValue, r.forQueue($0)) }
            case .policy: parts = [(r.policy, r)]
            case .period: parts = [(splitAt.map { r.detectedAt < $0 ? "before" : "after" } ?? "all", r)]
            default: parts = [("all", r)]
            }
            for (k, x) in parts {
                guard let t = x[keyPath: moment] else { continue }
                groups[k, default: []].append(t - x.detectedAt)
            }
        }
        let order =
            by == .queue ? Queue.allCases.map(\.rawValue).filter { groups[$0] != nil } : groups.keys.sorted()
        return order.map { ($0, groups[$0]!) }
    }
}
