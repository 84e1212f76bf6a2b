import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The console's JSON routes beside the alert API: sessions, the live stream, an alert's context, the dossier
/// overview and the latency figures. Documented in docs/API.md and docs/openapi.yaml.
enum ConsoleAPI {
    /// A login's body, from a program or the login page's script (`next`: where the page goes afterwards).
    struct LoginBody: Decodable {
        var user: String
        var password: String
        var next: String?
    }

    /// What a login request came to: a session, or the answer to send (400, 401, or 429 with `Retry-After`).
    enum SignIn {
        case signedIn(token: String, user: SessionUser, next: String?)
        case answer(Response)
    }

    /// Reads the JSON body and signs in from the connection's address (the login throttle counts by it).
    static func signIn(_ request: Request, _ context: ConsoleContext, _ sessions: Sessions) async throws -> SignIn {
        let body: LoginBody
        do {
            body = try await request.decode(as: LoginBody.self, context: context)
        } catch {
            return .answer(HTTPAPI.error(.badRequest, #"the body must be {"user": NAME, "password": PASSWORD}"#))
        }
        switch try await sessions.login(name: body.user, password: body.password, from: context.sourceAddress) {
        case .refused:
            let reason = Catalogue.text("console.loginRefused", ConsoleLanguage.of(request, user: nil))
            return .answer(HTTPAPI.error(.unauthorized, reason))
        case .throttled(let seconds):
            var response = HTTPAPI.error(.tooManyRequests, Pages.throttledMessage(seconds, ConsoleLanguage.of(request, user: nil)))
            response.headers[.retryAfter] = String(seconds)
            return .answer(response)
        case .signedIn(let token, let user): return .signedIn(token: token, user: user, next: body.next)
        }
    }

    static func addSessionRoutes(to router: Router<ConsoleContext>, sessions: Sessions) {
        // JSON login for programs (a CIC's catch-up client): the token comes back for an Authorization header, and
        // as the session cookie.
        router.post("/api/v1/login") { request, context -> Response in
            let token: String
            let user: SessionUser
            switch try await signIn(request, context, sessions) {
            case .answer(let response): return response
            case .signedIn(let t, let u, _): (token, user) = (t, u)
            }
            var o = JSONObjectWriter()
            o.string("token", token)
            o.string("user", user.name)
            o.string("role", user.role.rawValue)
            o.string("expires_at", user.expiresAt.rfc3339)
            o.string("csrf_token", CSRFToken.of(session: token))
            var response = HTTPAPI.json(o.finish())
            response.setCookie(Sessions.cookie(token, maxAge: Int(sessions.lifetimeSeconds)))
            return response
        }
        router.post("/api/v1/logout") { request, _ -> Response in
            try await sessions.logout(request)
            var response = Response(status: .noContent)
            response.setCookie(Sessions.cookie("", maxAge: 0))
            return response
        }
        router.requiring(Set(Role.allCases), sessions).get("/api/v1/me") { request, context -> Response in
            let user = try context.requireUser()
            var o = JSONObjectWriter()
            o.string("user", user.name)
            o.string("role", user.role.rawValue)
            o.strings("queues", user.role.queues.map(\.rawValue))
            o.strings("permissions", Permission.allCases.filter { AccessPolicy.allows(user.role, $0) }.map(\.rawValue))
            o.string("expires_at", user.expiresAt.rfc3339)
            o.string("language", user.language)
            o.string("display_language", ConsoleLanguage.of(request, user: user).rawValue)
            // For the console's script: its mutating requests send it as X-CSRF-Token (RequestGuard).
            if let token = Sessions.token(request) { o.string("csrf_token", CSRFToken.of(session: token)) }
            return HTTPAPI.json(o.finish())
        }
        addLanguageRoute(to: router, sessions: sessions)
    }

    /// The body of `PUT /api/v1/me/language`: `nl`, `fr`, `en`, or null for none (the browser's language, else Dutch).
    struct LanguageBody: Decodable { var language: String? }

    /// The signed-in user's language preference: stored with the account, audited as `user.language`.
    static func addLanguageRoute(to router: Router<ConsoleContext>, sessions: Sessions) {
        router.requiring(Set(Role.allCases), sessions).put("/api/v1/me/language") { request, context -> Response in
            let user = try context.requireUser()
            let body: LanguageBody
            do {
                body = try await request.decode(as: LanguageBody.self, context: context)
            } catch {
                return HTTPAPI.error(.badRequest, #"the body must be {"language": "nl"|"fr"|"en"|null}"#)
            }
            var chosen: Language?
            if let tag = body.language {
                guard let l = Language(rawValue: tag) else {
                    return HTTPAPI.error(.badRequest, "language must be one of nl, fr, en (or null), not \(tag)")
                }
                chosen = l
            }
            let now = WallClock.now()
            try await sessions.store.with {
                try $0.setLanguage(
                    name: user.name, chosen?.rawValue, by: user.name, actorRole: user.role.rawValue, at: now)
            }
            var o = JSONObjectWriter()
            o.string("user", user.name)
            o.string("language", chosen?.rawValue)
            return HTTPAPI.json(o.finish())
        }
    }

    static func addRoutes(
        to router: Router<ConsoleContext>, store: APIStore, live: LiveAlerts, sessions: Sessions, policy: RoutingPolicy,
        reviewScope: ReviewScope
    ) {
        let readers = router.requiring(.readAlerts, sessions)
        // Server-Sent Events: every publication of an alert that reaches the queue, from now on.
        readers.get("/api/v1/stream") { request, context -> Response in
            let user = try context.requireUser()
            guard let name = request.uri.queryParameters.get("queue"), let queue = Queue(rawValue: name) else {
                return HTTPAPI.error(.badRequest, "queue is required: one of \(Queue.allCases.map(\.rawValue))")
            }
            guard user.role.queues.contains(queue) else {
                return HTTPAPI.error(.forbidden, "role \(user.role.rawValue) may not follow queue \(name)")
            }
            let stream = live.follow(queue)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no",
                ],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "retry: 2000\n: following \(name)\n\n"))
                    for await message in stream {
                        switch message {
                        case .alert(let json):
                            try await writer.write(ByteBuffer(string: "event: alert\ndata: \(json)\n\n"))
                        case .keepAlive: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }
        readers.get("/api/v1/alerts/{id}/context") { _, context -> Response in
            let user = try context.requireUser()
            let id = try context.parameters.require("id")
            switch try await HTTPAPI.visibleAlert(id, user, store) {
            case .failure(let f): return HTTPAPI.error(f.status, f.message)
            case .success(let alert):
                let ctx = try await store.with {
                    try AuditAPI.dossierViewed(alert, by: user, via: "api context", $0)
                    return try AlertContext.load(alert, role: user.role, store: $0)
                }
                return HTTPAPI.json(ctx.json)
            }
        }
        // The overview of ET dossiers (docs/REVIEW.md): review position, open alerts, last contact per device.
        router.requiring(.readDossiers, sessions).get("/api/v1/dossiers") { request, _ -> Response in
            let radexOnly = request.uri.queryParameters.get("radex") == "true"
            let rows = try await store.with {
                try ReviewDesk.overview($0, radexOnly: radexOnly, at: WallClock.now(), scope: reviewScope)
            }
            return HTTPAPI.json("[" + rows.map(\.json).joined(separator: ",") + "]")
        }
        router.requiring(.readLatency, sessions).get("/api/v1/latency") { request, _ -> Response in
            let query: LatencyQuery
            switch LatencyQuery.parse(request.uri.queryParameters, policy: policy) {
            case .failure(let f): return HTTPAPI.error(f.status, f.message)
            case .success(let q): query = q
            }
            let rows = try await store.with { try query.rows($0) }
            return HTTPAPI.json("[" + rows.map { $0.json() }.joined(separator: ",") + "]")
        }
    }
}
