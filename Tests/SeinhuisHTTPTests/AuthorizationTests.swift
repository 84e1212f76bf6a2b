import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisApp
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// Every role against every endpoint, through the real router of a real server: allowed and refused.
@Suite("console authorisation, every role against every endpoint", .serialized)
struct AuthorizationTests {
    /// The status of a request whose response may never end (an event stream): reads only the status line.
    func statusLine(port: Int, path: String, token: String?) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(ok == 0)
        var req = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { req += "Authorization: Bearer \(token)\r\n" }
        req += "\r\n"
        _ = req.withCString { send(fd, $0, strlen($0), 0) }
        var buf = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buf, 64, 0)
        let line = String(decoding: buf.prefix(max(0, n)), as: UTF8.self)
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    @Test func everyRoleAgainstEveryEndpoint() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        for role in Role.allCases { try addUser(db, "u-\(role.rawValue)", role) }
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
        // Radex critical reaches vcet, coordinator, cic and police; the other dossier's only vcet (policy v1).
        let radexRoles: Set<Role> = [.operator, .coordinator, .cic, .police, .admin]
        let otherRoles: Set<Role> = [.operator, .admin]
        let all = Set(Role.allCases)
        func allowed(_ p: Permission) -> Set<Role> { AccessPolicy.roles(for: p) }

        struct Case {
            var method: String
            var path: String
            var body: String?
            var allowed: Set<Role>
            /// The status for an allowed role.
            var ok: Int = 200
            /// Pages redirect to the login page instead of 401.
            var page = false
            /// The administrator's body where it differs (an action names the queue it is for).
            var adminBody: String?
            /// The administrator's status where it differs.
            var adminOK: Int?
        }
        let cases: [Case] = [
            Case(method: "GET", path: "/api/v1/me", allowed: all),
            Case(method: "GET", path: "/api/v1/alerts", allowed: all),
            Case(method: "GET", path: "/api/v1/alerts?queue=vcet", allowed: [.operator, .admin]),
            Case(method: "GET", path: "/api/v1/alerts?queue=police", allowed: [.police, .admin]),
            Case(method: "GET", path: "/api/v1/alerts?queue=cell", allowed: [.cell, .admin]),
            Case(method: "GET", path: "/api/v1/alerts/\(radexID)", allowed: radexRoles),
            Case(method: "GET", path: "/api/v1/alerts/\(otherID)", allowed: otherRoles),
            Case(method: "GET", path: "/api/v1/alerts/\(radexID)/context", allowed: radexRoles),
            Case(method: "GET", path: "/api/v1/alerts/\(otherID)/context", allowed: otherRoles),
            // Each role acts for its own queue; the administrator names one (PROTOCOL 4.4).
            Case(
                method: "POST", path: "/api/v1/alerts/\(radexID)/ack", body: "{}", allowed: radexRoles,
                adminBody: #"{"queue":"vcet"}"#),
            Case(
                method: "POST", path: "/api/v1/alerts/\(otherID)/ack", body: "{}", allowed: otherRoles,
                adminOK: 400),
            // Authorisation comes before the body is read: refused roles get 403, allowed ones the 400.
            Case(
                method: "POST", path: "/api/v1/alerts/\(radexID)/close", body: #"{"measure":"nonsense"}"#,
                allowed: radexRoles, ok: 400, adminBody: #"{"queue":"police","measure":"nonsense"}"#),
            Case(
                method: "POST", path: "/api/v1/alerts/\(otherID)/respond", body: #"{"measure":"other"}"#,
                allowed: otherRoles, adminBody: #"{"queue":"vcet","measure":"other"}"#),
            // Another role's queue is refused (403) for every role but the administrator, who is refused by the
            // alert: it never reached the cell (409).
            Case(
                method: "POST", path: "/api/v1/alerts/\(radexID)/ack", body: #"{"queue":"cell"}"#, allowed: [.admin],
                adminOK: 409),
            Case(
                method: "POST", path: "/api/v1/alerts/\(radexID)/ack?queue=police", body: "{}", allowed: [.police, .admin]),
            Case(
                method: "POST", path: "/api/v1/alerts/\(otherID)/ack", body: #"{"queue":"nowhere"}"#,
                allowed: [.operator, .admin], ok: 400),
            Case(method: "GET", path: "/api/v1/dossiers", allowed: allowed(.readDossiers)),
            Case(method: "GET", path: "/api/v1/latency", allowed: allowed(.readLatency)),
            Case(method: "GET", path: "/api/v1/latency?by=policy", allowed: allowed(.readLatency)),
            Case(method: "GET", path: "/console/queue/vcet", allowed: [.operator, .admin], page: true),
            Case(method: "GET", path: "/console/queue/coordinator", allowed: [.coordinator, .admin], page: true),
            Case(method: "GET", path: "/console/queue/cic", allowed: [.cic, .admin], page: true),
            Case(method: "GET", path: "/console/queue/police", allowed: [.police, .admin], page: true),
            Case(method: "GET", path: "/console/queue/cell", allowed: [.cell, .admin], page: true),
            Case(method: "GET", path: "/console/alert/\(radexID)", allowed: radexRoles, page: true),
            Case(method: "GET", path: "/console/alert/\(otherID)", allowed: otherRoles, page: true),
            Case(method: "GET", path: "/console/dossiers", allowed: allowed(.readDossiers), page: true),
            Case(method: "GET", path: "/console/latency", allowed: allowed(.readLatency), page: true),
            // The review routes (PROTOCOL 5): findings never reach CIC or police, nor the coordinator.
            Case(method: "GET", path: "/api/v1/reviews/due", allowed: allowed(.readReviews)),
            Case(method: "GET", path: "/api/v1/dossiers/D-T-1/reviews", allowed: allowed(.readReviews)),
            Case(method: "GET", path: "/api/v1/dossiers/D-T-1/review-report", allowed: allowed(.readReviews)),
            Case(
                method: "GET", path: "/api/v1/dossiers/D-T-1/review-report?format=csv", allowed: allowed(.readReviews)),
            // Refused roles get 403 before the body is read; allowed ones the validation's 400 (nothing recorded).
            Case(
                method: "POST", path: "/api/v1/dossiers/D-T-1/reviews", body: #"{"reviewer":"kp"}"#,
                allowed: allowed(.recordReviews), ok: 400),
            Case(method: "GET", path: "/console/reviews", allowed: allowed(.readReviews), page: true),
        ]
        // The policy table itself: who reads dossiers and latency (documented in docs/CONSOLE.md).
        #expect(allowed(.readDossiers) == [.coordinator, .cell, .admin])
        #expect(allowed(.readLatency) == [.operator, .coordinator, .cell, .admin])
        #expect(allowed(.readReviews) == [.cell, .admin] && allowed(.recordReviews) == [.cell, .admin])

        for c in cases {
            let anonymous = try await client.send(c.method, c.path, c.body)
            if c.page {
                // URLSession follows the redirect to the login page.
                #expect(anonymous.text.contains(#"<form method="post" action="/login""#), "\(c.path) without a session")
            } else {
                #expect(anonymous.status == 401, "\(c.method) \(c.path) without a session")
                #expect(!anonymous.error.isEmpty)
            }
            let forged = try await client.send(c.method, c.path, c.body, token: String(repeating: "ab", count: 32))
            #expect(forged.status == (c.page ? 200 : 401) && (c.page ? forged.text.contains("/login") : true))
            for role in Role.allCases {
                let admin = role == .admin
                let body = admin ? c.adminBody ?? c.body : c.body
                let r = try await client.send(c.method, c.path, body, as: "u-\(role.rawValue)")
                let expected = c.allowed.contains(role) ? (admin ? c.adminOK ?? c.ok : c.ok) : 403
                #expect(
                    r.status == expected, "\(role.rawValue) \(c.method) \(c.path): \(r.status) \(r.text.prefix(120))")
            }
        }
        // The live stream: own queue allowed, another refused, none without a session.
        for role in Role.allCases {
            let token = try await client.token("u-\(role.rawValue)")
            for queue in Queue.allCases {
                let status = try statusLine(
                    port: server.config.httpPort, path: "/api/v1/stream?queue=\(queue.rawValue)", token: token)
                #expect(
                    status == (role.queues.contains(queue) ? 200 : 403), "\(role.rawValue) stream \(queue.rawValue)")
            }
        }
        #expect(try statusLine(port: server.config.httpPort, path: "/api/v1/stream?queue=vcet", token: nil) == 401)

        // Open to all: health, metrics, the login page and the console's assets.
        for path in ["/healthz", "/metrics", "/login", "/console/console.css", "/console/console.js"] {
            #expect(try await client.send("GET", path).status == 200, "\(path)")
        }
        // Police and CIC see what dispatch needs of the dossier, not its conditions.
        let police = try await client.send("GET", "/api/v1/alerts/\(radexID)/context", as: "u-police")
        #expect(police.object["view"] as? String == "dispatch")
        let pd = try #require(police.object["dossier"] as? [String: Any])
        #expect(pd["subject"] as? String == "S-T1" && pd["mandate"] == nil && pd["curfew"] == nil)
        let op = try await client.send("GET", "/api/v1/alerts/\(radexID)/context", as: "u-operator")
        #expect(op.object["view"] as? String == "conditions")
        #expect((op.object["dossier"] as? [String: Any])?["mandate"] as? String == "pretrial")
        // A list without a queue is the role's own queue.
        let cicList = try await client.send("GET", "/api/v1/alerts", as: "u-cic")
        #expect(cicList.array.map { $0["id"] as? String } == [radexID])
        try await server.stop()

        // Every action is in the audit trail with the signed-in user; refused requests left nothing.
        let store = try Store(path: db)
        // Each queue acknowledged the Radex alert for itself; the administrator's second vcet ack changed nothing.
        let radexTrail = try store.auditTrail(subject: radexID)
        #expect(
            radexTrail.map { "\($0.actor) \($0.role ?? "-") \($0.queue ?? "-")" } == [
                "u-operator operator vcet", "u-coordinator coordinator coordinator", "u-cic cic cic",
                "u-police police police",
            ])
        let radex = try #require(try store.alert(id: radexID))
        #expect(radex.handling.byQueue.values.allSatisfy { $0.state == .acknowledged })
        #expect(radex.state == .acknowledged)
        #expect(try store.reviews().isEmpty)  // the matrix's review posts were all refused or invalid
        let otherTrail = try store.auditTrail(subject: otherID)
        #expect(
            otherTrail.map { "\($0.actor) \($0.action)" } == [
                "u-operator alert.acknowledge", "u-operator alert.respond", "u-admin alert.respond",
            ])
        let actions = try store.actions(alertID: otherID).map { "\($0.actor) \($0.role ?? "-") \($0.queue?.rawValue ?? "-")" }
        #expect(actions.first == "u-operator operator vcet" && actions.last == "u-admin admin vcet")
    }

    @Test func loginLogoutAndPasswordChangesEndSessions() async throws {
        let db = temporaryDatabase()
        try addUser(db, "anna", .operator)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let wrong = try await client.login("anna", password: "not her password")
        #expect(wrong.status == 401)
        #expect(try await client.login("nobody").status == 401)
        #expect(try await client.send("POST", "/api/v1/login", "{nope").status == 400)
        let ok = try await client.login("anna")
        #expect(ok.status == 200)
        #expect(ok.object["role"] as? String == "operator")
        let token = try #require(ok.object["token"] as? String)
        #expect(token.count == 64)
        let cookie = (ok.headers["Set-Cookie"] as? String) ?? ""
        #expect(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("seinhuis_session="))
        #expect(try await client.send("GET", "/api/v1/me", token: token).status == 200)
        // Logout ends the session.
        #expect(try await client.send("POST", "/api/v1/logout", token: token).status == 204)
        #expect(try await client.send("GET", "/api/v1/me", token: token).status == 401)
        // A new password ends every session of the user; disabling refuses login.
        let second = try #require(try await client.login("anna").object["token"] as? String)
        try Store(path: db).setPassword(
            name: "anna", passwordHash: Passwords.hash("a-new-password-42", cost: 4), by: "admin",
            at: Timestamp(milliseconds: 1))
        #expect(try await client.send("GET", "/api/v1/me", token: second).status == 401)
        #expect(try await client.login("anna", password: "a-new-password-42").status == 200)
        try Store(path: db).setDisabled(name: "anna", true, by: "admin", at: Timestamp(milliseconds: 2))
        #expect(try await client.login("anna", password: "a-new-password-42").status == 401)
        try await server.stop()
        // Logins, failures and logout are audited; the password never is.
        let trail = try Store(path: db).auditTrail()
        let actions = trail.map(\.action)
        #expect(actions.filter { $0 == "session.login_failed" }.count == 3)
        #expect(actions.contains("session.login") && actions.contains("session.logout"))
        #expect(!trail.contains { $0.detail.contains("a-new-password-42") || $0.detail.contains("pw-of-anna") })
        // Tokens are stored only as their hash.
        let stored = try Store(path: db).db.scalarInt("SELECT COUNT(*) FROM session WHERE token_hash = '\(token)'")
        #expect(stored == 0)
    }

    @Test func repeatedFailuresFromAStrangerThrottleAName() async throws {
        let db = temporaryDatabase()
        try addUser(db, "bert", .operator)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        for _ in 0..<LoginBackoff.nameFailures {
            #expect(try await client.login("bert", password: "guess-guess-guess").status == 401)
        }
        // This address never signed in as bert: even the right password is not checked now.
        let throttled = try await client.login("bert")
        #expect(throttled.status == 429)
        #expect(throttled.headers["Retry-After"] as? String == "1")
        #expect(throttled.error.contains("wait 1 s "))
        try await server.stop()
        let reasons = try Store(path: db).auditTrail(subject: "bert").filter { $0.action == "session.login_failed" }
            .map(\.detail)
        #expect(reasons == Array(repeating: "wrong password", count: LoginBackoff.nameFailures) + ["throttled"])
    }
}
