import Foundation
import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The audit trail over HTTP (docs/AUDIT.md, docs/API.md): `GET /api/v1/audit` (filters, paging),
/// `GET /api/v1/audit/verify`, and the administrator's page `/console/audit`; all `Permission.readAudit`.
enum AuditAPI {
    static func addRoutes(to router: Router<ConsoleContext>, store: APIStore, sessions: Sessions) {
        router.requiring(.readAudit, sessions).get("/api/v1/audit") { request, _ -> Response in
            let query: AuditQuery
            switch parse(request.uri.queryParameters, defaultLimit: 1000) {
            case .failure(let f): return HTTPAPI.error(f.status, f.message)
            case .success(let q): query = q
            }
            let entries = try await store.with { try $0.auditRecords(query) }
            return HTTPAPI.json("[" + entries.map(\.json).joined(separator: ",") + "]")
        }
        router.requiring(.readAudit, sessions).get("/api/v1/audit/verify") { _, _ -> Response in
            let result = try await store.with { try $0.verifyAudit() }
            return HTTPAPI.json(result.json)
        }
        router.requiring(.readAudit, sessions, style: .page).get("/console/audit") { request, context -> Response in
            let user = try context.requireUser()
            let params = request.uri.queryParameters
            switch parse(params, defaultLimit: AuditPage.pageSize, newestByDefault: true) {
            case .failure(let f):
                let lang = ConsoleLanguage.of(request, user: user)
                return HTML.response(
                    Pages.message(Catalogue.text("console.audit", lang), user, lang, f.message), status: f.status)
            case .success(let query):
                let verify = params.get("verify") == "1"
                let (entries, result) = try await store.with { s in
                    (try s.auditRecords(query), verify ? try s.verifyAudit() : nil)
                }
                return HTML.response(AuditPage.render(
                        entries, query: query, verification: result, user: user,
                        lang: ConsoleLanguage.of(request, user: user)))
            }
        }
    }

    /// The filters of the API and the page: `actor`, `dossier`, `action`, `from`, `to` (RFC 3339 or YYYY-MM-DD),
    /// `after` / `before` (ids, paging), `order` (`oldest`, `newest`), `limit` (0-10000).
    static func parse(_ q: Parameters, defaultLimit: Int, newestByDefault: Bool = false)
        -> Result<AuditQuery, HTTPAPI.Failure>
    {
        do {
            return .success(try query(q, defaultLimit: defaultLimit, newestByDefault: newestByDefault))
        } catch let f as HTTPAPI.Failure {
            return .failure(f)
        } catch {
            return .failure(HTTPAPI.Failure(.badRequest, "\(error)"))
        }
    }

    static func query(_ q: Parameters, defaultLimit: Int, newestByDefault: Bool) throws -> AuditQuery {
        func text(_ name: String) -> String? { q.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        func time(_ name: String) throws -> Timestamp? {
            guard let v = text(name) else { return nil }
            guard let t = AuditQuery.time(v) else {
                throw HTTPAPI.Failure(.badRequest, "\(name) must be an RFC 3339 time or a day YYYY-MM-DD")
            }
            return t
        }
        func id(_ name: String) throws -> Int64? {
            guard let v = text(name) else { return nil }
            guard let id = Int64(v), id >= 0 else {
                throw HTTPAPI.Failure(.badRequest, "\(name) must be an entry id (a whole number)")
            }
            return id
        }
        var query = AuditQuery(
            actor: text("actor"), dossier: text("dossier"), action: text("action"), from: try time("from"),
            to: try time("to"), limit: defaultLimit)
        query.afterID = try id("after")
        query.beforeID = try id("before")
        query.newestFirst = newestByDefault
        if let order = text("order") {
            guard order == "newest" || order == "oldest" else {
                throw HTTPAPI.Failure(.badRequest, "order must be newest or oldest")
            }
            query.newestFirst = order == "newest"
        }
        if let v = text("limit") {
            guard let n = Int(v), n >= 0 else {
                throw HTTPAPI.Failure(.badRequest, "limit must be a whole number from 0 to 10000")
            }
            query.limit = min(n, 10_000)
        }
        return query
    }

    /// A view of a Radex dossier's details through an alert's detail (PROTOCOL 7): audited as `dossier.view`.
    static func dossierViewed(_ alert: Alert, by user: SessionUser, via: String, _ s: Store) throws {
        guard alert.radex else { return }
        try s.auditView(
            "dossier.view", dossier: alert.dossier, actor: user.name, role: user.role.rawValue, via: via,
            detail: "alert \(alert.id)", at: WallClock.now())
    }
}
