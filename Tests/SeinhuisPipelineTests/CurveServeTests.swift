import Foundation
import SeinhuisCore
import SeinhuisPipeline
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// `serve --curve` over real sockets (PROTOCOL 7, links): who may send, who receives what, what is counted.
@Suite("serve --curve: CURVE and ZAP on every ZeroMQ endpoint", .serialized)
struct CurveServeTests {
    func curveServer(_ fixture: CurveFixture) async throws -> (String, RunningServer) {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let keys = try fixture.keys()
        let server = RunningServer(db: db) { $0.curve = keys }
        try await server.start()
        return (db, server)
    }

    @Test func aPeerWithoutAKeyOrWithAnUnlistedKeyIsRefusedAndCountedAListedGatewayIsStored() async throws {
        let fixture = try CurveFixture(gateways: ["gw-1"], unlisted: ["stranger"])
        let (db, server) = try await curveServer(fixture)
        let ctx = try ZMQContext()
        // No key at all: the handshake fails (mechanism mismatch); nothing is delivered.
        let anonymous = try fixture.socket(ctx, .push, as: nil)
        try anonymous.connect(server.config.ingestEndpoint)
        try anonymous.send(frame("TAG-T1", 1, "strap", #","state":"opened""#), dontWait: true)
        #expect(try await eventually { try await refusedCount(server, "ingest") >= 1 })
        // A key the server does not list: ZAP answers 400.
        let before = try await refusedCount(server, "reliable")
        let stranger = try fixture.socket(ctx, .dealer, as: "stranger")
        try stranger.connect(server.config.reliableEndpoint)
        try stranger.send(parts: [Array("b-x".utf8), Array(frame("TAG-T1", 2, "heartbeat").utf8)])
        #expect(try await eventually { try await refusedCount(server, "reliable") > before })
        // A listed gateway's batch is acknowledged once stored.
        let gateway = try fixture.socket(ctx, .dealer, as: "gw-1")
        try gateway.setReceiveTimeout(10_000)
        try gateway.connect(server.config.reliableEndpoint)
        try gateway.send(parts: [Array("b-1".utf8), Array(frame("TAG-T1", 3, "heartbeat").utf8)])
        let ack = try #require(try gateway.receiveMessage()).map { String(decoding: $0, as: UTF8.self) }
        #expect(ack == ["b-1", "ok", "1", "0", "0"])
        try stranger.setReceiveTimeout(0)
        #expect(try stranger.receiveMessage(dontWait: true) == nil)
        try await server.stop()
        let store = try Store(path: db)
        #expect(try store.journalCount() == 1)
        #expect(!(try store.alerts().contains { $0.kind == .breach(.strap_tamper) }))  // the anonymous `opened`
    }

    @Test func aListedGatewaysPushRaisesAnAlert() async throws {
        let fixture = try CurveFixture(gateways: ["gw-1"])
        let (db, server) = try await curveServer(fixture)
        let ctx = try ZMQContext()
        let push = try fixture.socket(ctx, .push, as: "gw-1")
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T1", 1, "strap", #","state":"opened""#))
        #expect(try await eventually { try !Store(path: db).alerts().isEmpty })
        #expect(try await refusedCount(server, "ingest") == 0)
        try await server.stop()
        #expect(try Store(path: db).alerts().map(\.kind).filter { if case .breach = $0 { true } else { false } } == [.breach(.strap_tamper)])
    }

    /// The alerts published to each subscriber: (topic, alert JSON).
    final class Inbox {
        let socket: ZMQSocket
        var messages: [(topic: String, json: String)] = []
        init(_ socket: ZMQSocket) { self.socket = socket }
        func drain() throws {
            while let m = try socket.receiveMessage(dontWait: true), m.count == 2 {
                messages.append((String(decoding: m[0], as: UTF8.self), String(decoding: m[1], as: UTF8.self)))
            }
        }
        func has(_ dossier: String, _ text: String = "") -> Bool {
            messages.contains {
                $0.json.contains(#""dossier":"\#(dossier)""#) && !$0.json.contains("cleared_at") && (text.isEmpty || $0.json.contains(text))
            }
        }
    }

    @Test func aPoliceSubscriberSubscribingToEverythingGetsPoliceAlertsAndNeverAVcetOnlyOne() async throws {
        let fixture = try CurveFixture(
            gateways: ["gw-1"], subscribers: ["police-1": ["police"], "vcet-1": ["vcet"]], unlisted: ["stranger"])
        let (_, server) = try await curveServer(fixture)
        let ctx = try ZMQContext()
        var inboxes: [String: Inbox] = [:]
        for name in ["police-1", "vcet-1", "stranger"] {
            let sub = try fixture.socket(ctx, .sub, as: name)
            try sub.subscribe("")
            try sub.connect(server.config.alertsEndpoint)
            inboxes[name] = Inbox(sub)
        }
        let police = inboxes["police-1"]!, vcet = inboxes["vcet-1"]!, stranger = inboxes["stranger"]!
        let push = try fixture.socket(ctx, .push, as: "gw-1")
        try push.connect(server.config.ingestEndpoint)
        // Radex strap alerts (vcet, coordinator, cic, police) until both subscriptions are in force.
        var seq = 1
        let live = try await eventually {
            try push.send(frame("TAG-T1", seq, "strap", #","state":"opened""#))
            try push.send(frame("TAG-T1", seq + 1, "strap", #","state":"closed""#))
            seq += 2
            try await Task.sleep(for: .milliseconds(50))
            try police.drain()
            try vcet.drain()
            return police.has("D-T-1") && vcet.has("D-T-1")
        }
        #expect(live)
        // A non-radex dossier's strap tamper goes to vcet only; then one more radex alert, published after it.
        let last = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 1000).rfc3339
        try push.send(frame("TAG-T2", 1, "strap", #","state":"opened""#))
        try push.send(frame("TAG-T1", seq, "strap", #","state":"opened""#, ts: last))
        #expect(
            try await eventually {
                try police.drain()
                try vcet.drain()
                return vcet.has("D-T-2") && police.has("D-T-1", last)
            })
        try await Task.sleep(for: .milliseconds(100))
        try police.drain()
        try stranger.drain()
        try await server.stop()
        #expect(!police.messages.isEmpty && police.messages.allSatisfy { $0.topic == "police" })
        #expect(!police.messages.contains { $0.json.contains(#""dossier":"D-T-2""#) })
        #expect(vcet.messages.allSatisfy { $0.topic == "vcet" })
        #expect(stranger.messages.isEmpty)
    }

    @Test func anUnlistedSubscriberIsRefusedAndCounted() async throws {
        let fixture = try CurveFixture(subscribers: ["police-1": ["police"]], unlisted: ["stranger"])
        let (_, server) = try await curveServer(fixture)
        let ctx = try ZMQContext()
        let sub = try fixture.socket(ctx, .sub, as: "stranger")
        try sub.subscribe("")
        try sub.connect(server.config.alertsEndpoint)
        #expect(try await eventually { try await refusedCount(server, "alerts") >= 1 })
        try await server.stop()
    }
}
