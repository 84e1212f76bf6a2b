import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The survey in the console: the open round to answer (every account, `/console/survey`) and a round's results
/// (the roles that read the evaluation, `/console/survey/{id}`).
enum SurveyPages {
    static func addRoutes(to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions) {
        router.requiring(.answerSurveys, sessions, style: .page).get("/console/survey") { request, context in
            let user = try context.requireUser()
            let (rounds, answered) = try await store.with { s in
                let rounds = try s.surveyRounds()
                return (rounds, try rounds.first(where: \.isOpen).map { try s.hasAnswered($0.id, account: user.name) })
            }
            let lang = ConsoleLanguage.of(request, user: user)
            return HTML.response(page(rounds, answered: answered ?? false, user: user, lang: lang))
        }
        router.requiring(.readEvaluation, sessions, style: .page).get("/console/survey/{id}") { request, context in
            let user = try context.requireUser()
            let lang = ConsoleLanguage.of(request, user: user)
            let title = Catalogue.text("survey.results", lang)
            guard let id = Int64(try context.parameters.require("id")),
                let results = try await store.with({ try SurveyDesk.results($0, round: id) })
            else {
                return HTML.response(
                    Pages.message(title, user, lang, Catalogue.text("survey.noAnswers", lang)), status: .notFound)
            }
            let body = "<h1>\(HTML.escape(title))</h1>" + SurveyResultsHTML.section(results, lang)
            return HTML.response(HTML.page(title: title, user: user, lang: lang, active: "survey", body: body))
        }
    }

    /// The open round's form (or a word that there is none, or that the user answered it), and the rounds.
    static func page(_ rounds: [SurveyRound], answered: Bool, user: SessionUser, lang: Language) -> String {
        let e = HTML.escape
        let t = { (key: String) in e(Catalogue.text(key, lang)) }
        var body = "<h1>\(t("survey.pageTitle"))</h1>"
        if let open = rounds.first(where: \.isOpen) {
            body += "<h2>\(e(Catalogue.format("survey.round", lang, String(open.id), open.title(lang))))</h2>"
            if answered {
                body += "<p class=\"done\">\(t("survey.answeredAlready"))</p>"
            } else {
                body += form(open, lang)
            }
        } else {
            body += "<p>\(t("survey.noOpenRound"))</p>"
        }
        body +=
            "<p class=\"hint\">\(e(Catalogue.format("survey.privacy", lang, String(SurveyResults.minimumGroup))))</p>"
        if AccessPolicy.allows(user.role, .readEvaluation), !rounds.isEmpty {
            body += "<h2>\(t("survey.rounds"))</h2><ul class=\"rounds\">"
            for r in rounds {
                let state = r.isOpen ? t("survey.stateOpen") : t("survey.stateClosed")
                body +=
                    "<li><a href=\"/console/survey/\(r.id)\">\(e(Catalogue.format("survey.round", lang, String(r.id), r.title(lang))))</a>"
                body += " · \(state) · \(e(Catalogue.format("survey.answers", lang, String(r.answered))))</li>"
            }
            body += "</ul>"
        }
        return HTML.page(
            title: Catalogue.text("survey.pageTitle", lang), user: user, lang: lang, active: "survey", body: body,
            script: "Console.survey();")
    }

    /// The form's own look (the console's stylesheet is shared with the other session's pages).
    static let css = """
        #survey-form fieldset{border:1px solid #d1d5db;border-radius:6px;margin:0 0 10px;padding:8px 12px;max-width:760px}
        #survey-form legend{font-weight:600;padding:0 4px}#survey-form fieldset label{display:inline-block;margin:0 10px}
        #survey-form .scale{color:#6b7280;font-size:12px;margin:0 6px}#survey-form label.wide{display:block;max-width:760px}
        #survey-form textarea{display:block;width:100%;margin-top:4px}#survey-form .buttons{max-width:760px}
        """

    /// One fieldset of five choices per question, a comment, and the button; `Console.survey` posts it as JSON.
    static func form(_ round: SurveyRound, _ lang: Language) -> String {
        let e = HTML.escape
        var h = "<style>\(css)</style><form id=\"survey-form\" data-action=\"/api/v1/surveys/\(round.id)/answers\">"
        h += "<p>\(e(Catalogue.text("survey.intro", lang)))</p>"
        for (i, q) in round.questions(lang).enumerated() {
            h += "<fieldset data-question=\"\(i + 1)\"><legend>\(i + 1). \(e(q))</legend>"
            h += "<span class=\"scale\">\(e(Catalogue.text("survey.scale1", lang)))</span>"
            for score in 1...5 {
                h += "<label><input type=\"radio\" name=\"q\(i + 1)\" value=\"\(score)\" required> \(score)</label>"
            }
            h += "<span class=\"scale\">\(e(Catalogue.text("survey.scale5", lang)))</span></fieldset>"
        }
        h += "<label class=\"wide\">\(e(Catalogue.text("survey.comment", lang)))"
        h += "<textarea id=\"sv-comment\" rows=\"3\" maxlength=\"\(SurveyDesk.maxCommentLength)\"></textarea></label>"
        h += "<p class=\"hint\">\(e(Catalogue.text("survey.commentHint", lang)))</p>"
        h += "<p class=\"error\" id=\"sv-error\" role=\"alert\" hidden></p>"
        h +=
            "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">\(e(Catalogue.text("survey.submit", lang)))</button></div></form>"
        h += "<p class=\"done\" id=\"sv-done\" hidden>\(e(Catalogue.text("survey.thanks", lang)))</p>"
        return h
    }
}
