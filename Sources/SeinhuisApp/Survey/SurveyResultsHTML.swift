import SeinhuisCore
import SeinhuisStore

extension SurveyResults {
    /// A group's name for readers: the role's name, or `others` and `all` in `lang`.
    public static func label(_ group: String, _ lang: Language) -> String {
        switch group {
        case others: Catalogue.text("survey.groupOthers", lang)
        case all: Catalogue.text("survey.groupAll", lang)
        default: group
        }
    }

    /// One row per group and question: group, answers, question number, mean, counts of 1 to 5.
    public func rows(_ lang: Language) -> [[String]] {
        let f = Formats(lang)
        return groups.flatMap { g in
            g.questions.enumerated().map { i, q in
                [
                    Self.label(g.group, lang), f.integer(g.answers), String(i + 1),
                    q.mean.map { f.decimal($0, digits: 2) } ?? "—",
                ]
                    + q.distribution.map { f.integer($0) }
            }
        }
    }

    /// The column headings of `rows`.
    public static func headings(_ lang: Language) -> [String] {
        ["survey.colGroup", "survey.colAnswers", "survey.colQuestion", "survey.colMean"].map {
            Catalogue.text($0, lang)
        } + ["1", "2", "3", "4", "5"]
    }
}

/// A round's results as an HTML fragment: the console's results page and the evaluation report show the same.
public enum SurveyResultsHTML {
    public static func section(_ r: SurveyResults, _ lang: Language) -> String {
        let e = HTMLText.escape
        var h = "<section class=\"survey-results\" data-round=\"\(r.round.id)\">"
        h += "<h3>\(e(Catalogue.format("survey.round", lang, String(r.round.id), r.round.title(lang))))</h3><ol>"
        for q in r.round.questions(lang) { h += "<li>\(e(q))</li>" }
        h += "</ol>"
        guard r.shown else {
            return h + "<p>\(e(Catalogue.format("survey.openNotShown", lang, String(r.round.answered))))</p></section>"
        }
        h += "<p>\(e(Catalogue.format("survey.answers", lang, Formats(lang).integer(r.round.answered))))</p>"
        if r.groups.isEmpty {
            h += "<p class=\"none\">\(e(Catalogue.text("survey.noAnswers", lang)))</p>"
        } else {
            h += "<table class=\"survey\"><thead><tr>"
            h += SurveyResults.headings(lang).map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
            for row in r.rows(lang) {
                h +=
                    "<tr>"
                    + row.enumerated().map { i, c in "<td\(i > 0 ? " class=\"num\"" : "")>\(e(c))</td>" }
                    .joined() + "</tr>"
            }
            h += "</tbody></table>"
        }
        let commented = r.groups.filter { !$0.comments.isEmpty && $0.group != SurveyResults.all }
        if !commented.isEmpty {
            h += "<h4>\(e(Catalogue.text("survey.comments", lang)))</h4>"
            for g in commented {
                h += "<p><b>\(e(SurveyResults.label(g.group, lang)))</b></p><ul class=\"comments\">"
                h += g.comments.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
            }
        }
        if r.withheld > 0 {
            h += "<p class=\"hint\">\(e(Catalogue.format("survey.withheld", lang, String(r.withheld))))</p>"
        }
        return h + "</section>"
    }
}
