import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The console's HTML: everything from the database or a request goes through `escape` (`HTMLText.escape`, shared
/// with the review report).
enum HTML {
    static func escape(_ s: String) -> String { HTMLText.escape(s) }

    /// A whole page: the console's frame (navigation for the user's role) around `body`.
    static func page(title: String, user: SessionUser?, active: String = "", body: String, script: String? = nil)
        -> String
    {
        var nav = ""
        if let user {
            var links: [(String, String, String)] = user.role.queues.map {
                ("/console/queue/\($0.rawValue)", "queue-\($0.rawValue)", "Queue \($0.rawValue)")
            }
            if AccessPolicy.allows(user.role, .readAlerts) { links.append(("/console/map", "map", "Kaart")) }
            if AccessPolicy.allows(user.role, .readDossiers) {
                links.append(("/console/dossiers", "dossiers", "Dossiers"))
            }
            if AccessPolicy.allows(user.role, .readReviews) { links.append(("/console/reviews", "reviews", "Reviews")) }
            if AccessPolicy.allows(user.role, .readLatency) { links.append(("/console/latency", "latency", "Latency")) }
            if AccessPolicy.allows(user.role, .readAudit) { links.append(("/console/audit", "audit", "Audit")) }
            links.append(("/console/survey", "survey", "Enquête"))
            if AccessPolicy.allows(user.role, .readEvaluation) {
                links.append(("/console/evaluation", "evaluation", "Evaluatie"))
            }
            nav = """
                <nav class="top"><span class="brand">Seinhuis</span>
                \(links.map { #"<a href="\#($0.0)"\#($0.1 == active ? #" class="active""# : "")>\#(escape($0.2))</a>"# }.joined())
                <span class="who">\(escape(user.name)) · \(escape(user.role.rawValue))
                <form method="post" action="/logout" class="inline"><button class="link" type="submit">Sign out</button></form></span></nav>
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Seinhuis</title><link rel="stylesheet" href="/console/console.css"></head>
            <body>\(nav)<main>\(body)</main>\(script.map { #"<script src="/console/console.js"></script><script>\#($0)</script>"# } ?? "")</body></html>
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

    static func severityBadge(_ s: Severity) -> String {
        #"<span class="sev sev-\#(escape(s.rawValue))">\#(escape(s.rawValue))</span>"#
    }

    static func stateBadge(_ s: AlertState) -> String {
        #"<span class="state state-\#(s.rawValue)" data-field="state">\#(s.rawValue)</span>"#
    }

    static let radexBadge = #"<span class="radex" title="Radex dossier: faster signalling procedure">RADEX</span>"#
}
