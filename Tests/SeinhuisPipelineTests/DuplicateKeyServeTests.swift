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

/// Issue 16 over real sockets: an event with a repeated key is rejected (`duplicate_key`), counted in /metrics and
/// quarantined, and the good event after it is stored, on the PULL and the reliable endpoint alike.
@Suite("serve rejects an event with a duplicate key", .serialized)
struct DuplicateKeyServeTests {
    static let forged = #"{"v":1,"device":"TAG-T1","device":"TAG-T2","seq":1,"ts":"TS","kind":"heartbeat"}"#

    @Test func aDuplicateKeyEventIsRejectedCountedAndQuarantinedAndTheNextIsStored() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
        let forged = Self.forged.replacingOccurrences(of: "TS", with: now)
        try push.send(forged)
        try push.send(frame("TAG-T1", 2, "heartbeat"))
        // Over the reliable endpoint too: the ack counts it rejected, its neighbour accepted.
        let dealer = try ZMQSocket(ctx, .dealer)
        try dealer.setReceiveTimeout(10_000)
        try dealer.connect(server.config.reliableEndpoint)
        for (i, f) in ["d-1", forged.replacingOccurrences(of: #""seq":1"#, with: #""seq":3"#), frame("TAG-T1", 4, "heartbeat")]
            .enumerated()
        {
            try dealer.send(f, more: i < 2)
        }
        let ack = try #require(try dealer.receiveMessage()).map { String(decoding: $0, as: UTF8.self) }
        #expect(ack == ["d-1", "ok", "1", "0", "1"])

        let url = URL(string: "http://127.0.0.1:\(server.config.httpPort)/metrics")!
        var text = ""
        for _ in 0..<60 {
            let (data, _) = try await URLSession.shared.data(from: url)
            text = String(decoding: data, as: UTF8.self)
            if text.contains(#"seinhuis_frames_rejected_total{reason="duplicate_key"} 2"#) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await server.stop()
        #expect(text.contains(#"seinhuis_frames_rejected_total{reason="duplicate_key"} 2"#))
        #expect(text.contains(#"seinhuis_events_accepted_total{source="pull"} 1"#))
        #expect(text.contains(#"seinhuis_events_accepted_total{source="reliable"} 1"#))

        let store = try Store(path: db)
        let quarantined = try store.quarantined()
        #expect(quarantined.count == 2)
        #expect(quarantined.allSatisfy { $0.reason == "duplicate_key" })
        #expect(quarantined.allSatisfy { $0.detail == #"key "device" appears more than once"# })
        #expect(Set(quarantined.map(\.source)) == ["pull", "reliable"])
        #expect(quarantined.contains { $0.frame == Array(forged.utf8) })
        // Stored: the two good events, of TAG-T1; nothing of the forged frames (neither device got seq 1 or 3).
        let events = try store.journalEvents(device: nil, from: .distantPast, to: .distantFuture)
        #expect(events.map(\.seq).sorted() == [2, 4])
        #expect(events.allSatisfy { $0.device == "TAG-T1" })
    }
}
