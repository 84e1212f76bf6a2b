import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// The alert page's handling table (PROTOCOL 4.4, 1.1) as each role sees it, through a real server and real sessions;
/// and the latency dashboard's per-queue lines.
@Suite("console alert page: each queue's handling, buttons per queue", .serialized)
struct AlertPageTests {
    /// The `<tr>` of one queue in the handling table.
    func row(_ page: String, _ queue: String) throws -> String {
        let start = try #require(page.range(of: #"<tr data-queue="\#(queue)""#), "no row for \(queue)")
        let end = try #require(page[start.upperBound...].range(of: "</tr>"))
        return String(page[start.lowerBound..<end.upperBound])
    }

    func buttons(_ row: String) -> [String] {
        row.components(separatedBy: #"<button data-act=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func eachQueuesRowShowsItsOwnHandlingAndOnlyTheUsersQueuesHaveButtons() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "anna", .operator)
        try addUser(db, "piet", .police)
        try addUser(db, "root", .admin)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T1", 1, "strap", #","state":"opened""#))
        var id = ""
        for _ in 0..<200 where id.isEmpty {
            id = try Store(path: db).alerts().first { $0.device == "TAG-T1" }?.id ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!id.isEmpty)
        let path = "/api/v1/alerts/\(id)"
        // The police record two measures; the vcet queue does nothing yet.
        #expect(try await client.send("POST", path + "/respond", #"{"measure":"phone_call"}"#, as: "piet").status == 200)
        #expect(try await client.send("POST", path + "/respond", #"{"measure":"field_visit"}"#, as: "piet").status == 200)

        let police = try await client.send("GET", "/console/alert/\(id)", as: "piet").text
        // The summary at the top, one row per queue reached (Radex critical: four queues).
        #expect(police.contains(#"<span title="all queues together" class="state state-responded""#))
        #expect(police.components(separatedBy: "<tr data-queue=").count - 1 == 4)
        let p = try row(police, "police")
        #expect(p.contains(#"data-state="responded""#) && p.contains(#"class="mine""#) && p.contains("(your queue)"))
        #expect(p.contains("after detection</span> · phone call") && p.contains("<td>field visit</td>"))
        #expect(buttons(p) == ["respond", "close"])
        #expect(p.contains(#"data-queue="police""#))
        let v = try row(police, "vcet")
        #expect(v.contains(#"data-state="open""#) && buttons(v).isEmpty && !v.contains("after detection"))
        #expect(police.contains(#"["police"]"#))  // the queues the script lets the user act for

        // The operator sees the same table; only the vcet row has buttons, acknowledge among them.
        let anna = try await client.send("GET", "/console/alert/\(id)", as: "anna").text
        let annaVCET = try row(anna, "vcet")
        #expect(buttons(annaVCET) == ["ack", "respond", "close"])
        let annaPolice = try row(anna, "police"), annaCIC = try row(anna, "cic")
        #expect(buttons(annaPolice).isEmpty && buttons(annaCIC).isEmpty)

        // The administrator gets one set per row and names the queue; a queue that closed it has none.
        let closed = try await client.send(
            "POST", path + "/close", #"{"queue":"police","note":"handled on site"}"#, as: "root")
        #expect(closed.status == 200, "\(closed.text)")
        let root = try await client.send("GET", "/console/alert/\(id)", as: "root").text
        let rootPolice = try row(root, "police")
        #expect(buttons(rootPolice).isEmpty && rootPolice.contains(#"data-state="closed""#))
        for q in ["vcet", "coordinator", "cic"] {
            let r = try row(root, q)
            #expect(buttons(r) == ["ack", "respond", "close"], "\(q)")
            #expect(r.contains(#"data-queue="\#(q)""#) && !r.contains("(your queue)"))
        }
        // The police closing leaves the alert open for vcet: the summary is still `responded`.
        #expect(root.contains(#"class="state state-responded""#))
        // The action log says who, in which role, for which queue.
        #expect(root.contains(#"<strong>root</strong> <span class="muted">(administrator)</span> closed <span class="log-queue">for police</span>"#))
        #expect(root.contains(#"<strong>piet</strong> <span class="muted">(police)</span> measure <span class="log-queue">for police</span>: phone call"#))
        try await server.stop()
    }

    @Test func theLatencyChartsByQueueUseEachQueuesOwnMoments() {
        let t0 = Timestamp(milliseconds: 1_795_000_000_000)
        func at(_ s: Int64) -> Timestamp { Timestamp(milliseconds: t0.milliseconds + s * 1000) }
        var r = LatencyRecord(
            alertID: "A-000000001", kind: .breach(.strap_tamper), severity: .critical, radex: true,
            queues: [.vcet, .cic, .police], policy: "v1", escalation: 0, detectedAt: t0, acknowledgedAt: at(60),
            respondedAt: at(90), targetSeconds: 300)
        r.handling = Handling([
            .vcet: QueueHandling(state: .responded, acknowledgedAt: at(60), firstMeasureAt: at(90), measure: .phone_call),
            .cic: .open,
            .police: QueueHandling(state: .acknowledged, acknowledgedAt: at(600)),
        ])
        let ack = LatencyPage.series([r], by: .queue, \LatencyRecord.acknowledgedAt)
        #expect(ack.map { $0.name } == ["vcet", "police"])
        #expect(ack.map { $0.values } == [[60_000], [600_000]])
        let response = LatencyPage.series([r], by: .queue, \LatencyRecord.respondedAt)
        #expect(response.map { $0.name } == ["vcet"] && response.map { $0.values } == [[90_000]])
        // Not by queue: the alert's own (first) moments.
        #expect(LatencyPage.series([r], by: .policy, \LatencyRecord.acknowledgedAt).map { $0.values } == [[60_000]])
        #expect(ConsoleText.duration(ms: 65_400) == "1m 05s" && ConsoleText.duration(ms: 7_260_000) == "2h 01m")
    }
}
