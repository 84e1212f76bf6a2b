import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The evaluation in the console (`/console/evaluation`, the roles that read the evaluation): a form for the
/// versions and the period, the report's sections, and a link to the printable report (`/console/evaluation/report`,
/// the same page `seinhuis report evaluation` writes).
enum EvaluationPage {
    static func addRoutes(to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions, policy: RoutingPolicy)
    {
        let readers = router.requiring(.readEvaluation, sessions, style: .page)
        readers.get("/console/evaluation") { request, context in
            try await respond(request, context, store: store, policy: policy, printable: false)
        }
        readers.get("/console/evaluation/report") { request, context in
            try await respond(request, context, store: store, policy: policy, printable: true)
        }
    }

    static func respond(
        _ request: Request, _ context: ConsoleContext, store: APIStore, policy: RoutingPolicy, printable: Bool
    ) async throws -> Response {
        let user = try context.requireUser()
        let lang = ConsoleLanguage.of(request, user: user)
        let q = request.uri.queryParameters
        let title = Catalogue.text("evaluation.title", lang)
        var times: [Timestamp?] = []
        for name in ["from", "to"] {
            guard let text = q.get(name), !text.isEmpty else {
                times.append(nil)
                continue
            }
            guard let t = LatencyQuery.time(text) else {
                return HTML.response(
                    Pages.message(title, user, lang, "\(name) must be a date (2027-01-01) or an RFC 3339 time"),
                    status: .badRequest)
            }
            times.append(t)
        }
        let versions = try await store.with { try $0.alertPolicyVersions() }
        let before = q.get("before").flatMap { $0.isEmpty ? nil : $0 }
        let after = q.get("after").flatMap { $0.isEmpty ? nil : $0 }
        var report = ""
        if let before, let after {
            let (from, to) = (times[0], times[1])
            let outcome = try await store.with { s -> Result<Evaluation, EvaluationError> in
                do {
                    return .success(
                        try Evaluation.make(
                            s, before: before, after: after, from: from, to: to, query: LatencyQuery(policy: policy),
                            whatIf: nil, at: WallClock.now()))
                } catch let e as EvaluationError {
                    return .failure(e)
                }
            }
            switch outcome {
            case .failure(let e):
                return HTML.response(Pages.message(title, user, lang, e.description), status: .badRequest)
            case .success(let evaluation):
                if printable { return HTML.response(EvaluationHTML.render(evaluation, lang)) }
                report = EvaluationHTML.body(evaluation, lang)
            }
        }
        let body = "<h1>\(HTML.escape(title))</h1>" + form(q, versions: versions, lang: lang) + report
        return HTML.response(HTML.page(title: title, user: user, lang: lang, active: "evaluation", body: body))
    }

    static func form(_ q: Parameters, versions: [String], lang: Language) -> String {
        let e = HTML.escape
        func select(_ name: String, _ fallback: String?) -> String {
            let chosen = q.get(name) ?? fallback
            let options = versions.map {
                "<option\($0 == chosen ? " selected" : "")>\(e($0))</option>"
            }.joined()
            return "<select name=\"\(name)\">\(options)</select>"
        }
        func date(_ name: String, _ key: String) -> String {
            let v = e(String((q.get(name) ?? "").prefix(10)))
            return
                "<label>\(e(Catalogue.text(key, lang))) <input type=\"date\" name=\"\(name)\" value=\"\(v)\"></label>"
        }
        var h =
            "<p class=\"hint\">\(e(Catalogue.format("evaluation.choose", lang, versions.joined(separator: ", "))))</p>"
        h += "<form class=\"period\" method=\"get\" action=\"/console/evaluation\">"
        h +=
            "<label>\(e(Catalogue.text("evaluation.beforeLabel", lang))) \(select("before", versions.first))</label>"
        h +=
            "<label>\(e(Catalogue.text("evaluation.afterLabel", lang))) \(select("after", versions.last))</label>"
        h += date("from", "evaluation.from") + date("to", "evaluation.to")
        h += "<button type=\"submit\">\(e(Catalogue.text("evaluation.show", lang)))</button></form>"
        if q.get("before") != nil, q.get("after") != nil {
            let query = ["before", "after", "from", "to"].compactMap { k in
                q.get(k).map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            }.joined(separator: "&")
            h +=
                "<p><a href=\"/console/evaluation/report?\(e(query))\">\(e(Catalogue.text("evaluation.printable", lang)))</a></p>"
        }
        return h
    }
}
