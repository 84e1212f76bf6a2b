import Foundation
import Testing

@testable import SeinhuisCore

/// A restored engine is the engine that was snapshotted: the contract's edge streams (every rule, two DST nights),
/// run as `serve` runs them (timers on a receive clock less each device's lag), give the same breach changes, in the
/// same order, whether the engine runs through or is snapshotted and restored every few hundred events, across a
/// re-import too; and the restored engine's own snapshot is byte for byte the original's.
@Suite("RuleEngine snapshots")
struct RuleEngineSnapshotTests {
    struct Stream {
        var dossiers: [Dossier]
        /// Accepted events in arrival order, with their receive time.
        var events: [(DeviceEvent, Timestamp)]
    }

    static func stream(_ folder: String) throws -> Stream {
        let dir = SpecReplayTests.spec.appendingPathComponent(folder)
        let dossiers = try Dossier.parse(Data(contentsOf: dir.appendingPathComponent("dossiers.json")))
        let known = Set(dossiers.flatMap(\.devices))
        // The file holds invalid UTF-8 on purpose (bad input): split the bytes, not a String.
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("events.ndjson")))
        let decoder = EventDecoder()
        var seen = Set<String>()
        var out: [(DeviceEvent, Timestamp)] = []
        var clock = Int64.min
        for line in bytes.split(separator: 0x0A) {
            guard case .event(let e) = decoder.decode(Array(line)), known.contains(e.device),
                seen.insert("\(e.device) \(e.seq)").inserted
            else { continue }
            // Each device reports with a lag of its own (0-40 s); the receive clock never runs backwards.
            let lag = Int64(abs(e.device.hashValue) % 40_000)
            clock = max(clock, e.ts.milliseconds + lag)
            out.append((e, Timestamp(milliseconds: clock)))
        }
        return Stream(dossiers: dossiers, events: out)
    }

    static var serveConfig: RuleConfig {
        var c = RuleConfig()
        c.timersFollowDeviceLag = true
        return c
    }

    /// A re-import halfway: every dossier's exclusion zones are dropped and its comms timeout halved.
    static func reimported(_ ds: [Dossier]) -> [Dossier] {
        ds.map { d in
            var d = d
            d.zones = d.zones.filter { $0.kind != .exclusion }
            d.commsTimeoutSeconds = max(60, d.commsTimeoutSeconds / 2)
            return d
        }
    }

    /// Runs the stream; every `restoreEvery` events (0: never) the engine is snapshotted and replaced by its restore.
    static func run(_ s: Stream, restoreEvery: Int) throws -> (changes: [BreachChange], final: [UInt8]) {
        var engine = RuleEngine(config: serveConfig)
        var changes: [BreachChange] = []
        var inForce = s.dossiers
        engine.load(inForce, at: .distantPast, into: &changes)
        let half = s.events.count / 2
        for (k, (e, received)) in s.events.enumerated() {
            if k == half {
                inForce = reimported(s.dossiers)
                engine.load(inForce, at: received, into: &changes)
            }
            if restoreEvery > 0, k % restoreEvery == restoreEvery - 1 {
                var w = SnapshotWriter()
                engine.snapshot(into: &w)
                var r = SnapshotReader(w.bytes)
                engine = try RuleEngine.restore(
                    from: &r, dossiers: Dictionary(uniqueKeysWithValues: inForce.map { ($0.id, $0) }),
                    config: serveConfig)
                #expect(r.isAtEnd)
            }
            engine.advance(to: received, into: &changes)
            engine.process(e, into: &changes)
        }
        engine.advance(to: (s.events.last?.1 ?? .distantPast) + 86_400_000, into: &changes)
        var w = SnapshotWriter()
        engine.snapshot(into: &w)
        return (changes, w.bytes)
    }

    @Test(arguments: ["edge/autumn", "edge/spring"])
    func aRestoredEngineGoesOnAsTheOriginal(_ folder: String) throws {
        let s = try Self.stream(folder)
        let through = try Self.run(s, restoreEvery: 0)
        #expect(through.changes.count > 100, "the stream should raise and clear many breaches")
        for every in [13, 997] {
            let restored = try Self.run(s, restoreEvery: every)
            #expect(restored.changes == through.changes, "restored every \(every) events")
            #expect(restored.final == through.final, "the final snapshot, restored every \(every) events")
        }
    }

    /// (1.1) The same streams with every exclusion zone a `crossing` zone: a snapshot taken between the two fixes of
    /// a crossing keeps the first of them.
    @Test(arguments: ["edge/autumn", "edge/spring"])
    func aRestoredEngineGoesOnAsTheOriginalWithCrossingZones(_ folder: String) throws {
        var s = try Self.stream(folder)
        s.dossiers = s.dossiers.map { d in
            var d = d
            for z in d.zones.indices where d.zones[z].kind == .exclusion { d.zones[z].crossing = true }
            return d
        }
        let through = try Self.run(s, restoreEvery: 0)
        #expect(through.changes.contains { $0.key.kind == .exclusion_zone_crossed }, "the stream should cross a zone")
        for every in [2, 13, 997] {
            let restored = try Self.run(s, restoreEvery: every)
            #expect(restored.changes == through.changes, "restored every \(every) events")
            #expect(restored.final == through.final, "the final snapshot, restored every \(every) events")
        }
    }

    /// (1.1) The same streams with a protected person in the first dossier whose device reports what that dossier's
    /// first tag reports (renamed, shifted by 30 s, so they are near whenever the tag reports often): restores between the pair of tag
    /// fixes, while the person's fix is fresh, and across its staleness timer give the same changes.
    @Test(arguments: ["edge/autumn", "edge/spring"])
    func aRestoredEngineGoesOnAsTheOriginalWithAProtectedPerson(_ folder: String) throws {
        var s = try Self.stream(folder)
        let source = try #require(s.dossiers.first?.devices.first)
        s.dossiers[0].protected = [ProtectedPerson(id: "P-01", device: "VIC-X", radiusMetres: 2_000)]
        var events: [(DeviceEvent, Timestamp)] = []
        for (e, received) in s.events {
            events.append((e, received))
            if e.device == source {
                events.append((DeviceEvent(device: "VIC-X", seq: e.seq, ts: e.ts + 30_000, reading: e.reading), received))
            }
        }
        s.events = events
        let through = try Self.run(s, restoreEvery: 0)
        #expect(through.changes.contains { $0.key.kind == .victim_proximity }, "the stream should come near")
        for every in [2, 13, 997] {
            let restored = try Self.run(s, restoreEvery: every)
            #expect(restored.changes == through.changes, "restored every \(every) events")
            #expect(restored.final == through.final, "the final snapshot, restored every \(every) events")
        }
    }

    /// Thousands of dossiers: indices run far beyond the bytes left at the end of the snapshot (a bug once read an
    /// index as a count and refused every large snapshot).
    @Test func aSnapshotOfThousandsOfDevicesRestores() throws {
        let n = 3000
        let json = (1...n).map { k in
            #"{"id":"D-\#(k)","subject":"S-\#(k)","radex":false,"mandate":"sentence","start":"2020-01-01","devices":["TAG-\#(k)"],"home":{"lat":51.0,"lon":3.7,"radius_m":100}}"#
        }
        let list = try Dossier.parse("[" + json.joined(separator: ",") + "]")
        var engine = RuleEngine(config: Self.serveConfig)
        var changes: [BreachChange] = []
        engine.load(list, at: .distantPast, into: &changes)
        let t = Timestamp(milliseconds: 1_795_000_000_000)
        engine.advance(to: t, into: &changes)
        for k in 1...n {
            engine.process(DeviceEvent(device: "TAG-\(k)", seq: 1, ts: t, reading: .strap(.opened)), into: &changes)
        }
        var w = SnapshotWriter()
        engine.snapshot(into: &w)
        var r = SnapshotReader(w.bytes)
        let restored = try RuleEngine.restore(
            from: &r, dossiers: Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) }), config: Self.serveConfig)
        #expect(r.isAtEnd)
        #expect(restored.openBreaches == engine.openBreaches)
        #expect(restored.openBreaches.count == n)
    }

    @Test func damagedOrMismatchedSnapshotsAreRefusedNotMisread() throws {
        let s = try Self.stream("edge/autumn")
        var engine = RuleEngine(config: Self.serveConfig)
        var changes: [BreachChange] = []
        engine.load(s.dossiers, at: .distantPast, into: &changes)
        for (e, received) in s.events.prefix(3000) {
            engine.advance(to: received, into: &changes)
            engine.process(e, into: &changes)
        }
        var w = SnapshotWriter()
        engine.snapshot(into: &w)
        let bytes = w.bytes
        let byID = Dictionary(uniqueKeysWithValues: s.dossiers.map { ($0.id, $0) })
        // Every truncation throws (none crashes or reads garbage as a state).
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
            var r = SnapshotReader(Array(bytes.prefix(cut)))
            #expect(throws: SnapshotError.self) { _ = try RuleEngine.restore(from: &r, dossiers: byID, config: .init()) }
        }
        // A dossier missing, or one with other zones than when the snapshot was taken.
        var r = SnapshotReader(bytes)
        #expect(throws: SnapshotError.self) {
            _ = try RuleEngine.restore(from: &r, dossiers: byID.filter { $0.key != s.dossiers[0].id }, config: .init())
        }
        let zoned = try #require(s.dossiers.first { !$0.zones.isEmpty })
        var changed = byID
        changed[zoned.id]!.zones.removeLast()
        r = SnapshotReader(bytes)
        #expect(throws: SnapshotError.self) { _ = try RuleEngine.restore(from: &r, dossiers: changed, config: .init()) }
    }
}
