import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The review endpoints of PROTOCOL 5 (docs/API.md), mounted behind the console's sessions: `read` for the due list,
/// the reviews and the reports (`Permission.readReviews`), `record` for recording a review
/// (`Permission.recordReviews`; the signed-in user is the actor in the audit trail).
enum HTTPReviewAPI {
    static let maxBodyBytes = 64 * 1024

    struct ReviewBody: Decodable, Sendable {
        var reviewer: String?
        var date: String?
        var findings: String?
        var decision: String?
    }

    static func addRoutes(
        read router: RouterGroup<ConsoleContext>, record: RouterGroup<ConsoleContext>, store: APIStore,
        scope: ReviewScope
    ) {
        // Every dossier due or overdue on a day (default: today in each dossier's time zone), overdue first.
        router.get("/api/v1/reviews/due") { request, _ -> Response in
            try await due(request, store: store, scope: scope)
        }
        // Record a review; the signed-in user is the actor in the audit trail, the reviewer is who reviewed (a cell or
        // admin account, checked by ReviewDesk).
        record.post("/api/v1/dossiers/{id}/reviews") { request, context -> Response in
            try await recordReview(request, context, store: store)
        }
        router.get("/api/v1/dossiers/{id}/reviews") { _, context -> Response in
            let id = try context.parameters.require("id")
            let found = try await store.with { s -> [RecordedReview]? in
                guard try s.dossier(id: id) != nil else { return nil }
                return try s.reviews(dossier: id)
            }
            guard let found else { return HTTPAPI.error(.notFound, "no dossier \(id)") }
            return HTTPAPI.json("[" + found.map(\.json).joined(separator: ",") + "]")
        }
        router.get("/api/v1/dossiers/{id}/review-report") { request, context -> Response in
            try await report(request, context, store: store, scope: scope)
        }
    }

    /// `GET /api/v1/reviews/due?as_of=&scope=`.
    static func due(_ request: Request, store: APIStore, scope: ReviewScope) async throws -> Response {
        let q = request.uri.queryParameters
        var day = ReviewDesk.Day.instant(WallClock.now())
        if let asOf = q.get("as_of") {
            guard let d = LocalDate(asOf) else { return HTTPAPI.error(.badRequest, "as_of must be YYYY-MM-DD") }
            day = .date(d)
        }
        var s = scope
        if let name = q.get("scope") {
            guard let parsed = ReviewScope(rawValue: name) else {
                return HTTPAPI.error(.badRequest, "scope must be radex or all")
            }
            s = parsed
        }
        let (chosenDay, chosenScope) = (day, s)
        let due = try await store.with { try ReviewDesk.due($0, on: chosenDay, scope: chosenScope) }
        return HTTPAPI.json("[" + due.map(ReviewDesk.json).joined(separator: ",") + "]")
    }

    /// `POST /api/v1/dossiers/{id}/reviews`: 201 with the recorded review, 400 with every problem, 404.
    static func recordReview(_ request: Request, _ context: ConsoleContext, store: APIStore) async throws -> Response {
        let actor = try context.requireUser()
        let id = try context.parameters.require("id")
        let body: ReviewBody
        do {
            body = try await decode(request)
        } catch let f as HTTPAPI.Failure {
            return HTTPAPI.error(f.status, f.message)
        }
        let outcome = try await store.with { s -> Result<RecordedReview, ReviewError> in
            do {
                return .success(
                    try ReviewDesk.record(
                        s, dossier: id, reviewer: body.reviewer, date: body.date, findings: body.findings,
                        decision: body.decision, by: actor.name, role: actor.role.rawValue, at: WallClock.now()))
            } catch let e as ReviewError {
                return .failure(e)
            }
        }
        switch outcome {
        case .success(let r): return HTTPAPI.json(r.json, status: .created)
        case .failure(let e):
            if e.problems == ["no dossier \(id)"] { return HTTPAPI.error(.notFound, "no dossier \(id)") }
            return HTTPAPI.error(.badRequest, e.description)
        }
    }

    /// `GET /api/v1/dossiers/{id}/review-report?format=html|md|csv&as_of=`.
    static func report(_ request: Request, _ context: ConsoleContext, store: APIStore, scope: ReviewScope)
        async throws -> Response
    {
        let id = try context.parameters.require("id")
        let q = request.uri.queryParameters
        let format = q.get("format") ?? "html"
        guard ["html", "md", "csv"].contains(format) else {
            return HTTPAPI.error(.badRequest, "format must be html, md or csv")
        }
        var asOfDay: LocalDate?
        if let a = q.get("as_of") {
            guard let d = LocalDate(a) else { return HTTPAPI.error(.badRequest, "as_of must be YYYY-MM-DD") }
            asOfDay = d
        }
        let day = asOfDay
        let user = try context.requireUser()
        let report = try await store.with { s -> ReviewReport? in
            guard let r = try s.dossier(id: id) else { return nil }
            let at = day.map { ReviewDesk.endOfDay($0, timezone: r.timezone) } ?? WallClock.now()
            let report = try ReviewDesk.report(s, dossier: id, asOf: at, scope: scope)
            // Every view of a review report is audited (PROTOCOL 7).
            try s.auditView(
                "review.report_view", dossier: id, actor: user.name, role: user.role.rawValue, via: "api",
                detail: "review report (\(format))", at: WallClock.now())
            return report
        }
        guard let report else { return HTTPAPI.error(.notFound, "no dossier \(id)") }
        let lang = ConsoleLanguage.of(request, user: user)
        let (text, type): (String, String) =
            switch format {
            case "md": (ReviewReportMarkdown.render(report, lang: lang), "text/markdown; charset=utf-8")
            case "csv": (ReviewReportCSV.render(report), "text/csv; charset=utf-8")
            default: (ReviewReportHTML.render(report, lang: lang), "text/html; charset=utf-8")
            }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func decode(_ request: Request) async throws -> ReviewBody {
        let buffer = try await RequestBody.read(request, limit: maxBodyBytes)
        guard buffer.readableBytes > 0 else {
            throw HTTPAPI.Failure(
                .badRequest, #"a JSON body is required: {"reviewer", "date", "findings", "decision"}"#)
        }
        do {
            return try JSONDecoder().decode(ReviewBody.self, from: Data(buffer.readableBytesView))
        } catch let e as DecodingError {
            throw HTTPAPI.Failure(.badRequest, HTTPAPI.describe(e))
        }
    }
}
