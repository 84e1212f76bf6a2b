import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisCore
import SeinhuisService
import SeinhuisStore
import Testing
import ZeroMQ

@Suite("operators' actions over the HTTP API, on a real server", .serialized)
struct HTTPActionTests {
    /// One HTTP exchange: the status and the body parsed as a JSON object.
    struct Reply {
        var status: Int
        var object: [String: Any]
        var error: String { object["error"] as? String ?? "" }
        var alert: [String: Any] { object["alert"] as? [String: Any] ?? [:] }
        var state: String? { alert["state"] as? String }
        var recorded: [String]? { object["recorded"] as? [String] }
    }

    func request(_ server: RunningServer, _ method: String, _ path: String, _ body: String? = nil) async throws
        -> Reply
    {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(server.config.httpPort)\(path)")!)
        r.httpMethod = method
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: r)
        let status = try #require(response as? HTTPURLResponse).statusCode
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return Reply(status: status, object: object)
    }

    func post(_ server: RunningServer, _ id: String, _ verb: String, _ body: String) async throws -> Reply {
        try await request(server, "POST", "/api/v1/alerts/\(id)/\(verb)", body)
    }

    /// Pushes a strap tamper for `device` over the PULL socket and waits until its alert is stored.
    func tamper(_ push: ZMQSocket, _ device: String, db: String) async throws -> String {
        try push.send(frame(device, 1, "strap", #","state":"opened""#))
        for _ in 0..<200 {
            if let alert = try Store(path: db).alerts().first(where: { $0.device == device }) { return alert.id }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AlertActionError("no alert for \(device)")
    }

    @Test func acknowledgeRespondCloseAreRecordedWithWhoAndWhen() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let id = try await tamper(push, "TAG-T1", db: db)
        let other = try await tamper(push, "TAG-T2", db: db)
        let before = Int64(Date().timeIntervalSince1970 * 1000)

        let ack = try await post(server, id, "ack", #"{"by": "anna"}"#)
        #expect(ack.status == 200)
        #expect(ack.state == "acknowledged")
        #expect(ack.recorded == ["acknowledge"])
        #expect(ack.alert["id"] as? String == id)
        #expect(ack.alert["breach"] as? String == "strap_tamper")
        // Acknowledging twice records nothing.
        let again = try await post(server, id, "ack", #"{"by": "anna"}"#)
        #expect(again.status == 200 && again.recorded == [] && again.state == "acknowledged")

        let respond = try await post(
            server, id, "respond", #"{"measure": "phone_call", "note": "called the subject", "by": "bert"}"#)
        #expect(respond.status == 200)
        #expect(respond.state == "responded")
        #expect(respond.recorded == ["respond"])

        let close = try await post(server, id, "close", #"{"by": "carla"}"#)
        #expect(close.status == 200)
        #expect(close.state == "closed")
        #expect(close.recorded == ["close"])

        // Nothing more on a closed alert: 409 with the workflow's message.
        let late = try await post(server, id, "respond", #"{"measure": "field_visit", "by": "anna"}"#)
        #expect(late.status == 409)
        #expect(late.error.contains("closed"))
        // Closing an alert without any measure does not apply either.
        let bare = try await post(server, other, "close", #"{"by": "anna"}"#)
        #expect(bare.status == 409)
        #expect(bare.error.contains("measure"))

        // Bad bodies: 400, naming what is allowed.
        let unknownMeasure = try await post(server, other, "respond", #"{"measure": "phone", "by": "anna"}"#)
        #expect(unknownMeasure.status == 400)
        #expect(unknownMeasure.error.contains("phone_call") && unknownMeasure.error.contains("false_alarm"))
        #expect(try await post(server, other, "respond", #"{"by": "anna"}"#).status == 400)  // no measure
        #expect(try await post(server, other, "ack", #"{"measure": "phone_call"}"#).status == 400)  // no by
        #expect(try await post(server, other, "ack", #"{"by": "  "}"#).status == 400)
        #expect(try await post(server, other, "ack", #"{"by": 7}"#).status == 400)
        #expect(try await post(server, other, "ack", "{nope").status == 400)
        #expect(try await post(server, other, "ack", "").status == 400)
        #expect(try await post(server, other, "ack", #"{"by": "anna", "note": "n"}"#).status == 400)
        // Unknown alerts: 404.
        let missing = try await post(server, "A-999999999", "ack", #"{"by": "anna"}"#)
        #expect(missing.status == 404)
        #expect(missing.error.contains("A-999999999"))
        #expect(try await request(server, "GET", "/api/v1/alerts/A-999999999").status == 404)
        // None of the refused requests changed the other alert.
        let untouched = try await request(server, "GET", "/api/v1/alerts/\(other)")
        #expect(untouched.state == "open")
        #expect((untouched.object["actions"] as? [Any])?.isEmpty == true)

        // The alert and its action log: who did what, when.
        let shown = try await request(server, "GET", "/api/v1/alerts/\(id)")
        #expect(shown.status == 200)
        #expect(shown.state == "closed")
        let actions = try #require(shown.object["actions"] as? [[String: Any]])
        #expect(actions.map { $0["by"] as? String } == ["anna", "bert", "carla"])
        #expect(actions.map { $0["action"] as? String } == ["acknowledge", "respond", "close"])
        #expect(actions[1]["measure"] as? String == "phone_call")
        #expect(actions[1]["note"] as? String == "called the subject")
        #expect(actions[0]["measure"] is NSNull)
        for a in actions {
            let text = try #require(a["at"] as? String)
            let at = try #require(Timestamp(rfc3339: text))
            #expect(at.milliseconds >= before - 1000)  // the server's wall clock
        }
        // The catch-up listing sees the new state too.
        let listing = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(server.config.httpPort)/api/v1/alerts?state=closed")!)
        #expect(String(decoding: listing.0, as: UTF8.self).contains(id))
        try await server.stop()

        // The audit trail names the actor of each entry.
        let audit = try Store(path: db).auditTrail(subject: id)
        #expect(audit.map(\.actor) == ["anna", "bert", "carla"])
        #expect(audit.map(\.action) == ["alert.acknowledge", "alert.respond", "alert.close"])
        #expect(try Store(path: db).auditTrail(subject: other).isEmpty)
    }

    @Test func closingWithAMeasureRecordsItAndAcknowledges() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let id = try await tamper(push, "TAG-T2", db: db)
        let close = try await post(
            server, id, "close", #"{"measure": "false_alarm", "note": "strap test", "by": "dirk"}"#)
        try await server.stop()
        #expect(close.status == 200)
        #expect(close.state == "closed")
        #expect(close.recorded == ["acknowledge", "respond", "close"])
        #expect(try Store(path: db).actions(alertID: id).map(\.actor) == ["dirk", "dirk", "dirk"])
    }
}
