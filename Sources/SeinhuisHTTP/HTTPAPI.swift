import Foundation
import Hummingbird
import SeinhuisCore
import SeinhuisStore

/// The HTTP endpoints of `serve`: Prometheus metrics, health, the alert catch-up API (PROTOCOL 4.3), an alert with its
/// action log, and the operators' actions (PROTOCOL 4.4), all behind the console's sessions and roles; the console's
/// own routes are in Console/. Documented in docs/API.md and docs/openapi.yaml (a test keeps it equal to `router`).
public enum HTTPAPI {
    /// Everything `serve` answers on HTTP: the open routes (/metrics, /healthz, login), the alert API behind the
    /// console's sessions and roles (`AccessPolicy`), the live stream, and the console's pages. `metrics` gives the
    /// Prometheus text of /metrics (the pipeline's registry), `isReady` whether the pipeline has loaded its state.
    /// `requestGuard` stands in front of every route (`RequestGuard`: origin, CSRF token, content type).
    public static func router(
        metrics: @escaping @Sendable () -> String, isReady: @escaping @Sendable () -> Bool = { true },
        changed: @escaping @Sendable () -> Void = {}, store: APIStore, live: LiveAlerts, sessions: Sessions,
        policy: RoutingPolicy = .v1, reviewScope: ReviewScope = .radex, requestGuard: RequestGuard = RequestGuard()
    )
        -> Router<ConsoleContext>
    {
        let router = Router(context: ConsoleContext.self)
        // First: Hummingbird applies a middleware only to the routes added after it.
        router.add(middleware: requestGuard)
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics() + requestGuard.refusals.text())))
        }
        router.get("/healthz") { _, _ -> String in "ok\n" }
        // Liveness above; readiness here: only once the pipeline has loaded its state (snapshot and journal after it)
        // and serves its sockets.
        router.get("/readyz") { _, _ -> Response in
            let ready = isReady()
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "starting\n")))
        }
        ConsoleAPI.addSessionRoutes(to: router, sessions: sessions)
        addAlertRoutes(to: router.requiring(.readAlerts, sessions), store: store, live: live)
        addActionRoutes(to: router.requiring(.actOnAlerts, sessions), store: store, live: live, changed: changed)
        addIncidentRoutes(to: router.requiring(.actOnAlerts, sessions), store: store, live: live, changed: changed)
        addChangeFeedRoute(to: router.requiring(.readAlerts, sessions), store: store)
        ConsoleAPI.addRoutes(
            to: router, store: store, live: live, sessions: sessions, policy: policy, reviewScope: reviewScope)
        HTTPReviewAPI.addRoutes(
            read: router.requiring(.readReviews, sessions), record: router.requiring(.recordReviews, sessions),
            store: store, scope: reviewScope)
        Pages.addRoutes(to: router, store: store, sessions: sessions, policy: policy, reviewScope: reviewScope)
        AuditAPI.addRoutes(to: router, store: store, sessions: sessions)
        SurveyAPI.addRoutes(to: router, store: store, sessions: sessions)
        SurveyPages.addRoutes(to: router, store: store, sessions: sessions)
        EvaluationPage.addRoutes(to: router, store: store, sessions: sessions, policy: policy)
        MapPage.addRoutes(
            page: router.requiring(.readAlerts, sessions, style: .page), api: router.requiring(.readAlerts, sessions),
            store: store)
        return router
    }

    /// The alert an id names, if the user's role may see it: the response to send otherwise (404 or 403).
    static func visibleAlert(_ id: String, _ user: SessionUser, _ store: APIStore) async throws -> Result<
        Alert, Failure
    > {
        guard let alert = try await store.with({ try $0.alert(id: id) }) else {
            return .failure(Failure(.notFound, "no alert \(id)"))
        }
        guard AccessPolicy.allows(user.role, alertQueues: alert.queues) else {
            return .failure(Failure(.forbidden, "\(id) is not in the queues of role \(user.role.rawValue)"))
        }
        return .success(alert)
    }

    static func addAlertRoutes(to routes: RouterGroup<ConsoleContext>, store: APIStore, live: LiveAlerts) {
        // Catch-up for consumers that were away (alerts of a queue after a given id, oldest first), and the
        // console's lists (order=newest, state=active).
        routes.get("/api/v1/alerts") { request, context -> Response in
            let user = try context.requireUser()
            let q = request.uri.queryParameters
            var filter = Store.AlertFilter()
            if let queue = q.get("queue") {
                guard let parsed = Queue(rawValue: queue) else {
                    return error(.badRequest, "unknown queue \(queue); one of \(Queue.allCases.map(\.rawValue))")
                }
                guard user.role.queues.contains(parsed) else {
                    return error(.forbidden, "role \(user.role.rawValue) may not read queue \(queue)")
                }
                filter.queue = parsed
            } else if user.role.queues.count == 1 {
                filter.queue = user.role.queues[0]
            }
            if let state = q.get("state") {
                if state == "active" {
                    filter.activeOnly = true
                } else {
                    guard let parsed = AlertState(rawValue: state) else {
                        return error(.badRequest, "unknown state \(state)")
                    }
                    filter.state = parsed
                }
            }
            if let order = q.get("order") {
                guard order == "newest" || order == "oldest" else {
                    return error(.badRequest, "order must be newest or oldest")
                }
                filter.newestFirst = order == "newest"
            }
            if let after = q.get("after") {
                // An id (`A-000000012`) or its number; anything else was once read as "after nothing".
                let digits = after.hasPrefix("A-") ? after.dropFirst(2) : Substring(after)
                guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
                    return error(.badRequest, "after must be an alert id (A-000000012) or its number, not \(after)")
                }
                filter.afterID = after
            }
            if let limit = q.get("limit") {
                // SQLite reads a negative LIMIT as none at all: refuse it rather than list everything.
                guard let n = Int(limit), n >= 0 else {
                    return error(.badRequest, "limit must be a whole number from 0 to 10000")
                }
                filter.limit = min(n, 10_000)
            } else {
                filter.limit = 1000
            }
            let f = filter
            let alerts = try await store.with { try $0.alerts(f) }
            return json("[" + alerts.map(\.json).joined(separator: ",") + "]")
        }
        // One alert and its action log (who did what, when).
        routes.get("/api/v1/alerts/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            switch try await visibleAlert(id, try context.requireUser(), store) {
            case .failure(let f): return error(f.status, f.message)
            case .success(let alert):
                // Not a view of the dossier (the alert and its log only; the console's script reloads it after
                // every change): `/context` and the alert page are, and are audited.
                let actions = try await store.with { try $0.actions(alertID: id) }
                var o = JSONObjectWriter()
                o.raw("alert", alert.json)
                o.raw("actions", "[" + actions.map(\.json).joined(separator: ",") + "]")
                return json(o.finish())
            }
        }
    }

    static func addActionRoutes(
        to routes: RouterGroup<ConsoleContext>, store: APIStore, live: LiveAlerts, changed: @escaping @Sendable () -> Void
    ) {
        // The operators' actions (PROTOCOL 4.4), each recorded with the signed-in user and the time.
        routes.post("/api/v1/alerts/{id}/ack") { request, context -> Response in
            try await act(request, context, store, live, changed) { body in
                guard body.measure == nil, body.note == nil else {
                    throw Failure(
                        .badRequest,
                        "ack takes no measure or note; record a measure (and a note) with /respond or /close")
                }
                return .acknowledge
            }
        }
        routes.post("/api/v1/alerts/{id}/respond") { request, context -> Response in
            try await act(request, context, store, live, changed) { body in
                guard let name = body.measure else {
                    throw Failure(.badRequest, "respond needs a \"measure\": one of \(measureNames)")
                }
                return .respond(try measure(name), note: try note(body.note))
            }
        }
        routes.post("/api/v1/alerts/{id}/close") { request, context -> Response in
            try await act(request, context, store, live, changed) { body in
                .close(try body.measure.map(measure), note: try note(body.note))
            }
        }
    }

    // MARK: actions

    /// The body of an action. Who acts is the signed-in user; a `by` field is ignored. `queue`: the queue acted for
    /// (PROTOCOL 4.4); a role with one queue acts for it, an administrator names one (also `?queue=`).
    struct ActionBody: Decodable, Sendable {
        var measure: String?
        var note: String?
        var queue: String?
    }

    /// A request refused before it reaches the store.
    struct Failure: Error {
        var status: HTTPResponse.Status
        var message: String
        init(_ status: HTTPResponse.Status, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    /// What the store made of an action.
    enum Outcome: Sendable {
        case done(Alert, [ActionRecord])
        case unknownAlert
        case refused(String)
    }

    static let maxBodyBytes = 64 * 1024
    static let maxNoteLength = 4000
    static let measureNames = Measure.allCases.map(\.rawValue).joined(separator: ", ")

    /// The queue an action is for: the role's own, or (an administrator) the one named. Fails with 400 or 403.
    static func queue(for user: SessionUser, named: String?) throws(Failure) -> Queue {
        var wanted: Queue?
        if let named {
            guard let q = Queue(rawValue: named) else {
                throw Failure(.badRequest, "unknown queue \(named); one of \(Queue.allCases.map(\.rawValue))")
            }
            wanted = q
        }
        let own = user.role.queues
        if let wanted {
            guard own.contains(wanted) else {
                throw Failure(.forbidden, "role \(user.role.rawValue) may not act for queue \(wanted.rawValue)")
            }
            return wanted
        }
        guard own.count == 1 else {
            throw Failure(.badRequest, "name the queue to act for (\"queue\" in the body, or ?queue=)")
        }
        return own[0]
    }

    /// Decodes the body, applies the action for the caller's queue at the server's wall clock in the name of the
    /// signed-in user, and answers 200 with the alert and the entries recorded, 400 for a bad body, 403 for an alert
    /// outside the role's queues or another role's queue, 404 for an unknown alert, 409 for an action that does not
    /// apply (the alert never reached the queue, or the queue has closed it). Every console following one of the
    /// alert's queues sees the new state at once; serve publishes it with a new rev.
    static func act(
        _ request: Request, _ context: ConsoleContext, _ store: APIStore, _ live: LiveAlerts,
        _ changed: @escaping @Sendable () -> Void, _ makeAction: (ActionBody) throws -> AlertAction
    ) async throws -> Response {
        let (id, action, actor): (String, AlertAction, ActingUser)
        switch try await understand(request, context, store, makeAction) {
        case .failure(let refusal): return refusal.response
        case .success(let asked): (id, action, actor) = asked
        }
        let outcome = try await store.with { s -> Outcome in
            guard try s.alert(id: id) != nil else { return .unknownAlert }
            do {
                let (alert, log) = try s.act(action, on: id, as: actor, at: WallClock.now())
                return .done(alert, log)
            } catch let e as AlertActionError {
                return .refused(e.description)
            }
        }
        switch outcome {
        case .unknownAlert:
            return error(.notFound, "no alert \(id)")
        case .refused(let message):
            return error(.conflict, "\(id): \(message)")
        case .done(let alert, let log):
            if !log.isEmpty {
                live.publish(alert)
                changed()
            }
            var o = JSONObjectWriter()
            o.raw("alert", alert.json)
            o.strings("recorded", log.map(\.kind.rawValue))
            return json(o.finish())
        }
    }

    /// A refusal before the store is asked, as the response to send.
    struct Refusal: Error {
        var response: Response
    }

    /// What an action request asks: the alert (the path's `id`, which the caller's role must see: checked first, so
    /// a role outside the alert's queues learns nothing from the body's validation), the action, and who acts for
    /// which queue. A refusal (400, 403, 404) otherwise.
    static func understand(
        _ request: Request, _ context: ConsoleContext, _ store: APIStore, _ makeAction: (ActionBody) throws -> AlertAction
    ) async throws -> Result<(String, AlertAction, ActingUser), Refusal> {
        let id = try context.parameters.require("id")
        let user = try context.requireUser()
        if case .failure(let f) = try await visibleAlert(id, user, store) {
            return .failure(Refusal(response: error(f.status, f.message)))
        }
        do {
            let body = try await decode(request)
            let q = try queue(for: user, named: body.queue ?? request.uri.queryParameters.get("queue"))
            let action = try makeAction(body)
            return .success((id, action, ActingUser(name: user.name, role: user.role.rawValue, queue: q)))
        } catch let f as Failure {
            return .failure(Refusal(response: error(f.status, f.message)))
        }
    }

    static func decode(_ request: Request) async throws -> ActionBody {
        let buffer = try await RequestBody.read(request, limit: maxBodyBytes)
        // An empty body is an empty object: `ack` needs nothing more than the session.
        guard buffer.readableBytes > 0 else { return ActionBody() }
        do {
            return try JSONDecoder().decode(ActionBody.self, from: Data(buffer.readableBytesView))
        } catch let e as DecodingError {
            throw Failure(.badRequest, describe(e))
        }
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c):
            let field = c.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? "the body must be a JSON object" : "\"\(field)\" must be a string"
        case .dataCorrupted:
            return "the body is not valid JSON"
        @unknown default:
            return "the body could not be read"
        }
    }

    static func measure(_ name: String) throws(Failure) -> Measure {
        guard let m = Measure(rawValue: name) else {
            throw Failure(.badRequest, "unknown measure \"\(name)\"; one of \(measureNames)")
        }
        return m
    }

    static func note(_ note: String?) throws(Failure) -> String? {
        guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        guard note.count <= maxNoteLength else {
            throw Failure(.badRequest, "\"note\" must be at most \(maxNoteLength) characters")
        }
        return note
    }

    // MARK: responses

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var o = JSONObjectWriter()
        o.string("error", message)
        return json(o.finish(), status: status)
    }
}
