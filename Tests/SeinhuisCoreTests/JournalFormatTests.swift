import Testing

@testable import SeinhuisCore

/// `JournalFormat.v2`: each event's receive clock and whether it was evaluated come back as written (what start-up
/// needs to judge the journal after a snapshot as it was judged on arrival, PROTOCOL 2.4).
@Suite("journal format v2")
struct JournalFormatTests {
    @Test func receiveClockAndEvaluationRoundTrip() {
        let t0: Int64 = 1_795_000_000_000
        var b = JournalBlockBuilder(format: .v2)
        let readings: [Reading] = [
            .position(lat: 51.05, lon: 3.72, acc: 12.5), .heartbeat, .strap(.opened), .battery(level: 0.1, charging: false),
            .gnss(.jammed), .presence(false), .power(.lost), .case(.closed),
        ]
        var written: [(DeviceEvent, Int64, Bool)] = []
        for (k, r) in readings.enumerated() {
            let e = DeviceEvent(device: "D\(k % 3)", seq: UInt64(k * 1000 + 7), ts: Timestamp(milliseconds: t0 - Int64(k) * 977), reading: r)
            let received = t0 + Int64(k / 2) * 3  // the clock stands still within a turn, then moves on
            b.append(deviceID: Int64(k % 3 + 1), e, receivedAt: Timestamp(milliseconds: received))
            let evaluated = k % 3 != 1
            if !evaluated { b.markLastNotEvaluated() }
            written.append((e, received, evaluated))
        }
        var read: [(DeviceEvent, Int64, Bool)] = []
        b.data.withUnsafeBytes { raw in
            var r = JournalBlockReader(raw, format: .v2)
            while let (_, e) = r.next(deviceName: { "D\($0 - 1)" }) {
                read.append((e, r.receivedAt!.milliseconds, r.evaluated))
            }
        }
        #expect(read.count == written.count)
        for (w, g) in zip(written, read) {
            #expect(w.0 == g.0)
            #expect(w.1 == g.1)
            #expect(w.2 == g.2)
        }
        // The same events in v1 carry neither (and read as evaluated, with no receive clock).
        var v1 = JournalBlockBuilder(format: .v1)
        for (e, received, _) in written { v1.append(deviceID: 1, e, receivedAt: Timestamp(milliseconds: received)) }
        v1.markLastNotEvaluated()
        v1.data.withUnsafeBytes { raw in
            var r = JournalBlockReader(raw, format: .v1)
            var n = 0
            while r.next(deviceName: { _ in "D" }) != nil {
                #expect(r.evaluated && r.receivedAt == nil)
                n += 1
            }
            #expect(n == written.count)
        }
        #expect(b.data.count > v1.data.count)
        #expect(b.data.count - v1.data.count <= written.count + 8, "about a byte per event, and the first's clock")
    }
}
