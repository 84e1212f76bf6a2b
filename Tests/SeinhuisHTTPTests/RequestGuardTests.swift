import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// The request guard (docs/TRUST.md): the rules on their own, then against a real server, where a refused request
/// changes nothing.
@Suite("the request guard: origin, CSRF token, content type", .serialized)
struct RequestGuardTests {
    typealias Facts = RequestGuard.Facts
    let session = String(repeating: "ab", count: 32)
    var token: String { CSRFToken.of(session: session) }

    @Test func theRules() {
        let g = RequestGuard(extraOrigins: ["https://Console.Example:443/"])
        // Reads are never refused.
        #expect(g.refusal(Facts(method: .get, origin: "http://evil.example", sessionCookie: session)) == nil)
        // Same origin, or the extra one (normalised); another port, another host, null: refused.
        #expect(g.refusal(Facts(method: .post, origin: "http://127.0.0.1:8460", sessionCookie: session)) == nil)
        #expect(g.refusal(Facts(method: .post, origin: "HTTP://127.0.0.1:8460/", sessionCookie: session)) == nil)
        #expect(g.refusal(Facts(method: .post, origin: "https://console.example", sessionCookie: session)) == nil)
        #expect(
            g.refusal(Facts(method: .post, origin: "http://127.0.0.1:8461", sessionCookie: session))
                == .crossOrigin("http://127.0.0.1:8461"))
        #expect(g.refusal(Facts(method: .delete, origin: "null", bearer: true)) == .crossOrigin("null"))
        #expect(g.refusal(Facts(method: .put, origin: "https://127.0.0.1:8460")) != nil)
        #expect(g.refusal(Facts(method: .patch, origin: "http://127.0.0.1:8460", host: nil)) != nil)
        #expect(RequestGuard().refusal(Facts(method: .post, origin: "http://example", host: "example:80")) == nil)
        // The cookie without Origin needs this session's token; a bearer token needs none, nor does a login.
        #expect(g.refusal(Facts(method: .post, sessionCookie: session)) == .missingToken)
        #expect(
            g.refusal(Facts(method: .post, sessionCookie: session, csrfToken: "0" + token.dropFirst())) == .wrongToken)
        #expect(g.refusal(Facts(method: .post, sessionCookie: session, csrfToken: token)) == nil)
        #expect(g.refusal(Facts(method: .post, sessionCookie: session, bearer: true)) == nil)
        #expect(g.refusal(Facts(method: .post, bearer: true)) == nil)
        #expect(g.refusal(Facts(method: .post, path: "/login", sessionCookie: session)) == nil)
        // A body must be JSON, parameters allowed.
        #expect(
            g.refusal(Facts(method: .post, bearer: true, contentType: "text/plain", hasBody: true))
                == .notJSON("text/plain"))
        #expect(g.refusal(Facts(method: .post, bearer: true, hasBody: true)) == .notJSON(nil))
        #expect(
            g.refusal(Facts(method: .post, bearer: true, contentType: "application/json; charset=utf-8", hasBody: true))
                == nil)
        #expect(
            g.refusal(
                Facts(method: .post, bearer: true, contentType: "application/x-www-form-urlencoded", hasBody: true))
                == .notJSON("application/x-www-form-urlencoded"))
        #expect(g.refusal(Facts(method: .post, bearer: true, contentType: "text/plain")) == nil)
        #expect(RequestGuard.normalised("null") == nil && RequestGuard.normalised("http://a/b") == nil)
    }


    @Test func aRefusedRequestChangesNothingAndTheConsolesOwnRequestsWork() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "anna", .operator)
        let server = RunningServer(db: db) { $0.httpOrigins = ["https://console.example"] }
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let id = try await tamper(push, "TAG-T1", db: db)
        let own = "http://127.0.0.1:\(server.config.httpPort)"
        let other = "http://127.0.0.1:\(server.config.httpPort + 1)"

        let login = try await client.login("anna")
        let cookie = try #require(login.object["token"] as? String)
        let csrf = try #require(login.object["csrf_token"] as? String)
        #expect(csrf == CSRFToken.of(session: cookie))
        #expect(try await client.send("GET", "/api/v1/me", cookie: cookie).object["csrf_token"] as? String == csrf)

        let close = "/api/v1/alerts/\(id)/close"
        let falseAlarm = #"{"measure":"false_alarm"}"#
        func refused(_ headers: [String: String], type: String = "application/json", _ status: Int) async throws {
            let r = try await client.send(
                "POST", close, falseAlarm, cookie: cookie, contentType: type, headers: headers)
            #expect(r.status == status, "\(headers) \(type): \(r.text)")
            #expect(!r.error.isEmpty)
        }
        try await refused(["Origin": other], 403)
        try await refused(["Origin": other], type: "text/plain", 403)
        try await refused(["Origin": "null"], 403)
        try await refused([:], 403)
        try await refused(["X-CSRF-Token": String(repeating: "0", count: 64)], 403)
        try await refused(["X-CSRF-Token": csrf], type: "text/plain", 415)
        try await refused(["Origin": own], type: "text/plain;charset=UTF-8", 415)
        try await refused(["Origin": own], type: "application/x-www-form-urlencoded", 415)
        // A cross-origin login is refused as well (no signing a browser into someone else's session).
        let crossLogin = try await client.send(
            "POST", "/login", #"{"user":"anna","password":"pw-of-anna-123"}"#, headers: ["Origin": other])
        #expect(crossLogin.status == 403)
        let formLogin = try await client.send(
            "POST", "/login", "user=anna&password=pw-of-anna-123", contentType: "application/x-www-form-urlencoded")
        #expect(formLogin.status == 415)
        // Nothing changed: the alert is open, for every queue, and nothing is in its log.
        let store = try Store(path: db)
        #expect(try store.alert(id: id)?.state == .open)
        #expect(try store.actions(alertID: id).isEmpty)
        let metrics = try await client.send("GET", "/metrics").text
        #expect(metrics.contains(#"seinhuis_http_requests_refused_total{reason="origin"} 4"#))
        #expect(metrics.contains(#"seinhuis_http_requests_refused_total{reason="csrf_token"} 2"#))
        #expect(metrics.contains(#"seinhuis_http_requests_refused_total{reason="content_type"} 4"#))

        // The console's own requests: same origin, the proxy's origin, the token without Origin; a system's bearer.
        let ack = try await client.send(
            "POST", "/api/v1/alerts/\(id)/ack", "{}", cookie: cookie, headers: ["Origin": own])
        #expect(ack.status == 200 && ack.state == "acknowledged")
        let respond = try await client.send(
            "POST", "/api/v1/alerts/\(id)/respond", #"{"measure":"phone_call"}"#, cookie: cookie,
            headers: ["Origin": "https://console.example"])
        #expect(respond.status == 200 && respond.state == "responded")
        let byToken = try await client.send(
            "POST", "/api/v1/alerts/\(id)/respond", #"{"measure":"field_visit"}"#, cookie: cookie,
            contentType: "application/json; charset=utf-8", headers: ["X-CSRF-Token": csrf])
        #expect(byToken.status == 200)
        let bearer = try await client.send("POST", close, falseAlarm, token: cookie)
        #expect(bearer.status == 200 && bearer.state == "closed")
        // The login page's JSON: where to go, and the token.
        let page = try await client.send(
            "POST", "/login", #"{"user":"anna","password":"pw-of-anna-123","next":"/console/alert/\#(id)"}"#,
            headers: ["Origin": own])
        #expect(page.status == 200)
        #expect(page.object["location"] as? String == "/console/alert/\(id)")
        #expect((page.object["csrf_token"] as? String)?.count == 64)
        try await server.stop()
    }
}
