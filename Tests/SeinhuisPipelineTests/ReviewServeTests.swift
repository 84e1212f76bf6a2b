import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// Review notices raised by `serve` on its receive clock (PROTOCOL 5); the review API is in SeinhuisHTTPTests.
@Suite("review notices in serve", .serialized)
struct ReviewServeTests {
    func drain(_ sub: ZMQSocket, for ms: Int) throws -> [(String, String)] {
        var out: [(String, String)] = []
        try sub.setReceiveTimeout(Int32(ms))
        while let m = try sub.receiveMessage() {
            out.append((String(decoding: m[0], as: UTF8.self), String(decoding: m[1], as: UTF8.self)))
        }
        return out
    }

    @Test func noticesGoToTheirQueuesOnceAndStopWhenAReviewIsRecorded() async throws {
        let db = temporaryDatabase()
        let today = ReviewFixtures.today()
        try ReviewFixtures.importDossiers(
            db, "[" + ReviewFixtures.dossier("D-OK", device: "TAG-OK", deadlineIn: 100, from: today) + "]")
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let sub = try ZMQSocket(ctx, .sub)
        try sub.subscribe("")
        try sub.connect(server.config.alertsEndpoint)
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        // Wait until the subscription has propagated (a probe alert arrives).
        var seq = 1
        var probed = false
        while !probed && seq < 60 {
            try push.send(frame("TAG-OK", seq, "strap", #","state":"opened""#))
            try push.send(frame("TAG-OK", seq + 1, "strap", #","state":"closed""#))
            seq += 2
            probed = !(try drain(sub, for: 100)).isEmpty
        }
        #expect(probed)
        #expect(try Store(path: db).alerts().allSatisfy { $0.device != nil })  // D-OK is not due: no notice

        // Another process imports an overdue and a due dossier: serve notices within about a second.
        try ReviewFixtures.importDossiers(
            db,
            "[" + ReviewFixtures.dossier("D-OVER", device: "TAG-OVER", deadlineIn: -3, from: today) + ","
                + ReviewFixtures.dossier("D-DUE", device: "TAG-DUE", deadlineIn: 12, from: today) + ","
                + ReviewFixtures.dossier("D-OTHER", device: "TAG-OTHER", deadlineIn: -3, radex: false, from: today)
                + "]")
        var got: [(String, String)] = []
        for _ in 0..<40 where got.count < 3 { got += try drain(sub, for: 100).filter { $0.1.contains("review_") } }
        let overdue = got.filter { $0.1.contains(#""breach":"review_overdue""#) }
        let due = got.filter { $0.1.contains(#""breach":"review_due""#) }
        #expect(Set(overdue.map(\.0)) == ["cell", "coordinator"])
        #expect(overdue.allSatisfy { $0.1.contains(#""dossier":"D-OVER""#) && $0.1.contains(#""severity":"medium""#) })
        #expect(overdue.allSatisfy { $0.1.contains(#""device":null"#) })
        let deadline = ReviewFixtures.deadline(in: -3, from: today)
        #expect(overdue.first?.1.contains(#""deadline":"\#(deadline)""#) == true)
        #expect(due.map(\.0) == ["cell"])
        #expect(due.first?.1.contains(#""severity":"low""#) == true)
        #expect(!got.contains { $0.1.contains("D-OTHER") })  // not radex: out of the default scope

        // A review recorded by another process ends the cycle: its notice is cleared, nothing more is raised.
        let store = try Store(path: db)
        try addUser(db, "cell-member", .cell)
        _ = try ReviewDesk.record(
            store, dossier: "D-OVER", reviewer: "cell-member",
            date: today.adding(days: -1).description,
            findings: "reviewed", decision: "continue", by: "test",
            at: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        let later = try drain(sub, for: 1500).filter { $0.1.contains("review_") }
        #expect(later.isEmpty)
        try await server.stop()
        let notices = try store.alerts().filter { $0.device == nil }
        #expect(notices.count == 2)
        #expect(notices.first { $0.dossier == "D-OVER" }?.clearedAt != nil)
        #expect(notices.first { $0.dossier == "D-DUE" }?.clearedAt == nil)

        // A restart raises nothing twice.
        let again = RunningServer(db: db)
        try await again.start()
        try await Task.sleep(for: .milliseconds(300))
        try await again.stop()
        #expect(try Store(path: db).alerts().filter { $0.device == nil }.count == 2)
    }
}
