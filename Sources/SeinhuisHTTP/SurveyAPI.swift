import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The survey's endpoints (docs/API.md, docs/SURVEY.md): the rounds, answering the open one (every console account,
/// once per round), and a round's results (the roles that read the evaluation).
enum SurveyAPI {
    static let maxBodyBytes = 16 * 1024

    struct AnswerBody: Decodable, Sendable {
        var answers: [Int]?
        var comment: String?
    }

    static func addRoutes(to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions) {
        let answerers = router.requiring(.answerSurveys, sessions)
        answerers.get("/api/v1/surveys") { request, context -> Response in
            let user = try context.requireUser()
            let lang = ConsoleLanguage.of(request, user: user)
            let body = try await store.with { s in
                try s.surveyRounds().map {
                    $0.json(answeredByYou: try s.hasAnswered($0.id, account: user.name), lang: lang)
                }
            }
            return HTTPAPI.json("[" + body.joined(separator: ",") + "]")
        }
        answerers.post("/api/v1/surveys/{id}/answers") { request, context -> Response in
            try await answer(request, context, store: store)
        }
        router.requiring(.readEvaluation, sessions).get("/api/v1/surveys/{id}/results") {
            request, context -> Response in
            guard let id = Int64(try context.parameters.require("id")) else {
                return HTTPAPI.error(.notFound, "no survey round \(try context.parameters.require("id"))")
            }
            guard let results = try await store.with({ try SurveyDesk.results($0, round: id) }) else {
                return HTTPAPI.error(.notFound, "no survey round \(id)")
            }
            return HTTPAPI.json(results.json(ConsoleLanguage.of(request, user: try context.requireUser())))
        }
    }

    /// `POST /api/v1/surveys/{id}/answers`: 201, 400 (a score outside 1-5, a question unanswered, a bad body),
    /// 404 (no such round), 409 (answered already, or the round is closed).
    static func answer(_ request: Request, _ context: ConsoleContext, store: APIStore) async throws -> Response {
        let user = try context.requireUser()
        let param = try context.parameters.require("id")
        guard let id = Int64(param) else { return HTTPAPI.error(.notFound, "no survey round \(param)") }
        let body: AnswerBody
        do {
            body = try await decode(request)
        } catch let f as HTTPAPI.Failure {
            return HTTPAPI.error(f.status, f.message)
        }
        let refusal = try await store.with { s -> SurveyError? in
            do {
                try SurveyDesk.answer(
                    s, round: id, account: user.name, role: user.role, scores: body.answers, comment: body.comment,
                    at: WallClock.now())
                return nil
            } catch let e as SurveyError {
                return e
            }
        }
        guard let refusal else {
            var o = JSONObjectWriter()
            o.int("round", id)
            o.bool("answered", true)
            return HTTPAPI.json(o.finish(), status: .created)
        }
        switch refusal.kind {
        case .unknownRound: return HTTPAPI.error(.notFound, refusal.description)
        case .closed, .answeredAlready: return HTTPAPI.error(.conflict, refusal.description)
        case .invalid: return HTTPAPI.error(.badRequest, refusal.description)
        }
    }

    static func decode(_ request: Request) async throws -> AnswerBody {
        let buffer = try await RequestBody.read(request, limit: maxBodyBytes)
        do {
            return try JSONDecoder().decode(AnswerBody.self, from: Data(buffer.readableBytesView))
        } catch {
            throw HTTPAPI.Failure(
                .badRequest, #"the body must be {"answers": [scores 1-5, one per question], "comment": "..."}"#)
        }
    }
}
