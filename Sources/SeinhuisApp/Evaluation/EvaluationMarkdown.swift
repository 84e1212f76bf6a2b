import Foundation
import SeinhuisCore

/// The evaluation report as Markdown: the same tables as the HTML, without the plots.
public enum EvaluationMarkdown {
    public static func render(_ e: Evaluation, _ lang: Language) -> String {
        let x = EvaluationText(e: e, lang: lang)
        var md = MarkdownLines()
        md.heading("# \(x.t("evaluation.title"))")
        md.paragraph(x.subtitle)
        md.heading("## \(x.t("evaluation.latencyTitle"))")
        md.table(x.latencyHeadings, x.latencyRows)
        md.paragraph(x.method)
        if let note = x.targetsNote { md.paragraph(note) }
        md.heading("## \(x.t("evaluation.monthsTitle"))")
        md.table(x.monthHeadings, x.monthRows)
        md.heading("## \(x.t("evaluation.surveyTitle"))")
        if e.surveys.isEmpty { md.paragraph(x.t("evaluation.noSurvey")) }
        for s in e.surveys {
            md.heading("### \(Catalogue.format("survey.round", lang, String(s.round.id), s.round.title(lang)))")
            for (i, q) in s.round.questions(lang).enumerated() { md.lines.append("\(i + 1). \(q)") }
            md.lines.append("")
            guard s.shown else {
                md.paragraph(Catalogue.format("survey.openNotShown", lang, String(s.round.answered)))
                continue
            }
            md.table(SurveyResults.headings(lang), s.rows(lang))
            for g in s.groups where g.group != SurveyResults.all && !g.comments.isEmpty {
                md.heading("\(x.t("survey.comments")) (\(SurveyResults.label(g.group, lang))):")
                for c in g.comments { md.lines.append("- \(MarkdownLines.cell(c))") }
                md.lines.append("")
            }
            if s.withheld > 0 { md.paragraph(Catalogue.format("survey.withheld", lang, String(s.withheld))) }
        }
        if e.whatIf != nil {
            md.heading("## \(x.t("evaluation.whatIfTitle"))")
            md.table(x.whatIfHeadings, x.whatIfRows)
            md.paragraph(x.whatIfNote)
        }
        md.paragraph(x.t("evaluation.footer"))
        return md.lines.joined(separator: "\n")
    }
}

/// The evaluation as CSV, one figure a row (`section,group,item,value`), durations in seconds and shares as
/// fractions, for a spreadsheet; the same in every language.
public enum EvaluationCSV {
    public static func render(_ e: Evaluation) -> String {
        var rows: [[String]] = [["section", "group", "item", "value"]]
        func secs(_ ms: Double?) -> String { ms.map { String(format: "%.3f", $0 / 1000) } ?? "" }
        func share(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "" }
        rows += [
            ["period", "", "before_version", e.before], ["period", "", "after_version", e.after],
            ["period", "", "from", e.from?.rfc3339 ?? ""], ["period", "", "to", e.to?.rfc3339 ?? ""],
            ["method", "", "resamples", String(Evaluation.resamples)], ["method", "", "seed", String(Evaluation.seed)],
        ]
        for q in e.queues {
            let g = q.queue.rawValue
            rows += [
                ["latency", g, "alerts_before", String(q.before?.alerts ?? 0)],
                ["latency", g, "alerts_after", String(q.after?.alerts ?? 0)],
                ["latency", g, "answered_before", String(q.beforeMs.count)],
                ["latency", g, "answered_after", String(q.afterMs.count)],
                ["latency", g, "mean_before_s", secs(q.meanBeforeMs)],
                ["latency", g, "mean_after_s", secs(q.meanAfterMs)],
                ["latency", g, "median_before_s", secs(q.medianBeforeMs)],
                ["latency", g, "median_after_s", secs(q.medianAfterMs)],
                ["latency", g, "within_target_before", share(q.before?.withinTarget)],
                ["latency", g, "within_target_after", share(q.after?.withinTarget)],
                ["latency", g, "difference_s", secs(q.differenceMs)],
                ["latency", g, "ci95_low_s", secs(q.interval?.lowerBound)],
                ["latency", g, "ci95_high_s", secs(q.interval?.upperBound)],
                ["latency", g, "resamples", String(q.resamples)],
            ]
        }
        for m in e.months {
            rows.append(["radex_month", m.group, "incidents", String(m.alerts)])
            rows.append(["radex_month", m.group, "escalations", String(m.escalations)])
        }
        for s in e.surveys {
            for g in s.groups {
                rows.append(["survey_\(s.round.id)", g.group, "answers", String(g.answers)])
                for (i, q) in g.questions.enumerated() {
                    rows.append([
                        "survey_\(s.round.id)", g.group, "q\(i + 1)_mean",
                        q.mean.map { String(format: "%.3f", $0) } ?? "",
                    ])
                }
            }
        }
        for side in e.whatIf?.policies ?? [] {
            for r in side.rows {
                let g = "\(side.role) \(side.version) \(r.queue)"
                rows.append(["whatif", g, "alerts", String(r.alerts)])
                rows.append(["whatif", g, "escalations", String(r.escalations)])
                rows.append(["whatif", g, "mean_s", String(format: "%.3f", r.response.mean_s)])
                rows.append(["whatif", g, "within_target", share(r.within_target)])
            }
        }
        return rows.map { $0.map(ReviewReportCSV.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
