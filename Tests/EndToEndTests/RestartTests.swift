import Foundation
import Testing

/// PROTOCOL 2.4 on the real binary, case by case: a run of `serve` with a restart (SIGTERM or kill -9) raises the
/// same breaches (dossier, device, breach, zone, event_ts, cleared_at, queues) as a run without it, for the same
/// frames sent in the same order. Each test runs its steps twice on fresh databases: the reference run skips the
/// restarts, the other performs them; then both lists of alerts are compared.
///
/// `RESTART_TESTS_NO_RESTARTS=1` skips the restarts in both runs: a check that the harness itself is deterministic.
@Suite("restarts change no alert: reproductions (PROTOCOL 2.4)", .serialized)
struct RestartTests {
    enum Step {
        /// One reliable batch, acknowledged before the next step.
        case send([String])
        /// A restart of serve (skipped by the reference run), waiting until the new one is ready.
        case restart(RestartKind)
        /// A re-import while serving, waiting until serve has applied it (its `dossiers reloaded` line).
        case reimport(String)
    }

    static var restartsDisabled: Bool { ProcessInfo.processInfo.environment["RESTART_TESTS_NO_RESTARTS"] == "1" }

    static func event(_ device: String, _ seq: Int, _ ts: String, _ body: String) -> String {
        #"{"v":1,"device":"\#(device)","seq":\#(seq),"ts":"\#(ts)",\#(body)}"#
    }

    /// The receive clock now, plus `seconds`.
    static func ts(_ seconds: Double) -> String { RestartHarness.rfc3339(Date().addingTimeInterval(seconds)) }

    /// Runs the steps on a fresh database and returns the breaches stored once serve has stopped gracefully.
    static func run(_ label: String, dossiers: String, steps: [Step], restarts: Bool) throws -> [BreachRecord] {
        do {
            return try runSteps(label, dossiers: dossiers, steps: steps, restarts: restarts)
        } catch let e as RestartHarness.Failure {
            throw RestartHarness.Failure(description: "\(label): \(e.description)")
        }
    }

    private static func runSteps(_ label: String, dossiers: String, steps: [Step], restarts: Bool) throws
        -> [BreachRecord]
    {
        let served = try ServedDatabase(dir: try RestartHarness.temporaryDirectory(label))
        defer { served.cleanUp() }
        try served.importDossiers(dossiers, name: "dossiers.json")
        try served.start()
        var client = try ReliableClient(endpoint: served.ports.reliable)
        var imports = 0
        for step in steps {
            switch step {
            case .send(let events):
                let (accepted, duplicates, rejected) = try client.send(events)
                guard accepted + duplicates == events.count, rejected == 0 else {
                    throw RestartHarness.Failure(
                        description:
                            "\(label): batch answered accepted=\(accepted) duplicates=\(duplicates) rejected=\(rejected): \(events)"
                    )
                }
            case .restart(let kind):
                guard restarts && !restartsDisabled else { continue }
                try served.restart(kind)
                client = try ReliableClient(endpoint: served.ports.reliable)
            case .reimport(let json):
                imports += 1
                try served.reimport(json, name: "reimport-\(imports).json")
            }
        }
        try served.stop()
        return try served.breaches()
    }

    /// The reference run, then the restarted one; records an issue with a readable diff if they differ.
    @discardableResult
    static func compare(
        _ name: String, dossiers: String, steps: [Step], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (reference: [BreachRecord], restarted: [BreachRecord]) {
        let reference = try run(name + "-reference", dossiers: dossiers, steps: steps, restarts: false)
        let restarted = try run(name + "-restarted", dossiers: dossiers, steps: steps, restarts: true)
        let diff = BreachDiff(reference: reference, restarted: restarted)
        if !diff.isEmpty {
            Issue.record(
                """
                \(name): the restart changed the alerts (PROTOCOL 2.4).
                  without restart: \(reference.count) [\(BreachDiff.summary(reference))]
                  with restart:    \(restarted.count) [\(BreachDiff.summary(restarted))]
                \(diff.render())
                """, sourceLocation: sourceLocation)
        }
        return (reference, restarted)
    }

    static func dossier(
        _ id: String, device: String, radex: Bool, zones: String = "[]", curfew: String = "[]",
        start: String = "2026-01-01"
    ) -> String {
        """
        {"id":"\(id)","subject":"S-\(id.suffix(4))","radex":\(radex),"mandate":"pretrial","start":"\(start)",
         "timezone":"Europe/Brussels","devices":["\(device)"],"home":{"lat":51.2100,"lon":4.4000,"radius_m":100},
         "zones":\(zones),"curfew":\(curfew),"comms_timeout_s":3600}
        """
    }

    // MARK: - 1. a clock-skewed event

    /// PROTOCOL 2.1: an event more than 5 minutes ahead of the receive clock is stored, not evaluated; 2.4: not after
    /// a restart either. Today the restart evaluates it: the device's real strap `opened` is then late (no
    /// `strap_tamper`), and the pipeline clock jumps to the skewed `ts`, so a neighbour device that reported just
    /// before gets a `communication_loss` with a future `event_ts` at start-up.
    @Test(arguments: RestartKind.allCases)
    func aClockSkewedEventIsNotEvaluatedAfterARestart(_ kind: RestartKind) throws {
        let dossiers =
            "[" + Self.dossier("D-2026-0901", device: "TAG-0901", radex: false) + ","
            + Self.dossier("D-2026-0911", device: "TAG-0911", radex: false) + "]"
        let strapAt = Self.ts(0)
        let (reference, _) = try Self.compare(
            "skewed-\(kind.rawValue)", dossiers: dossiers,
            steps: [
                .send([Self.event("TAG-0911", 1, Self.ts(-20), #""kind":"heartbeat""#)]),
                .send([Self.event("TAG-0901", 1, Self.ts(-30), #""kind":"heartbeat""#)]),
                .send([Self.event("TAG-0901", 2, Self.ts(2 * 86400), #""kind":"heartbeat""#)]),
                .restart(kind),
                .send([Self.event("TAG-0901", 3, strapAt, #""kind":"strap","state":"opened""#)]),
            ])
        // The reference itself: exactly the strap tamper, still open.
        #expect(
            reference.map(\.description) == [
                "D-2026-0901 TAG-0901 strap_tamper - \(strapAt) cleared_at=null queues=vcet"
            ])
    }

    // MARK: - 2. a heartbeat at the end of time

    /// A heartbeat stamped `9999-12-31T23:59:59.999Z` (clock-skewed: stored, not evaluated), then a restart: the
    /// device's real strap, case and jamming events must still raise their alerts. Today they count as late.
    @Test(arguments: RestartKind.allCases)
    func aHeartbeatAtTheEndOfTimeDoesNotBlindTheDeviceAfterARestart(_ kind: RestartKind) throws {
        let dossiers = Self.dossier("D-2026-0902", device: "TAG-0902", radex: true)
        let t = Date()
        func at(_ s: Double) -> String { RestartHarness.rfc3339(t.addingTimeInterval(s)) }
        let (reference, _) = try Self.compare(
            "endoftime-\(kind.rawValue)", dossiers: dossiers,
            steps: [
                .send([Self.event("TAG-0902", 1, at(-30), #""kind":"heartbeat""#)]),
                .send([Self.event("TAG-0902", 2, "9999-12-31T23:59:59.999Z", #""kind":"heartbeat""#)]),
                .restart(kind),
                .send([Self.event("TAG-0902", 3, at(0), #""kind":"strap","state":"opened""#)]),
                .send([Self.event("TAG-0902", 4, at(0.1), #""kind":"case","state":"opened""#)]),
                .send([Self.event("TAG-0902", 5, at(0.2), #""kind":"gnss","state":"jammed""#)]),
            ])
        #expect(reference.map(\.breach).sorted() == ["case_tamper", "gnss_jamming", "strap_tamper"])
    }

    /// The same heartbeat for a device whose dossier has a curfew: start-up must stay bounded (PROTOCOL 2.4: "a
    /// bounded amount of the journal") and the device must not go blind. Today start-up walks the curfew's periods
    /// towards the year 9999 and is not ready within the harness's 20 s.
    @Test func aHeartbeatAtTheEndOfTimeOfADeviceWithACurfewLeavesStartUpBounded() throws {
        let curfew = #"[{"days":["mon","tue","wed","thu","fri","sat","sun"],"from":"22:00","to":"06:00"}]"#
        let dossiers = Self.dossier("D-2026-0905", device: "TAG-0905", radex: false, curfew: curfew)
        let t = Date()
        func at(_ s: Double) -> String { RestartHarness.rfc3339(t.addingTimeInterval(s)) }
        let (reference, _) = try Self.compare(
            "endoftime-curfew", dossiers: dossiers,
            steps: [
                .send([Self.event("TAG-0905", 1, at(-30), #""kind":"heartbeat""#)]),
                .send([Self.event("TAG-0905", 2, "9999-12-31T23:59:59.999Z", #""kind":"heartbeat""#)]),
                .restart(.kill),
                .send([Self.event("TAG-0905", 3, at(0), #""kind":"strap","state":"opened""#)]),
            ])
        #expect(reference.map(\.breach) == ["strap_tamper"])
    }

    // MARK: - 3. a re-import adding a zone over earlier fixes

    /// PROTOCOL 3: a re-import applies from that moment. Two qualifying fixes, then a re-import adding an exclusion
    /// zone around them raise nothing while serving; a restart with no new event must raise nothing either. Today the
    /// restart re-runs the fixes against the new zone and raises a critical `exclusion_zone_entry` dated before the
    /// zone existed.
    @Test(arguments: RestartKind.allCases)
    func aZoneAddedByAReimportDoesNotApplyToEarlierFixesAfterARestart(_ kind: RestartKind) throws {
        let before = Self.dossier("D-2026-0903", device: "TAG-0903", radex: true)
        let after = Self.dossier(
            "D-2026-0903", device: "TAG-0903", radex: true,
            zones: #"[{"id":"Z-new","kind":"exclusion","circle":{"lat":51.0500,"lon":3.7200,"radius_m":300}}]"#)
        let fix = #""kind":"position","lat":51.0501,"lon":3.7201,"acc":8.0"#
        let (reference, _) = try Self.compare(
            "reimport-\(kind.rawValue)", dossiers: before,
            steps: [
                .send([Self.event("TAG-0903", 1, Self.ts(-90), fix)]),
                .send([Self.event("TAG-0903", 2, Self.ts(-60), fix)]),
                .reimport(after),
                .restart(kind),
            ])
        #expect(reference.isEmpty, "without a restart nothing is raised: \(reference)")
    }

    // MARK: - 4. an event outside the dossier's period, then a re-import that widens it

    /// PROTOCOL 2.4: an event outside the dossier's period when it arrived is stored, not evaluated, and not after a
    /// restart either (it is judged against the dossier version in force when it arrived), even when a re-import
    /// has since moved the dossier's start before it. (Beyond the four reproductions of the brief.)
    @Test(arguments: RestartKind.allCases)
    func anEventOutsideTheDossiersPeriodIsNotEvaluatedAfterAReimportAndARestart(_ kind: RestartKind) throws {
        let before = Self.dossier("D-2026-0904", device: "TAG-0904", radex: false, start: "2026-01-01")
        let after = Self.dossier("D-2026-0904", device: "TAG-0904", radex: false, start: "2025-06-01")
        let (reference, _) = try Self.compare(
            "period-\(kind.rawValue)", dossiers: before,
            steps: [
                .send([Self.event("TAG-0904", 1, "2025-12-31T12:00:00.000Z", #""kind":"strap","state":"opened""#)]),
                .reimport(after),
                .restart(kind),
            ])
        #expect(reference.isEmpty, "without a restart nothing is raised: \(reference)")
    }
}
