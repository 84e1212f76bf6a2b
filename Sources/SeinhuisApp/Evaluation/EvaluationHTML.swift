import SeinhuisCore

/// The evaluation report as one self-contained, printable HTML page (inline CSS with a print stylesheet, plots as
/// inline SVG, no script, no external asset); `body` is the same content for the console's evaluation page.
public enum EvaluationHTML {
    public static func render(_ e: Evaluation, _ lang: Language) -> String {
        let x = EvaluationText(e: e, lang: lang)
        var h = "<!DOCTYPE html>\n<html lang=\"\(lang.rawValue)\"><head><meta charset=\"utf-8\">"
        h += "<title>\(esc(x.t("evaluation.title")))</title>\n<style>\(ReviewReportHTML.css)\n\(css)</style></head>"
        h += "<body>\n<header><h1>\(esc(x.t("evaluation.title")))</h1></header>\n"
        return h + body(e, lang) + "</body></html>\n"
    }

    /// Every section of the report, without the document around it.
    public static func body(_ e: Evaluation, _ lang: Language) -> String {
        let x = EvaluationText(e: e, lang: lang)
        var h = "<div class=\"evaluation\"><p class=\"sub\">\(esc(x.subtitle))</p>\n"
        h += "<section id=\"latency\"><h2>\(esc(x.t("evaluation.latencyTitle")))</h2>"
        h += table(x.latencyHeadings, x.latencyRows, empty: x.t("evaluation.noAlerts"))
        h += "<p class=\"hint\">\(esc(x.method))</p>"
        if let note = x.targetsNote { h += "<p class=\"hint\">\(esc(note))</p>" }
        h += "</section>\n<section id=\"distributions\"><h2>\(esc(x.t("evaluation.cdfTitle")))</h2>"
        h += "<div class=\"cols\" style=\"display:flex;flex-wrap:wrap;gap:8px 18px;align-items:flex-start\">"
        for q in e.queues {
            guard !q.beforeMs.isEmpty || !q.afterMs.isEmpty else {
                h += "<p class=\"none\">\(esc(Catalogue.format("evaluation.noAnswered", lang, q.queue.rawValue)))</p>"
                continue
            }
            let chart = SVGChart(
                series: [.init(name: x.beforeName, values: q.beforeMs), .init(name: x.afterName, values: q.afterMs)],
                width: 460, height: 240)
            h += "<figure data-queue=\"\(q.queue.rawValue)\">\(chart.render())"
            h +=
                "<figcaption>\(esc(Catalogue.format("evaluation.cdfCaption", lang, q.queue.rawValue)))</figcaption></figure>"
        }
        h += "</div></section>\n<section id=\"months\"><h2>\(esc(x.t("evaluation.monthsTitle")))</h2>"
        h += table(x.monthHeadings, x.monthRows, empty: x.t("evaluation.noIncidents")) + "</section>\n"
        h += "<section id=\"survey\"><h2>\(esc(x.t("evaluation.surveyTitle")))</h2>"
        h +=
            e.surveys.isEmpty
            ? "<p class=\"none\">\(esc(x.t("evaluation.noSurvey")))</p>"
            : e.surveys.map { SurveyResultsHTML.section($0, lang) }.joined()
        h += "</section>\n"
        if e.whatIf != nil {
            h += "<section id=\"whatif\"><h2>\(esc(x.t("evaluation.whatIfTitle")))</h2>"
            h +=
                table(x.whatIfHeadings, x.whatIfRows, empty: "")
                + "<p class=\"hint\">\(esc(x.whatIfNote))</p></section>\n"
        }
        h += "<footer>\(esc(x.t("evaluation.footer")))</footer></div>\n"
        return h
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        ReviewReportHTML.table(headers, rows, empty: empty)
    }

    /// The charts' classes (SVGChart) and the report's own, beside the review report's stylesheet.
    static let css = """
        svg.chart{background:#fff;border:1px solid #c9ced6;max-width:100%;height:auto}
        svg .grid{stroke:#e5e7eb}svg .axis,svg .legend{font-size:11px;fill:#4b5563}
        svg .cdf{fill:none;stroke-width:2}svg .marker{stroke:#6b7280;stroke-dasharray:4 3}
        .hint{font-size:12px;color:#555}table.survey td.num{text-align:right}
        @media print{figure{break-inside:avoid}}
        """
}
