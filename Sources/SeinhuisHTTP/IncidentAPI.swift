import Hummingbird
import SeinhuisCore
import SeinhuisStore

/// (1.1) One action for a whole network incident (PROTOCOL 4.5): `POST /api/v1/incidents/{id}/respond` and
/// `/close` take the action on the incident and on every member alert of a non-Radex dossier that the caller's queue
/// has reached and not closed, in one transaction (`Store.actOnIncident`). Radex members are handled one by one.
extension HTTPAPI {
    static func addIncidentRoutes(
        to routes: RouterGroup<ConsoleContext>, store: APIStore, live: LiveAlerts, changed: @escaping @Sendable () -> Void
    ) {
        routes.post("/api/v1/incidents/{id}/respond") { request, context -> Response in
            try await actOnIncident(request, context, store, live, changed) { body in
                guard let name = body.measure else {
                    throw Failure(.badRequest, "respond needs a \"measure\": one of \(measureNames)")
                }
                return .respond(try measure(name), note: try note(body.note))
            }
        }
        routes.post("/api/v1/incidents/{id}/close") { request, context -> Response in
            try await actOnIncident(request, context, store, live, changed) { body in
                .close(try body.measure.map(measure), note: try note(body.note))
            }
        }
    }

    /// As `act`, for the incident and its non-Radex members: 200 with the incident, the members acted on and what
    /// was recorded on each; 404 for an unknown alert, 409 for an alert that is no incident or an action that does
    /// not apply to the incident itself (then nothing is recorded on any member).
    static func actOnIncident(
        _ request: Request, _ context: ConsoleContext, _ store: APIStore, _ live: LiveAlerts,
        _ changed: @escaping @Sendable () -> Void, _ makeAction: (ActionBody) throws -> AlertAction
    ) async throws -> Response {
        let (id, action, actor): (String, AlertAction, ActingUser)
        switch try await understand(request, context, store, makeAction) {
        case .failure(let refusal): return refusal.response
        case .success(let asked): (id, action, actor) = asked
        }
        let outcome = try await store.with { s -> Result<[(Alert, [ActionRecord])], AlertActionError> in
            do {
                return .success(try s.actOnIncident(action, incident: id, as: actor, at: WallClock.now()))
            } catch let e as AlertActionError {
                return .failure(e)
            }
        }
        switch outcome {
        case .failure(let e):
            return error(.conflict, "\(id): \(e.description)")
        case .success(let acted):
            for (alert, log) in acted where !log.isEmpty { live.publish(alert) }
            if acted.contains(where: { !$0.1.isEmpty }) { changed() }
            var o = JSONObjectWriter()
            o.raw("incident", acted[0].0.json)
            o.raw(
                "members",
                "["
                    + acted.dropFirst().map { alert, log in
                        var m = JSONObjectWriter()
                        m.string("id", alert.id)
                        m.strings("recorded", log.map(\.kind.rawValue))
                        return m.finish()
                    }.joined(separator: ",") + "]")
            return json(o.finish())
        }
    }
}
