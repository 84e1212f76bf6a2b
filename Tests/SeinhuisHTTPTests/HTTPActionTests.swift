import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisCore
import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

@Suite("operators' actions over the HTTP API, on a real server", .serialized)
struct HTTPActionTests {
    func post(_ client: Client, _ id: String, _ verb: String, _ body: String, as user: String = "anna") async throws
        -> Reply
    {
        try await client.send("POST", "/api/v1/alerts/\(id)/\(verb)", body, as: user)
    }


    @Test func acknowledgeRespondCloseAreRecordedWithWhoAndWhen() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        for name in ["anna", "bert", "carla", "dirk"] { try addUser(db, name, .operator) }
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let id = try await tamper(push, "TAG-T1", db: db)
        let other = try await tamper(push, "TAG-T2", db: db)
        let before = Int64(Date().timeIntervalSince1970 * 1000)

        let ack = try await post(client, id, "ack", #"{}"#, as: "anna")
        #expect(ack.status == 200)
        #expect(ack.state == "acknowledged")
        #expect(ack.recorded == ["acknowledge"])
        #expect(ack.alert["id"] as? String == id)
        #expect(ack.alert["breach"] as? String == "strap_tamper")
        // Acknowledging twice records nothing.
        let again = try await post(client, id, "ack", #"{}"#, as: "anna")
        #expect(again.status == 200 && again.recorded == [] && again.state == "acknowledged")

        let respond = try await post(
            client, id, "respond", #"{"measure": "phone_call", "note": "called the subject"}"#, as: "bert")
        #expect(respond.status == 200)
        #expect(respond.state == "responded")
        #expect(respond.recorded == ["respond"])

        let close = try await post(client, id, "close", #"{}"#, as: "carla")
        #expect(close.status == 200)
        #expect(close.state == "closed")
        #expect(close.recorded == ["close"])

        // Nothing more on a closed alert: 409 with the workflow's message.
        let late = try await post(client, id, "respond", #"{"measure": "field_visit"}"#, as: "anna")
        #expect(late.status == 409)
        #expect(late.error.contains("closed"))
        // Closing an alert without any measure does not apply either.
        let bare = try await post(client, other, "close", #"{}"#, as: "anna")
        #expect(bare.status == 409)
        #expect(bare.error.contains("measure"))

        // Bad bodies: 400, naming what is allowed.
        let unknownMeasure = try await post(client, other, "respond", #"{"measure": "phone"}"#, as: "anna")
        #expect(unknownMeasure.status == 400)
        #expect(unknownMeasure.error.contains("phone_call") && unknownMeasure.error.contains("false_alarm"))
        #expect(try await post(client, other, "respond", #"{}"#, as: "anna").status == 400)  // no measure
        #expect(try await post(client, other, "ack", #"{"measure": "phone_call"}"#).status == 400)  // ack takes none
        #expect(try await post(client, other, "respond", #"{"measure": 7}"#).status == 400)
        #expect(try await post(client, other, "ack", "[1]").status == 400)
        #expect(try await post(client, other, "ack", "{nope").status == 400)
        #expect(try await post(client, other, "respond", "").status == 400)  // an empty body has no measure
        #expect(try await post(client, other, "ack", #"{"note": "n"}"#, as: "anna").status == 400)
        // Unknown alerts: 404.
        let missing = try await post(client, "A-999999999", "ack", #"{}"#, as: "anna")
        #expect(missing.status == 404)
        #expect(missing.error.contains("A-999999999"))
        #expect(try await client.send("GET", "/api/v1/alerts/A-999999999", as: "anna").status == 404)
        // None of the refused requests changed the other alert.
        let untouched = try await client.send("GET", "/api/v1/alerts/\(other)", as: "anna")
        #expect(untouched.state == "open")
        #expect((untouched.object["actions"] as? [Any])?.isEmpty == true)

        // The alert and its action log: who did what, when.
        let shown = try await client.send("GET", "/api/v1/alerts/\(id)", as: "anna")
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
        let listing = try await client.send("GET", "/api/v1/alerts?state=closed", as: "anna")
        #expect(listing.text.contains(id))
        // A "by" in the body is ignored: the session says who acts.
        let named = try await post(client, other, "ack", #"{"by": "mallory"}"#, as: "bert")
        #expect(named.status == 200)
        try await server.stop()

        // The audit trail names the actor of each entry.
        let audit = try Store(path: db).auditTrail(subject: id)
        #expect(audit.map(\.actor) == ["anna", "bert", "carla"])
        #expect(audit.map(\.action) == ["alert.acknowledge", "alert.respond", "alert.close"])
        #expect(try Store(path: db).auditTrail(subject: other).map(\.actor) == ["bert"])
    }

    @Test func closingWithAMeasureRecordsItAndAcknowledges() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        for name in ["anna", "bert", "carla", "dirk"] { try addUser(db, name, .operator) }
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let id = try await tamper(push, "TAG-T2", db: db)
        let close = try await post(
            client, id, "close", #"{"measure": "false_alarm", "note": "strap test"}"#, as: "dirk")
        try await server.stop()
        #expect(close.status == 200)
        #expect(close.state == "closed")
        #expect(close.recorded == ["acknowledge", "respond", "close"])
        #expect(try Store(path: db).actions(alertID: id).map(\.actor) == ["dirk", "dirk", "dirk"])
    }
}
