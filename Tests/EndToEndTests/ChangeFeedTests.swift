import Foundation
import Testing
import ZeroMQ

/// PROTOCOL 4.3 and 4.4 (1.1) on the real binary: the change feed by rev, PUB carrying the same rev, and each
/// queue's own handling through the HTTP API.
@Suite("the change feed and per-queue handling (PROTOCOL 4.3, 4.4)", .serialized)
struct ChangeFeedTests {
    /// The case of issue 15: an ordinary critical alert (vcet only) escalates to police after a Radex alert went to
    /// police at once. Catch-up by id (`after=`) misses it; catch-up by rev returns it.
    @Test func anAlertThatReachesPoliceByEscalationIsCaughtUpByRev() throws {
        let f = try FeedServer("feed-escalation", pairs: 1, radexEscalateS: 3600, otherEscalateS: 3)
        try f.served.start()
        let ctx = try ZMQContext()
        let pub = try PublicationLog(ctx, endpoint: f.ports.alerts, queue: "police")
        let piet = try f.token("piet")
        var client = try ReliableClient(endpoint: f.ports.reliable)
        _ = try client.send([FeedServer.strap("TAG-O1", 1, "opened")])  // vcet only
        var otherID: String?
        try FeedServer.waitUntil("the ordinary alert") {
            otherID = try f.alertID(device: "TAG-O1")
            return otherID != nil
        }
        _ = try client.send([FeedServer.strap("TAG-R1", 1, "opened")])  // police at once, a higher number
        var first: (alerts: [(id: String, rev: Int64, alert: [String: Any])], next: Int64) = ([], 0)
        try FeedServer.waitUntil("the Radex alert in the police feed") {
            first = try f.feed("police", afterRev: 0, token: piet)
            return !first.alerts.isEmpty
        }
        let radexID = try #require(try f.alertID(device: "TAG-R1"))
        #expect(first.alerts.map(\.id) == [radexID])
        #expect(radexID > otherID!)
        #expect(first.next == first.alerts[0].rev)

        // The escalation of A-1 to police, 3 s after its detection.
        var later: [(id: String, rev: Int64, alert: [String: Any])] = []
        try FeedServer.waitUntil("the escalated alert in the police feed") {
            later = try f.feed("police", afterRev: first.next, token: piet).alerts
            return !later.isEmpty
        }
        #expect(later.map(\.id) == [otherID])
        let escalated = later[0].alert
        #expect(escalated["escalation"] as? Int == 1)
        #expect(escalated["queues"] as? [String] == ["vcet", "police"])
        #expect(later[0].rev > first.next)
        // By id, as before 1.1, the police never see it: it was raised before the last id they had.
        let byID = try f.call("GET", "/api/v1/alerts?queue=police&after=\(radexID)", token: piet)
        let byIDList = try Binary.json(byID.body) as? [Any]
        #expect(byID.status == 200 && byIDList?.isEmpty == true)

        // PUB carried the same revs: the Radex alert's raise and A-1's escalation.
        try FeedServer.waitUntil("both publications on PUB") {
            try pub.drain()
            return pub.received.contains { $0.id == otherID }
        }
        #expect(pub.received.contains { $0.id == radexID && $0.rev == first.alerts[0].rev })
        #expect(pub.received.contains { $0.id == otherID && $0.rev == later[0].rev })
        try f.served.stop()
    }

    /// A police acknowledgement is the police's: the centre's handling stays open, and the change is published
    /// with a new rev. Refused actions (another queue, a queue never reached, bad input) write nothing.
    @Test func eachQueueHandlesItsOwnAndRefusedActionsWriteNothing() throws {
        let f = try FeedServer("feed-handling", pairs: 1, radexEscalateS: 3600, otherEscalateS: 3600)
        try f.served.start()
        let (piet, anna, root) = (try f.token("piet"), try f.token("anna"), try f.token("root"))
        var client = try ReliableClient(endpoint: f.ports.reliable)
        _ = try client.send([FeedServer.strap("TAG-R1", 1, "opened"), FeedServer.strap("TAG-O1", 1, "opened")])
        var raised: [(id: String, rev: Int64, alert: [String: Any])] = []
        try FeedServer.waitUntil("the Radex alert") {
            raised = try f.feed("police", afterRev: 0, token: piet).alerts
            return !raised.isEmpty
        }
        let radexID = raised[0].id
        let otherID = try #require(try f.alertID(device: "TAG-O1"))

        let ack = try f.call("POST", "/api/v1/alerts/\(radexID)/ack", token: piet, body: "{}")
        #expect(ack.status == 200)
        let handling = try #require(
            ((try Binary.json(ack.body) as? [String: Any])?["alert"] as? [String: Any])?["handling"]
                as? [String: [String: Any]])
        #expect(handling["police"]?["state"] as? String == "acknowledged")
        #expect(handling["police"]?["acknowledged_at"] is String)
        #expect(handling["vcet"]?["state"] as? String == "open")
        #expect(Set(handling.keys) == ["vcet", "coordinator", "cic", "police"])
        var republished: [(id: String, rev: Int64, alert: [String: Any])] = []
        try FeedServer.waitUntil("the acknowledgement published with a new rev") {
            republished = try f.feed("police", afterRev: raised[0].rev, token: piet).alerts
            return !republished.isEmpty
        }
        #expect(republished.map(\.id) == [radexID])
        #expect((republished[0].alert["handling"] as? [String: [String: Any]])?["vcet"]?["state"] as? String == "open")

        // Refused, each with its reason; the alert's log and rev stay as they are.
        let before = try actionCount(f, radexID) + actionCount(f, otherID)
        let refused: [(String, String?, String, Int, String)] = [
            ("/api/v1/alerts/\(radexID)/ack", piet, #"{"queue":"vcet"}"#, 403, "may not act for queue vcet"),
            ("/api/v1/alerts/\(otherID)/ack", root, #"{"queue":"police"}"#, 409, "never reached"),
            ("/api/v1/alerts/\(otherID)/respond", anna, #"{"measure":"teleport"}"#, 400, "measure"),
            ("/api/v1/alerts/\(otherID)/ack", root, "{}", 400, "name the queue"),
            ("/api/v1/alerts/\(otherID)/ack", piet, "{}", 403, "not in the queues of role police"),
        ]
        for (path, token, body, status, reason) in refused {
            let r = try f.call("POST", path, token: token, body: body)
            #expect(r.status == status, "\(path) \(body): \(r.status) \(r.body)")
            #expect(r.body.contains(reason), "\(path) \(body): \(r.body)")
        }
        for (path, status) in [
            ("/api/v1/queues/police/alerts?after_rev=abc", 400), ("/api/v1/queues/police/alerts?after_rev=-1", 400),
            ("/api/v1/queues/police/alerts?limit=0", 400), ("/api/v1/queues/vcet/alerts", 403),
            ("/api/v1/queues/nowhere/alerts", 404), ("/api/v1/alerts?queue=police&after=nonsense", 400),
        ] {
            let r = try f.call("GET", path, token: piet)
            #expect(r.status == status, "\(path): \(r.status) \(r.body)")
        }
        #expect(try actionCount(f, radexID) + actionCount(f, otherID) == before)
        let latest = try f.wholeFeed("police", token: piet)
        #expect(latest.map(\.rev) == [republished[0].rev])  // nothing was published again
        try f.served.stop()
    }

    func actionCount(_ f: FeedServer, _ id: String) throws -> Int {
        let r = try f.call("GET", "/api/v1/alerts/\(id)", token: try f.token("root"))
        return ((try Binary.json(r.body) as? [String: Any])?["actions"] as? [Any])?.count ?? -1
    }
}
