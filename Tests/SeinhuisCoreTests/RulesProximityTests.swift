import Foundation
import Testing

@testable import SeinhuisCore

/// `victim_proximity` (PROTOCOL 4.1, 1.1; docs/RULES.md): two consecutive qualifying fixes of the tag, each within
/// `radius_m` of the protected person's latest qualifying fix, that fix at most 120 s older or newer.
@Suite("Rules: victim proximity")
struct RulesProximityTests {
    typealias F = RulesFixture

    static let victim = GeoPoint(lat: 51.05, lon: 4.05)
    /// About 220 m from the victim.
    static let near = GeoPoint(lat: 51.052, lon: 4.05)
    /// About 2.2 km from the victim.
    static let far = GeoPoint(lat: 51.07, lon: 4.05)

    static func dossier() -> Dossier {
        var d = F.dossier()
        d.protected = [ProtectedPerson(id: "P-01", device: "VIC-1", radiusMetres: 1000)]
        return d
    }

    /// `+victim_proximity/P-01@HH:MM:SS` (the key's person; zone breaches as the fixture logs them).
    static func take(_ run: inout F.Run) -> [String] {
        defer { run.changes.removeAll() }
        return run.changes.map { c in
            (c.isRaised ? "+" : "-") + c.key.kind.rawValue + (c.key.zone.map { "/\($0)" } ?? "")
                + (c.key.protected.map { "/\($0)" } ?? "") + "@" + String(c.at.rfc3339.dropFirst(11).prefix(8))
        }
    }

    @Test func twoNearFixesOfTheTagRaiseAFarOneClears() {
        var run = F.Run([Self.dossier()])
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:00:30.000Z", Self.near)
        #expect(Self.take(&run) == [])
        run.fix("2026-03-02T10:01:00.000Z", Self.near)
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:01:00"])
        #expect(run.engine.openBreaches.first { $0.kind == .victim_proximity }?.zone == nil)
        run.fix("2026-03-02T10:01:30.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:02:00.000Z", Self.far)
        #expect(Self.take(&run) == ["-victim_proximity/P-01@10:02:00"])
    }

    /// The person's fix may be up to 120 s older than the tag's: 121 s is not fresh.
    @Test(arguments: [(120, true), (121, false)])
    func anOlderFixOfThePersonCountsUpTo120Seconds(_ seconds: Int, _ counts: Bool) {
        var run = F.Run([Self.dossier()])
        let base = F.t("2026-03-02T10:00:00.000Z")
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T09:59:59.000Z", Self.near)  // 1 s older than the person's fix: fresh
        let second = (base + Int64(seconds) * 1000).rfc3339
        run.fix(second, Self.near)
        #expect((Self.take(&run).first?.hasPrefix("+victim_proximity") ?? false) == counts, "\(seconds) s")
    }

    /// The person's latest fix may be newer than the tag's (judged at the person's fix): 120 s counts, 121 s not.
    @Test(arguments: [(120, true), (121, false)])
    func aNewerFixOfThePersonCountsUpTo120Seconds(_ seconds: Int, _ counts: Bool) {
        var run = F.Run([Self.dossier()])
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:00:10.000Z", Self.near)
        run.fix("2026-03-02T10:00:20.000Z", Self.near)
        run.fix("2026-03-02T10:01:30.000Z", Self.victim, device: "VIC-1")  // keeps the person's fixes fresh
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:00:20"])
        // The tag's latest fix is at 10:00:20; the person moves far, `seconds` later.
        let later = F.t("2026-03-02T10:00:20.000Z") + Int64(seconds) * 1000
        run.fix(later.rfc3339, Self.far, device: "VIC-1")
        run.advance("2026-03-02T10:10:00.000Z")
        if counts {
            #expect(Self.take(&run) == ["-victim_proximity/P-01@10:02:20"])
        } else {
            // Not fresh for the tag's fix: no far verdict; the far fix itself goes stale 120 s later.
            #expect(Self.take(&run) == ["-victim_proximity/P-01@10:04:21"])
        }
    }

    @Test func thePairIsBrokenOnlyByAQualifyingFixOfTheTag() {
        var run = F.Run([Self.dossier()])
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:00:10.000Z", Self.near)
        run.fix("2026-03-02T10:00:20.000Z", Self.victim, device: "VIC-1")  // the person's fix between
        run.fix("2026-03-02T10:00:25.000Z", Self.far, acc: 250)  // not qualifying
        run.send("2026-03-02T10:00:27.000Z", .heartbeat)
        run.fix("2026-03-02T10:00:30.000Z", Self.near)
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:00:30"])
        run.fix("2026-03-02T10:00:40.000Z", Self.far)
        #expect(Self.take(&run) == ["-victim_proximity/P-01@10:00:40"])
        // near, far, near: never two near in a row.
        run.fix("2026-03-02T10:00:50.000Z", Self.near)
        run.fix("2026-03-02T10:01:00.000Z", Self.far)
        run.fix("2026-03-02T10:01:10.000Z", Self.near)
        #expect(Self.take(&run) == [])
    }

    @Test func noFreshFixOfThePersonFor120SecondsClearsAtThatMoment() {
        var run = F.Run([Self.dossier()])
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:00:10.000Z", Self.near)
        run.fix("2026-03-02T10:00:20.000Z", Self.near)
        run.advance("2026-03-02T10:02:00.000Z")  // exactly 120 s: still fresh
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:00:20"])
        run.advance("2026-03-02T10:02:00.001Z")
        #expect(Self.take(&run) == ["-victim_proximity/P-01@10:02:00"])
        // A new fix of the person: the tag's run starts again (its fix at 10:00:20 is 110 s older: fresh, near).
        run.fix("2026-03-02T10:02:10.000Z", Self.victim, device: "VIC-1")
        #expect(Self.take(&run) == [])
        run.fix("2026-03-02T10:02:20.000Z", Self.near)
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:02:20"])
    }

    @Test func theProtectedDevicesEventsCountForNothingElse() {
        var run = F.Run([Self.dossier()])
        #expect(run.engine.isKnownDevice("VIC-1"))
        #expect(run.send("2026-03-02T10:00:00.000Z", .strap(.opened), device: "VIC-1") == .evaluated)
        run.send("2026-03-02T10:00:01.000Z", .battery(level: 0.01, charging: false), device: "VIC-1")
        run.send("2026-03-02T10:00:02.000Z", .gnss(.jammed), device: "VIC-1")
        run.advance("2026-03-20T10:00:00.000Z")  // far past any comms timeout
        #expect(Self.take(&run) == [])
        #expect(run.engine.openBreaches.isEmpty)
        #expect(run.send("2025-03-02T10:00:00.000Z", .heartbeat, device: "VIC-1") == .outsidePeriod)
    }

    /// Snapshot and restore between the two fixes of a pair, and while the person's fix is fresh: the same changes.
    @Test func aRestoreMidPairGivesTheSameAlerts() throws {
        func script(_ run: inout F.Run, restoreAt: Int?) throws -> [String] {
            let steps: [(String, GeoPoint, String)] = [
                ("10:00:00", Self.victim, "VIC-1"), ("10:00:10", Self.near, "TAG-1"), ("10:00:20", Self.near, "TAG-1"),
                ("10:00:30", Self.far, "TAG-1"), ("10:00:40", Self.near, "TAG-1"), ("10:00:50", Self.victim, "VIC-1"),
                ("10:01:00", Self.near, "TAG-1"),
            ]
            for (k, (at, p, device)) in steps.enumerated() {
                if k == restoreAt {
                    var w = SnapshotWriter()
                    run.engine.snapshot(into: &w)
                    var r = SnapshotReader(w.bytes)
                    run.engine = try RuleEngine.restore(from: &r, dossiers: ["D-1": Self.dossier()], config: .init())
                    #expect(r.isAtEnd)
                }
                run.fix("2026-03-02T" + at + ".000Z", p, device: device)
            }
            run.advance("2026-03-02T10:10:00.000Z")
            return Self.take(&run)
        }
        var through = F.Run([Self.dossier()])
        let expected = try script(&through, restoreAt: nil)
        #expect(
            expected == [
                "+victim_proximity/P-01@10:00:20", "-victim_proximity/P-01@10:00:30", "+victim_proximity/P-01@10:01:00",
                "-victim_proximity/P-01@10:02:50",
            ])
        for k in 1...6 {
            var run = F.Run([Self.dossier()])
            #expect(try script(&run, restoreAt: k) == expected, "restored before step \(k)")
        }
    }

    @Test func aReimportWithoutThePersonClearsAtTheImport() {
        var run = F.Run([Self.dossier()])
        run.fix("2026-03-02T10:00:00.000Z", Self.victim, device: "VIC-1")
        run.fix("2026-03-02T10:00:10.000Z", Self.near)
        run.fix("2026-03-02T10:00:20.000Z", Self.near)
        #expect(Self.take(&run) == ["+victim_proximity/P-01@10:00:20"])
        run.engine.load([F.dossier()], at: F.t("2026-03-02T10:00:30.000Z"), into: &run.changes)
        #expect(Self.take(&run) == ["-victim_proximity/P-01@10:00:30"])
        #expect(!run.engine.isKnownDevice("VIC-1"))
    }
}
