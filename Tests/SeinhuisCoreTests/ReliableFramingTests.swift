import Testing

@testable import SeinhuisCore

/// The reliable endpoint's framing (PROTOCOL 2.3), as serve's readReliable runs it frame by frame.
@Suite("Reliable ingest framing")
struct ReliableFramingTests {
    static let event = Array(#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#.utf8)

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func framesAreIdentityBatchIDThenEvents() {
        var f = ReliableFraming()
        #expect([true, true, true, false].map { f.next(more: $0) } == [.identity, .batchID, .event, .event])
        // The next message starts over; a lone frame is dropped; an empty batch is a batch id alone.
        #expect(f.next(more: false) == .lone)
        #expect([true, false].map { f.next(more: $0) } == [.identity, .batchID])
    }

    @Test func parseGivesMessagesWithDecodedEventsAndTheirAcks() {
        let frames: [(bytes: [UInt8], more: Bool)] = [
            (Self.bytes("peer-1"), true), (Self.bytes("b-1"), true), (Self.event, true), (Self.bytes("{bad"), false),
            (Self.bytes("lone"), false),
            (Self.bytes("peer-2"), true), (Self.bytes("b-2"), false),
            (Self.bytes("peer-3"), true), (Self.bytes("b-3"), true),
        ]
        let m = ReliableFraming.parse(frames)
        #expect(m.count == 3)
        #expect(m[0].identity == Self.bytes("peer-1"))
        #expect(m[0].batchID == Self.bytes("b-1"))
        #expect(m[0].events.count == 2)
        #expect(m[0].complete)
        #expect(m[0].ack == ["b-1", "ok", "1", "0", "1"].map(Self.bytes))
        #expect(m[1].events.isEmpty && m[1].complete)
        #expect(m[1].ack == ["b-2", "ok", "0", "0", "0"].map(Self.bytes))
        #expect(!m[2].complete)
    }
}
