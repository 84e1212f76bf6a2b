import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisPipeline
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// PULL events whose turn has nothing urgent wait up to `pullCommitDelayMs` for their commit (PROTOCOL 2.3: the
/// PULL endpoint is unacknowledged); alerts, reliable batches and a stop commit at once.
@Suite("serve groups the commits of PULL events", .serialized)
struct ServeCommitTests {
    func accepted(_ server: RunningServer) async throws -> Int {
        let url = URL(string: "http://127.0.0.1:\(server.config.httpPort)/metrics")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let text = String(decoding: data, as: UTF8.self)
        let prefix = #"seinhuis_events_accepted_total{source="pull"} "#
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return 0 }
        return Int(line.dropFirst(prefix.count)) ?? 0
    }

    func push(_ server: RunningServer, _ frames: [String]) throws -> (ZMQContext, ZMQSocket) {
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        for f in frames { try push.send(f) }
        return (ctx, push)
    }

    @Test func pullEventsAreCommittedWithinTheDelayWithoutFurtherTraffic() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db) { $0.pullCommitDelayMs = 20 }
        try await server.start()
        // The first event is committed at once (it ends the device's loss-of-communication alert); the next two
        // have nothing urgent, and no traffic follows them.
        let sockets = try push(server, [frame("TAG-T2", 1, "heartbeat")])
        for _ in 0..<200 where try Store(path: db).journalCount() < 1 { try await Task.sleep(for: .milliseconds(20)) }
        for seq in 2...3 { try sockets.1.send(frame("TAG-T2", seq, "heartbeat")) }
        var stored: Int64 = 0
        for _ in 0..<100 where stored < 3 {
            try await Task.sleep(for: .milliseconds(20))
            stored = try Store(path: db).journalCount()
        }
        #expect(stored == 3)
        try await server.stop()
        _ = sockets
    }

    @Test func heldPullEventsAreCommittedByTheNextAlertAndOnStop() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        // A delay longer than the test: only an urgent turn or the stop commits.
        let server = RunningServer(db: db) { $0.pullCommitDelayMs = 600_000 }
        try await server.start()
        // The device's first event ends its loss-of-communication alert (raised at start): an urgent commit.
        let sockets = try push(server, [frame("TAG-T2", 1, "heartbeat")])
        for _ in 0..<200 where try Store(path: db).journalCount() < 1 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try Store(path: db).journalCount() == 1)
        for seq in 2...3 { try sockets.1.send(frame("TAG-T2", seq, "heartbeat")) }
        for _ in 0..<200 where try await accepted(server) < 3 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await accepted(server) == 3)
        #expect(try Store(path: db).journalCount() == 1)  // taken and evaluated, held for the delay

        // An alert is stored before it is published, and its commit carries every event before it.
        try sockets.1.send(frame("TAG-T2", 4, "strap", #","state":"opened""#))
        var alerts = 0
        for _ in 0..<200 where alerts == 0 {
            try await Task.sleep(for: .milliseconds(20))
            let stored = try Store(path: db).alerts(Store.AlertFilter(state: nil))
            alerts = stored.filter { $0.kind == .breach(.strap_tamper) }.count
        }
        #expect(alerts == 1)
        #expect(try Store(path: db).journalCount() == 4)

        try sockets.1.send(frame("TAG-T2", 5, "heartbeat"))
        for _ in 0..<200 where try await accepted(server) < 5 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try Store(path: db).journalCount() == 4)
        try await server.stop()
        #expect(try Store(path: db).journalCount() == 5)  // the stop commits what is held
    }
}
