import Foundation
import Hummingbird
import Logging
import SeinhuisCore
import SeinhuisStore

/// The HTTP endpoints of `serve`: Prometheus metrics, health, the alert catch-up API (PROTOCOL 4.3), an alert with its
/// action log, and the operators' actions (PROTOCOL 4.4). Documented in docs/API.md.
enum HTTPAPI {
    static func router(metrics: PipelineMetrics, store: APIStore, reviewScope: ReviewScope = .radex)
        -> Router<BasicRequestContext>
    {
        let router = Router()
        HTTPReviewAPI.addRoutes(to: router, store: store, scope: reviewScope)
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/healthz") { _, _ -> String in "ok\n" }
        // Catch-up for consumers that were away: alerts of a queue after a given id, oldest first.
        router.get("/api/v1/alerts") { request, _ -> Response in
            let q = request.uri.queryParameters
            var filter = Store.AlertFilter()
            if let queue = q.get("queue") {
                guard let parsed = Queue(rawValue: queue) else {
                    return error(.badRequest, "unknown queue \(queue); one of \(Queue.allCases.map(\.rawValue))")
                }
                filter.queue = parsed
            }
            if let state = q.get("state") {
                guard let parsed = AlertState(rawValue: state) else {
                    return error(.badRequest, "unknown state \(state)")
                }
                filter.state = parsed
            }
            filter.afterID = q.get("after")
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
        router.get("/api/v1/alerts/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            let found = try await store.with { s -> (Alert, [StoredAction])? in
                guard let alert = try s.alert(id: id) else { return nil }
                return (alert, try s.actions(alertID: id))
            }
            guard let (alert, actions) = found else { return error(.notFound, "no alert \(id)") }
            var o = JSONObjectWriter()
            o.raw("alert", alert.json)
            o.raw("actions", "[" + actions.map(\.json).joined(separator: ",") + "]")
            return json(o.finish())
        }
        // The operators' actions (PROTOCOL 4.4), each recorded with who and when.
        router.post("/api/v1/alerts/{id}/ack") { request, context -> Response in
            try await act(request, context, store) { body in
                guard body.measure == nil, body.note == nil else {
                    throw Failure(
                        .badRequest, "ack takes only \"by\"; record a measure (and a note) with /respond or /close")
                }
                return .acknowledge
            }
        }
        router.post("/api/v1/alerts/{id}/respond") { request, context -> Response in
            try await act(request, context, store) { body in
                guard let name = body.measure else {
                    throw Failure(.badRequest, "respond needs a \"measure\": one of \(measureNames)")
                }
                return .respond(try measure(name), note: try note(body.note))
            }
        }
        router.post("/api/v1/alerts/{id}/close") { request, context -> Response in
            try await act(request, context, store) { body in
                .close(try body.measure.map(measure), note: try note(body.note))
            }
        }
        return router
    }

    // MARK: actions

    /// The body of an action. `by` is required until the console's login session supplies the actor.
    struct ActionBody: Decodable, Sendable {
        var by: String?
        var measure: String?
        var note: String?
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
    static let maxActorLength = 128
    static let maxNoteLength = 4000
    static let measureNames = Measure.allCases.map(\.rawValue).joined(separator: ", ")

    /// Decodes the body, applies the action at the server's wall clock, and answers 200 with the alert and the entries
    /// recorded, 400 for a bad body, 404 for an unknown alert, 409 for an action that does not apply.
    static func act(
        _ request: Request, _ context: BasicRequestContext, _ store: APIStore,
        _ makeAction: (ActionBody) throws -> AlertAction
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        let action: AlertAction
        let actor: String
        do {
            let body = try await decode(request)
            actor = try self.actor(body.by)
            action = try makeAction(body)
        } catch let f as Failure {
            return error(f.status, f.message)
        }
        let outcome = try await store.with { s -> Outcome in
            guard try s.alert(id: id) != nil else { return .unknownAlert }
            do {
                let (alert, log) = try s.act(action, on: id, by: actor, at: WallClock.now())
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
            var o = JSONObjectWriter()
            o.raw("alert", alert.json)
            o.strings("recorded", log.map(\.kind.rawValue))
            return json(o.finish())
        }
    }

    static func decode(_ request: Request) async throws -> ActionBody {
        var buffer = ByteBuffer()
        for try await var chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                throw Failure(.contentTooLarge, "the body is larger than \(maxBodyBytes) bytes")
            }
            buffer.writeBuffer(&chunk)
        }
        guard buffer.readableBytes > 0 else {
            throw Failure(.badRequest, #"a JSON body is required, e.g. {"by": "anna"}"#)
        }
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

    static func actor(_ by: String?) throws(Failure) -> String {
        let name = (by ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw Failure(
                .badRequest, "\"by\" is required: who takes the action (until the console's login supplies it)")
        }
        guard name.count <= maxActorLength,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw Failure(
                .badRequest, "\"by\" must be at most \(maxActorLength) characters, without control characters")
        }
        return name
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
