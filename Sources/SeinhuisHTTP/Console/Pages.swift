import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The console's pages: server-rendered HTML, one stylesheet and one small script, nothing external. Every page
/// checks the session and the role on the server (`RequireRole`); its data comes from the same store the API reads.
enum Pages {
    static func addRoutes(
        to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions, policy: RoutingPolicy,
        reviewScope: ReviewScope
    ) {
        router.get("/console/console.css") { _, _ in asset(Assets.css, "text/css; charset=utf-8") }
        router.get("/console/console.js") { _, _ in asset(Assets.js, "text/javascript; charset=utf-8") }
        addSignInRoutes(to: router, sessions: sessions)
        addAlertPages(to: router.requiring(.readAlerts, sessions, style: .page), store: store)
        addReviewPages(to: router, store: store, sessions: sessions, reviewScope: reviewScope)
        router.requiring(.readLatency, sessions, style: .page).get("/console/latency") { request, context in
            let user = try context.requireUser()
            let lang = ConsoleLanguage.of(request, user: user)
            switch LatencyQuery.parse(request.uri.queryParameters, policy: policy) {
            case .failure(let f):
                return HTML.response(
                    message(Catalogue.text("console.latency", lang), user, lang, f.message), status: f.status)
            case .success(let query):
                let records = try await store.with { try query.records($0) }
                return HTML.response(
                    LatencyPage.render(
                        records, query: query, policy: policy, params: request.uri.queryParameters, user: user,
                        lang: lang))
            }
        }
    }

    /// `/` (to the user's home, or to sign in), the login page and form, and signing out.
    static func addSignInRoutes(to router: Router<ConsoleContext>, sessions: Sessions) {
        router.get("/") { request, _ -> Response in
            guard let user = try await sessions.user(for: request) else { return redirect("/login") }
            return redirect(home(user))
        }
        router.get("/login") { request, _ -> Response in
            HTML.response(
                loginPage(next: request.uri.queryParameters.get("next"), lang: ConsoleLanguage.of(request, user: nil)))
        }
        // The login page's script posts JSON (RequestGuard refuses a form's body) and goes to `location`.
        router.post("/login") { request, context -> Response in
            let token: String
            let user: SessionUser
            let next: String?
            switch try await ConsoleAPI.signIn(request, context, sessions) {
            case .answer(let response): return response
            case .signedIn(let t, let u, let n): (token, user, next) = (t, u, n)
            }
            var o = JSONObjectWriter()
            o.string("location", safeNext(next) ?? home(user))
            o.string("csrf_token", CSRFToken.of(session: token))
            var response = HTTPAPI.json(o.finish())
            response.setCookie(Sessions.cookie(token, maxAge: Int(sessions.lifetimeSeconds)))
            return response
        }
        router.post("/logout") { request, _ -> Response in
            try await sessions.logout(request)
            var response = redirect("/login")
            response.setCookie(Sessions.cookie("", maxAge: 0))
            return response
        }
    }

    /// A live queue, and an alert's detail (for the roles that read alerts; `readers` checks the session).
    static func addAlertPages(to readers: RouterGroup<ConsoleContext>, store: APIStore) {
        readers.get("/console/queue/{queue}") { request, context -> Response in
            let user = try context.requireUser()
            let lang = ConsoleLanguage.of(request, user: user)
            guard let queue = Queue(rawValue: try context.parameters.require("queue")) else {
                return HTML.response(
                    message(
                        Catalogue.text("console.noSuchQueue", lang), user, lang,
                        Catalogue.text("console.noSuchQueueText", lang)), status: .notFound)
            }
            guard user.role.queues.contains(queue) else { return refused(user, lang) }
            return HTML.response(QueuePage.render(queue: queue, user: user, lang: lang))
        }
        readers.get("/console/alert/{id}") { request, context -> Response in
            let user = try context.requireUser()
            let lang = ConsoleLanguage.of(request, user: user)
            let id = try context.parameters.require("id")
            switch try await HTTPAPI.visibleAlert(id, user, store) {
            case .failure(let f):
                return HTML.response(
                    message(Catalogue.format("console.alertTitle", lang, id), user, lang, f.message), status: f.status)
            case .success(let alert):
                let ctx = try await store.with {
                    try AuditAPI.dossierViewed(alert, by: user, via: "console", $0)
                    return try AlertContext.load(alert, role: user.role, store: $0)
                }
                return HTML.response(AlertPage.render(ctx, user: user, lang: lang))
            }
        }
    }

    /// The dossier overview and the cell's review list.
    static func addReviewPages(
        to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions, reviewScope: ReviewScope
    ) {
        router.requiring(.readDossiers, sessions, style: .page).get("/console/dossiers") { request, context in
            let user = try context.requireUser()
            let radexOnly = request.uri.queryParameters.get("radex") == "1"
            let rows = try await store.with {
                try ReviewDesk.overview($0, radexOnly: radexOnly, at: WallClock.now(), scope: reviewScope)
            }
            return HTML.response(
                DossierPage.render(
                    rows, user: user, lang: ConsoleLanguage.of(request, user: user), radexOnly: radexOnly))
        }
        router.requiring(.readReviews, sessions, style: .page).get("/console/reviews") { request, context in
            let user = try context.requireUser()
            let now = WallClock.now()
            let (rows, latest) = try await store.with { s in
                let rows = try ReviewDesk.overview(s, radexOnly: false, at: now, scope: reviewScope)
                // Reviews come oldest first per dossier: the last one seen is the latest.
                let latest = Dictionary(
                    try s.reviews().map { ($0.review.dossier, $0) }, uniquingKeysWith: { _, b in b })
                return (rows, latest)
            }
            let today = LocalDate(
                daysSinceEpoch: (LocalClock(identifier: Dossier.defaultTimeZone)!).localDay(at: now.milliseconds))
            return HTML.response(
                ReviewListPage.render(
                    rows, latest: latest, user: user, lang: ConsoleLanguage.of(request, user: user),
                    today: today.description))
        }
    }

    static func home(_ user: SessionUser) -> String { "/console/queue/\(user.role.queues[0].rawValue)" }

    static func redirect(_ to: String) -> Response {
        Response(status: .seeOther, headers: [.location: to])
    }

    /// Only a path on this server (no `//host`, no scheme): a login link cannot send anyone elsewhere.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }

    static func asset(_ text: String, _ type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func throttledMessage(_ seconds: Int, _ lang: Language) -> String {
        Catalogue.format("console.throttled", lang, String(seconds))
    }

    /// The login form; its script (`Console.login`) posts it as JSON and shows a refusal in `#login-error`.
    static func loginPage(next: String?, lang: Language) -> String {
        let body = """
            <section class="login"><h1>Seinhuis</h1><p class="sub">\(tr("console.tagline", lang))</p>
            <p class="error" role="alert" id="login-error" hidden></p>
            <form method="post" action="/login" id="login">
            <label>\(tr("console.user", lang)) <input name="user" id="user" autocomplete="username" required autofocus></label>
            <label>\(tr("console.password", lang)) <input name="password" id="password" type="password" autocomplete="current-password" required></label>
            \(safeNext(next).map { #"<input type="hidden" name="next" value="\#(HTML.escape($0))">"# } ?? "")
            <button type="submit" class="primary">\(tr("console.signIn", lang))</button></form>
            <p class="hint">\(tr("console.accountsHint", lang)) <code>seinhuis user add NAME --role ROLE</code>.</p></section>
            """
        return HTML.page(
            title: Catalogue.text("console.signIn", lang), user: nil, lang: lang, body: body, script: "Console.login();")
    }

    static func message(_ title: String, _ user: SessionUser, _ lang: Language, _ text: String) -> String {
        HTML.page(
            title: title, user: user, lang: lang, body: "<h1>\(HTML.escape(title))</h1><p>\(HTML.escape(text))</p>")
    }

    static func refused(_ user: SessionUser, _ lang: Language) -> Response {
        HTML.response(
            message(
                Catalogue.text("console.notForRole", lang), user, lang,
                Catalogue.format("console.notForRoleText", lang, ConsoleText.name("role", user.role.rawValue, lang))),
            status: .forbidden)
    }
}
