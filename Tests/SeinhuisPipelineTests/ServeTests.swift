import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisCore
import SeinhuisPipeline
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

@Suite("serve over real ZeroMQ sockets and a real SQLite file", .serialized)
struct ServeTests {
    /// Sends a reliable batch and waits for its ack.
    func sendBatch(_ dealer: ZMQSocket, id: String, _ frames: [String]) throws -> [String] {
        try dealer.send(id, more: true)
        for (i, f) in frames.enumerated() { try dealer.send(f, more: i < frames.count - 1) }
        let reply = try #require(try dealer.receiveMessage())
        return reply.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A server on a fresh database with the test dossiers imported.
    func startedServer() async throws -> (String, RunningServer) {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db)
        try await server.start()
        return (db, server)
    }

    func connectedDealer(_ ctx: ZMQContext, _ endpoint: String) throws -> ZMQSocket {
        let dealer = try ZMQSocket(ctx, .dealer)
        try dealer.setReceiveTimeout(10_000)
        try dealer.connect(endpoint)
        return dealer
    }

    @Test func reliableIngestAcksAfterStorageAndResendsAreDuplicates() async throws {
        let (db, server) = try await startedServer()
        let ctx = try ZMQContext()
        let dealer = try connectedDealer(ctx, server.config.reliableEndpoint)
        let batch = [
            frame("TAG-T1", 1, "heartbeat"),
            "{garbage",
            frame("TAG-T1", 2, "battery", #","level":0.9,"charging":false"#),
            frame("TAG-NOPE", 1, "heartbeat"),
        ]
        #expect(try sendBatch(dealer, id: "b-1", batch) == ["b-1", "ok", "2", "0", "2"])
        // Acked means stored: another connection sees the events now.
        #expect(try Store(path: db).journalCount() == 2)
        #expect(try sendBatch(dealer, id: "b-1", batch) == ["b-1", "ok", "0", "2", "2"])
        try await server.stop()

        // A restart keeps the journal and the duplicate filter.
        let again = RunningServer(db: db)
        try await again.start()
        let d2 = try connectedDealer(ctx, again.config.reliableEndpoint)
        #expect(
            try sendBatch(d2, id: "b-2", [frame("TAG-T1", 2, "heartbeat"), frame("TAG-T1", 3, "heartbeat")])
                == ["b-2", "ok", "1", "1", "0"])
        try await again.stop()
        let store = try Store(path: db)
        #expect(try store.journalCount() == 3)
        let reasons = Set(try store.quarantined().map(\.reason))
        #expect(reasons == ["malformed_json", "unknown_device"])
    }

    @Test func strapTamperOnARadexDossierReachesAllFourQueuesOnThePubSocket() async throws {
        let (db, server) = try await startedServer()
        let ctx = try ZMQContext()
        let sub = try ZMQSocket(ctx, .sub)
        try sub.setReceiveTimeout(10_000)
        try sub.subscribe("")
        try sub.connect(server.config.alertsEndpoint)
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        // PUB drops messages until the subscription has propagated: wait until a probe alert arrives.
        var received: [(String, String)] = []
        var seq = 1
        while received.isEmpty && seq < 50 {
            try push.send(frame("TAG-T1", seq, "strap", #","state":"opened""#))
            try push.send(frame("TAG-T1", seq + 1, "strap", #","state":"closed""#))
            seq += 2
            try await Task.sleep(for: .milliseconds(100))
            try sub.setReceiveTimeout(200)
            while let m = try sub.receiveMessage() {
                received.append((String(decoding: m[0], as: UTF8.self), String(decoding: m[1], as: UTF8.self)))
            }
        }
        try await server.stop()
        let opened = received.filter { $0.1.contains(#""breach":"strap_tamper""#) && !$0.1.contains("cleared_at") }
        let topics = Set(opened.map(\.0))
        #expect(topics == ["vcet", "coordinator", "cic", "police"])
        #expect(opened.allSatisfy { $0.1.contains(#""dossier":"D-T-1""#) && $0.1.contains(#""severity":"critical""#) })
        let stored = try Store(path: db).alerts()
        #expect(
            stored.contains { $0.kind == .breach(.strap_tamper) && $0.queues == [.vcet, .coordinator, .cic, .police] })
    }

    @Test func metricsCountAcceptedDuplicatesAndRejectionsByReason() async throws {
        let (_, server) = try await startedServer()
        let ctx = try ZMQContext()
        let dealer = try connectedDealer(ctx, server.config.reliableEndpoint)
        _ = try sendBatch(dealer, id: "m", [frame("TAG-T2", 1, "heartbeat"), frame("TAG-T2", 1, "heartbeat"), "[]"])
        let url = URL(string: "http://127.0.0.1:\(server.config.httpPort)/metrics")!
        // Metrics are updated just after the ack is sent: poll briefly rather than race the ingest thread.
        var text = ""
        for _ in 0..<40 {
            let (data, _) = try await URLSession.shared.data(from: url)
            text = String(decoding: data, as: UTF8.self)
            if text.contains(#"seinhuis_frames_rejected_total{reason="not_an_object"} 1"#) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await server.stop()
        #expect(text.contains(#"seinhuis_events_accepted_total{source="reliable"} 1"#))
        #expect(text.contains("seinhuis_events_duplicate_total 1"))
        #expect(text.contains(#"seinhuis_frames_rejected_total{reason="not_an_object"} 1"#))
        #expect(!text.contains("TAG-T2"))  // counts only, no personal data
    }
}

@Suite("serve publishes operators' actions made by other processes", .serialized)
struct ServeActionTests {
    @Test func anAcknowledgementByAnotherConnectionIsPublished() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let sub = try ZMQSocket(ctx, .sub)
        try sub.subscribe("vcet")
        try sub.connect(server.config.alertsEndpoint)
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T2", 1, "case", #","state":"opened""#))
        // Wait until the alert is stored.
        var id: String?
        for _ in 0..<100 where id == nil {
            try await Task.sleep(for: .milliseconds(50))
            id = try Store(path: db).alerts().first(where: { $0.device != nil })?.id
        }
        let alertID = try #require(id)
        // Another connection (what the CLI does) acknowledges it while serve runs.
        let operatorStore = try Store(path: db)
        _ = try operatorStore.act(.acknowledge, on: alertID, by: "op-test", at: Timestamp(milliseconds: 1))
        try sub.setReceiveTimeout(200)
        var states: [String] = []
        for _ in 0..<25 where !states.contains(where: { $0.contains(#""state":"acknowledged""#) }) {
            while let m = try sub.receiveMessage() { states.append(String(decoding: m[1], as: UTF8.self)) }
        }
        try await server.stop()
        #expect(states.contains { $0.contains(alertID) && $0.contains(#""state":"acknowledged""#) })
        #expect(try Store(path: db).auditTrail(subject: alertID).map(\.actor) == ["op-test"])
    }
}

@Suite("serve escalates unanswered alerts on the receive clock", .serialized)
struct ServeEscalationTests {
    /// v1's shape with one-second escalation times, so the test runs in seconds.
    let fast = RoutingPolicy(
        version: "fast", maxEscalations: 3,
        rules: [
            .init(
                radex: true, severities: [.critical, .high, .medium, .low],
                route: Route(
                    queues: [.vcet, .coordinator, .cic, .police], escalateAfterSeconds: 1,
                    escalateTo: [.vcet, .coordinator, .cic, .police])),
            .init(
                radex: false, severities: [.critical],
                route: Route(queues: [.vcet], escalateAfterSeconds: 1, escalateTo: [.police])),
            .init(
                radex: false, severities: [.high, .medium, .low],
                route: Route(queues: [.vcet], escalateAfterSeconds: 1, escalateTo: [.vcet])),
        ])

    @Test func anUnansweredCriticalAlertReachesPoliceAndAMeasureStopsIt() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db, policy: fast)
        try await server.start()
        let ctx = try ZMQContext()
        let police = try ZMQSocket(ctx, .sub)
        try police.subscribe("police")
        try police.setReceiveTimeout(200)
        try police.connect(server.config.alertsEndpoint)
        try await Task.sleep(for: .milliseconds(300))  // let the subscription reach the PUB socket
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T2", 1, "strap", #","state":"opened""#))  // other dossier, critical: vcet only
        var seen: [String] = []
        for _ in 0..<25 where seen.isEmpty {
            while let m = try police.receiveMessage() { seen.append(String(decoding: m[1], as: UTF8.self)) }
        }
        let first = try #require(seen.first)
        #expect(first.contains(#""escalation":1"#) && first.contains(#""queues":["vcet","police"]"#))
        // A measure recorded by an operator stops further escalation.
        let id = try #require(try Store(path: db).alerts().first(where: { $0.device != nil })?.id)
        _ = try Store(path: db).act(.respond(.phone_call, note: nil), on: id, by: "op", at: Timestamp(milliseconds: 2))
        try await Task.sleep(for: .milliseconds(3500))
        try await server.stop()
        let stored = try #require(try Store(path: db).alert(id: id))
        #expect(stored.escalation <= 2)
        #expect(stored.state == .responded)
    }

    @Test func aRestartDoesNotForgetAPendingEscalation() async throws {
        var slow = fast
        slow.version = "slow"
        slow.rules = slow.rules.map {
            var r = $0; r.route.escalateAfterSeconds = 3; return r
        }
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let first = RunningServer(db: db, policy: slow)
        try await first.start()
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(first.config.ingestEndpoint)
        try push.send(frame("TAG-T2", 1, "strap", #","state":"opened""#))
        var id: String?
        for _ in 0..<100 where id == nil {
            try await Task.sleep(for: .milliseconds(20))
            id = try Store(path: db).alerts().first(where: { $0.device != nil })?.id
        }
        try await first.stop()
        let alertID = try #require(id)
        #expect(try Store(path: db).alert(id: alertID)?.escalation == 0)

        let second = RunningServer(db: db, policy: slow)
        try await second.start()
        let police = try ZMQSocket(ctx, .sub)
        try police.subscribe("police")
        try police.setReceiveTimeout(200)
        try police.connect(second.config.alertsEndpoint)
        var seen: [String] = []
        for _ in 0..<30 where seen.isEmpty {
            while let m = try police.receiveMessage() { seen.append(String(decoding: m[1], as: UTF8.self)) }
        }
        try await second.stop()
        #expect(seen.first?.contains(alertID) == true)
        #expect(seen.first?.contains(#""escalation":1"#) == true)
        #expect(try Store(path: db).alerts().filter { $0.device != nil }.count == 1)  // the strap is still open: re-attached, not raised again
    }
}
