import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The console's HTML: everything from the database or a request goes through `escape` (`HTMLText.escape`, shared
/// with the review report).
enum HTML {
    static func escape(_ s: String) -> String { HTMLText.escape(s) }

    /// A whole page in `lang`: the console's frame (navigation for the user's role, the language picker) around
    /// `body`. The script gets the catalogue's texts in `lang` as `T` (`#console-text`).
    static func page(
        title: String, user: SessionUser?, lang: Language, active: String = "", body: String, script: String? = nil
    ) -> String {
        let nav = user.map { navigation($0, lang, active: active) } ?? ""
        let run = [user == nil ? nil : "Console.nav();", script].compactMap { $0 }.joined(separator: " ")
        let scripts =
            run.isEmpty
            ? ""
            : #"<script type="application/json" id="console-text">\#(ConsoleText.script(lang))</script>"#
                + #"<script src="/console/console.js"></script><script>\#(run)</script>"#
        return """
            <!doctype html>
            <html lang="\(lang.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Seinhuis</title><link rel="stylesheet" href="/console/console.css"></head>
            <body>\(nav)<main>\(body)</main>\(scripts)</body></html>
            """
    }

    /// The navigation: the pages the role may open, the user, the language picker and sign-out.
    static func navigation(_ user: SessionUser, _ lang: Language, active: String) -> String {
        var links: [(String, String, String)] = user.role.queues.map {
            ("/console/queue/\($0.rawValue)", "queue-\($0.rawValue)",
                trf("console.queueLink", lang, ConsoleText.name("queue", $0.rawValue, lang)))
        }
        let more: [(Permission, String, String)] = [
            (.readAlerts, "map", "console.map"), (.readDossiers, "dossiers", "console.dossiers"),
            (.readReviews, "reviews", "console.reviews"), (.readLatency, "latency", "console.latency"),
            (.readAudit, "audit", "console.audit"), (.answerSurveys, "survey", "console.survey"),
            (.readEvaluation, "evaluation", "console.evaluation"),
        ]
        for (permission, page, key) in more where AccessPolicy.allows(user.role, permission) {
            links.append(("/console/\(page)", page, tr(key, lang)))
        }
        let options = Language.allCases.map {
            #"<option value="\#($0.rawValue)"\#($0 == lang ? " selected" : "")>\#(escape($0.name))</option>"#
        }.joined()
        return """
            <nav class="top"><span class="brand">Seinhuis</span>
            \(links.map { #"<a href="\#($0.0)"\#($0.1 == active ? #" class="active""# : "")>\#($0.2)</a>"# }.joined())
            <span class="who">\(escape(user.name)) · \(ConsoleText.name("role", user.role.rawValue, lang))
            <label class="lang">\(tr("common.language", lang)) <select id="lang-pick">\(options)</select></label>
            <form method="post" action="/logout" class="inline"><button class="link" type="submit">\(tr("console.signOut", lang))</button></form></span></nav>
            """
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // No external assets at all: the console works offline, and injected markup could load nothing.
                .contentSecurityPolicy:
                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A JSON value safe inside a `<script>` element (no `</script>` can end it early).
    static func scriptJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    static func severityBadge(_ s: Severity, _ lang: Language) -> String {
        #"<span class="sev sev-\#(escape(s.rawValue))">\#(ConsoleText.name("severity", s.rawValue, lang))</span>"#
    }

    static func stateBadge(_ s: AlertState, _ lang: Language) -> String {
        #"<span class="state state-\#(s.rawValue)" data-field="state" data-code="\#(s.rawValue)">\#(ConsoleText.name("state", s.rawValue, lang))</span>"#
    }

    static func radexBadge(_ lang: Language) -> String {
        #"<span class="radex" title="\#(tr("console.radexHint", lang))">RADEX</span>"#
    }
}
