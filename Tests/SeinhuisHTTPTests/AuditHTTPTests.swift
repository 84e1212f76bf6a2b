import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// The audit trail over HTTP through a real server: who may read it, the views it records (PROTOCOL 7), the
/// filters, and the verification.
@Suite("audit trail over HTTP: the admin's page and API, views recorded", .serialized)
struct AuditHTTPTests {
    @Test func viewsAreAuditedAndOnlyTheAdministratorReadsTheTrail() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "anna", .operator)
        try addUser(db, "cel", .cell)
        try addUser(db, "root", .admin)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T1", 1, "strap", #","state":"opened""#))
        try push.send(frame("TAG-T2", 1, "strap", #","state":"opened""#))
        var radexID = "", otherID = ""
        for _ in 0..<200 where radexID.isEmpty || otherID.isEmpty {
            let alerts = try Store(path: db).alerts()
            radexID = alerts.first { $0.device == "TAG-T1" }?.id ?? ""
            otherID = alerts.first { $0.device == "TAG-T2" }?.id ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!radexID.isEmpty && !otherID.isEmpty)

        // The Radex alert's detail, on the page and through the API, is a view of the dossier; the other alert's
        // is not, nor the alert with its log alone (the page's script reloads it after every change).
        #expect(try await client.send("GET", "/console/alert/\(radexID)", as: "anna").status == 200)
        #expect(try await client.send("GET", "/api/v1/alerts/\(radexID)/context", as: "anna").status == 200)
        #expect(try await client.send("GET", "/api/v1/alerts/\(radexID)", as: "anna").status == 200)
        #expect(try await client.send("GET", "/console/alert/\(otherID)", as: "anna").status == 200)
        #expect(try await client.send("GET", "/api/v1/dossiers/D-T-2/review-report", as: "cel").status == 200)
        let views = try Store(path: db).auditRecords(AuditQuery(action: "dossier.view"))
        #expect(views.map(\.detail) == ["alert \(radexID) (console)", "alert \(radexID) (api context)"])
        #expect(views.allSatisfy { $0.actor == "anna" && $0.role == "operator" && $0.dossier == "D-T-1" })
        let reports = try Store(path: db).auditRecords(AuditQuery(action: "review.report_view"))
        #expect(reports.map { "\($0.actor) \($0.dossier ?? "-")" } == ["cel D-T-2"])

        // Only the administrator: the operator and the cell get 403, page and API alike.
        for path in ["/console/audit", "/api/v1/audit", "/api/v1/audit/verify"] {
            for user in ["anna", "cel"] {
                #expect(try await client.send("GET", path, as: user).status == 403, "\(user) \(path)")
            }
            #expect(try await client.send("GET", path).status == (path.hasPrefix("/console") ? 200 : 401))
            #expect(try await client.send("GET", path, as: "root").status == 200, "\(path)")
        }
        let anonymousPage = try await client.send("GET", "/console/audit")
        #expect(anonymousPage.text.contains(#"action="/login""#))

        // The API's filters.
        let annas = try await client.send("GET", "/api/v1/audit?actor=anna&action=dossier", as: "root").array
        #expect(annas.map { $0["action"] as? String } == ["dossier.view", "dossier.view"])
        let d2 = try await client.send("GET", "/api/v1/audit?dossier=D-T-2&order=newest&limit=1", as: "root").array
        #expect(d2.map { $0["action"] as? String } == ["review.report_view"])
        #expect(try await client.send("GET", "/api/v1/audit?from=yesterday", as: "root").status == 400)
        #expect(try await client.send("GET", "/api/v1/audit?limit=-1", as: "root").status == 400)
        let logins = try await client.send("GET", "/api/v1/audit?action=session.login", as: "root").array
        #expect(Set(logins.compactMap { $0["actor"] as? String }) == ["anna", "cel", "root"])

        // The page (in Dutch, as a Flemish browser asks): filters, newest first, paging, the verification on request.
        let nl = ["Accept-Language": "nl-BE,nl;q=0.9"]
        let page = try await client.send("GET", "/console/audit?actor=anna&action=dossier.view", as: "root", headers: nl).text
        #expect(page.contains("Audittrail") && page.contains(#"name="actor" value="anna""#))
        #expect(page.components(separatedBy: "<tr data-id=").count - 1 == 2)
        #expect(page.contains(#"href="/console/audit""#))  // the navigation names the page for the admin
        let verified = try await client.send("GET", "/console/audit?verify=1", as: "root", headers: nl).text
        #expect(verified.contains(#"id="audit-status""#) && verified.contains("Keten intact"))
        let v = try await client.send("GET", "/api/v1/audit/verify", as: "root").object
        #expect(v["intact"] as? Bool == true)
        try await server.stop()

        // Tampered with: the API and the page say so, naming the entry.
        let target = try #require(views.first?.id)
        try Database(path: db).execute("UPDATE audit SET actor = 'nobody' WHERE id = \(target)")
        try await server.start()
        let broken = try await client.send("GET", "/api/v1/audit/verify", as: "root").object
        #expect(broken["intact"] as? Bool == false)
        let problem = try #require((broken["problems"] as? [[String: Any]])?.first)
        #expect(problem["id"] as? Int == Int(target) && problem["kind"] as? String == "changed")
        let brokenPage = try await client.send("GET", "/console/audit?verify=1", as: "root", headers: nl).text
        #expect(brokenPage.contains("Keten gebroken") && brokenPage.contains("#\(target) changed"))
        try await server.stop()
    }

    @Test func thePagePagesThroughTheTrailNewestFirst() async throws {
        let db = temporaryDatabase()
        try addUser(db, "root", .admin)
        let store = try Store(path: db)
        try store.transaction {
            for k in 1...250 {
                try store.audit(
                    actor: "ops", action: "user.passwd", subject: "u\(k)", detail: "",
                    at: Timestamp(milliseconds: Int64(k)))
            }
        }
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let first = try await client.send("GET", "/console/audit?actor=ops", as: "root").text
        func ids(_ page: String) -> [Int] {
            page.components(separatedBy: #"<tr data-id=""#).dropFirst().compactMap { Int($0.prefix { $0 != "\"" }) }
        }
        let one = ids(first)
        #expect(one.count == AuditPage.pageSize && one == one.sorted(by: >))
        let next = try #require(first.range(of: #"id="audit-older" href=""#))
        let href = String(first[next.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
        #expect(href.contains("actor=ops") && href.contains("before=\(one.last!)"))
        let two = ids(try await client.send("GET", href, as: "root").text)
        #expect(two.first == one.last! - 1 && two.count == AuditPage.pageSize)
        try await server.stop()
    }
}
