import Foundation
import Testing

/// The real `seinhuis` binary, run as a user would, against the contract's worked example and edge cases:
/// `seinhuis replay` must reproduce their `expected.json` exactly.
@Suite("seinhuis replay reproduces the contract's expected.json", .serialized)
struct ReplaySpecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let spec = root.deletingLastPathComponent().appendingPathComponent("shared/spec")

    @Test(arguments: ["example", "edge/autumn", "edge/spring"])
    func replayMatchesExpected(_ folder: String) throws {
        let dir = Self.spec.appendingPathComponent(folder)
        let db = try Binary.temporaryDatabase()
        _ = try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        let summary = try Binary.json(
            try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--format", "json"])
        )
        let alerts =
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]]
        let expected =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("expected.json")))
            as? [[String: Any]]
        let want = try #require(expected)
        let got = try #require(alerts)

        // Compare on the fields expected.json gives (the example omits device and zone).
        let keys = Set(want.flatMap(\.keys))
        func project(_ a: [String: Any]) -> String {
            var o: [String: Any] = [
                "dossier": a["dossier"] ?? NSNull(), "device": a["device"] ?? NSNull(),
                "breach": a["breach"] ?? NSNull(),
                "zone": a["zone"] ?? NSNull(), "severity": a["severity"] ?? NSNull(), "radex": a["radex"] ?? NSNull(),
                "queues_at_once": a["queues_at_once"] ?? NSNull(), "raised_at_event_ts": a["event_ts"] ?? NSNull(),
                "cleared_at_event_ts": a["cleared_at"] ?? NSNull(),
            ]
            o = o.filter { keys.contains($0.key) }
            return Binary.canonical(o)
        }
        let gotSet = got.map(project).sorted()
        let wantSet = want.map { Binary.canonical($0.filter { keys.contains($0.key) }) }.sorted()
        let missing = Set(wantSet).subtracting(gotSet).sorted()
        let extra = Set(gotSet).subtracting(wantSet).sorted()
        #expect(missing.isEmpty, "missing \(missing.count): \(missing.prefix(5))")
        #expect(extra.isEmpty, "unexpected \(extra.count): \(extra.prefix(5))")
        #expect(gotSet.count == wantSet.count)

        if let counts = try? JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("counts.json")))
            as? [String: Int], let c = (summary as? [String: Any])?["counts"] as? [String: Int]
        {
            for k in ["lines", "accepted", "duplicates", "rejected", "blank", "stored_not_evaluated"] {
                #expect(c[k] == counts[k], "\(k)")
            }
        }
    }

    @Test func replayIsDeterministicIdsIncluded() throws {
        let dir = Self.spec.appendingPathComponent("edge/spring")
        var outputs: [String] = []
        for _ in 0..<2 {
            let db = try Binary.temporaryDatabase()
            _ = try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
            _ = try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
            outputs.append(try Binary.run(["alerts", "list", "--db", db, "--format", "json"]))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains(#""id":"A-000000001""#))
    }
}

@Suite("global false-alarm limits")
struct RuleLimitTests {
    @Test func replayHonoursConsecutiveFixes() throws {
        // In the worked example the exclusion zone is entered with exactly two qualifying fixes inside.
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        func breaches(_ extra: [String]) throws -> [String] {
            let db = try Binary.temporaryDatabase()
            try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
            try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"] + extra)
            let alerts = try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"]))
            return ((alerts as? [[String: Any]]) ?? []).compactMap { $0["breach"] as? String }
        }
        #expect(try breaches([]).contains("exclusion_zone_entry"))
        #expect(try !breaches(["--consecutive-fixes", "3"]).contains("exclusion_zone_entry"))
        #expect(try !breaches(["--max-acc-m", "5"]).contains("exclusion_zone_entry"))
        let refused = try Binary.run(["replay", "x.ndjson", "--consecutive-fixes", "0"], expectFailure: true)
        #expect(refused.contains("--consecutive-fixes"))
    }
}

@Suite("escalation in replay (stream time)")
struct ReplayEscalationTests {
    @Test func unansweredAlertsEscalateUpToThePolicyLimit() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        let alerts = try #require(
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        let exclusion = try #require(alerts.first { $0["breach"] as? String == "exclusion_zone_entry" })
        // Radex critical: repeated to all four queues every 5 minutes, three times (08:31 + 15 min is in the stream).
        #expect(exclusion["escalation"] as? Int == 3)
        #expect(exclusion["queues"] as? [String] == ["vcet", "coordinator", "cic", "police"])
        let tamper = try #require(alerts.first { $0["breach"] as? String == "case_tamper" })
        #expect(tamper["escalation"] as? Int == 3)  // other, high: vcet again every 30 minutes
        #expect(tamper["queues"] as? [String] == ["vcet"])
    }
}
