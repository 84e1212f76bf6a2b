import Foundation
import Testing

/// (1.1) `simulator generate --victims/--crossings/--outage-share` replayed through the real `seinhuis replay` and
/// scored by `verify` against the simulator's own ground truth (issue 17).
@Suite("simulator replay of victims, crossings and outages, end to end", .serialized)
struct SimulatorReplay11Tests {
    typealias Sim = SimulatorReplayTests

    /// A generated stream with the 1.1 options, in a directory of its own; returns it and `generate`'s JSON summary.
    static func stream(_ name: String, seed: Int, _ options: [String]) throws -> (dir: String, summary: [String: Any]) {
        let dir = try Sim.fresh(name)
        let g = try Sim.simulator(
            ["generate", "--hours", "6", "--seed", String(seed), "--out", dir, "--quiet", "--format", "json"] + options)
        try #require(g.status == 0, "generate: \(g.err)")
        return (dir, try #require(try Binary.json(g.out) as? [String: Any]))
    }

    static func truth(_ dir: String) throws -> [[String: Any]] {
        let t = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/truth.json", encoding: .utf8)) as? [String: Any])
        return try #require(t["breaches"] as? [[String: Any]])
    }

    /// Replays into a fresh database and expects precision and recall 1 for every kind (and every `cleared_at`).
    static func replayPasses(_ dir: String, db: String) throws -> [[String: Any]] {
        let run = try Sim.simulator(["replay", dir, "--db", db, "--format", "json", "--check-cleared"])
        #expect(run.status == 0, "\(run.out)\n\(run.err)")
        let o = try #require(try Binary.json(run.out) as? [String: Any])
        #expect(o["pass"] as? Bool == true, "\(o["verify"] ?? "")")
        let kinds = try #require((o["verify"] as? [String: Any])?["kinds"] as? [[String: Any]])
        for k in kinds {
            #expect(k["precision"] as? Double == 1.0, "\(k)")
            #expect(k["recall"] as? Double == 1.0, "\(k)")
        }
        return kinds
    }

    static func count(_ kinds: [[String: Any]], _ breach: String) -> Int {
        kinds.first { $0["breach"] as? String == breach }?["true_positives"] as? Int ?? 0
    }

    @Test(arguments: [3, 11, 29])
    func victimsAndCrossingsReplayWithPrecisionAndRecallOne(seed: Int) throws {
        let (dir, summary) = try Self.stream(
            "vc\(seed)", seed: seed, ["--devices", "14", "--victims", "5", "--crossings", "6"])
        let dossiers = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/dossiers.json", encoding: .utf8)) as? [[String: Any]])
        #expect(dossiers.filter { $0["protected"] != nil }.count == 5)
        let zones = dossiers.flatMap { $0["zones"] as? [[String: Any]] ?? [] }
        #expect(zones.contains { $0["crossing"] as? Bool == true && $0["schedule"] != nil })

        let truth = try Self.truth(dir)
        let proximity = truth.filter { $0["breach"] as? String == "victim_proximity" }
        let crossed = truth.filter { $0["breach"] as? String == "exclusion_zone_crossed" }
        #expect(proximity.count >= 3)
        #expect(proximity.allSatisfy { $0["protected"] as? String == "P-01" && $0["cleared_at"] is String })
        #expect(crossed.count >= 3)
        #expect(crossed.allSatisfy { $0["cleared_at"] as? String == $0["raised_at"] as? String })
        // Passes too fast or through an inactive zone were placed as well, and the truth does not count them.
        let passes = try #require((summary["scenarios"] as? [String: Any])?["zone_crossing"] as? Int)
        #expect(passes > crossed.count)
        #expect(truth.allSatisfy { $0["scenario"] as? String != "unplanned" })

        let kinds = try Self.replayPasses(dir, db: try Sim.fresh("vc\(seed).sqlite"))
        #expect(Self.count(kinds, "victim_proximity") == proximity.count)
        #expect(Self.count(kinds, "exclusion_zone_crossed") == crossed.count)
    }

    @Test(arguments: [2, 9])
    func aCarrierOutageReplaysWithItsIncidentAndMembers(seed: Int) throws {
        let (dir, _) = try Self.stream("out\(seed)", seed: seed, ["--devices", "40", "--outage-share", "0.7"])
        let truth = try Self.truth(dir)
        let incidents = truth.filter { $0["breach"] as? String == "network_outage" }
        #expect(incidents.count >= 1)
        #expect(incidents.allSatisfy { $0["network"] as? String == "carrier-a" && $0["dossier"] is NSNull })
        let members = truth.filter { $0["breach"] as? String == "communication_loss" && $0["incident"] != nil }
        #expect(members.count >= 5)

        let kinds = try Self.replayPasses(dir, db: try Sim.fresh("out\(seed).sqlite"))
        #expect(Self.count(kinds, "network_outage") == incidents.count)
    }

    @Test(arguments: [4, 17])
    func allThreeTogetherReplayExactlyAndDeterministicallyIdsIncluded(seed: Int) throws {
        let (dir, _) = try Self.stream(
            "all\(seed)", seed: seed,
            ["--devices", "30", "--victims", "4", "--crossings", "4", "--outage-share", "0.6"])
        let a = try Sim.fresh("all-a.sqlite"), b = try Sim.fresh("all-b.sqlite")
        let kinds = try Self.replayPasses(dir, db: a)
        for k in ["victim_proximity", "exclusion_zone_crossed", "network_outage"] {
            #expect(Self.count(kinds, k) >= 1, "\(k)")
        }
        let again = try Sim.simulator(["replay", dir, "--db", b, "--format", "json"])
        #expect(again.status == 0, "\(again.err)")
        let first = try Binary.run(["alerts", "list", "--db", a, "--format", "json"])
        let second = try Binary.run(["alerts", "list", "--db", b, "--format", "json"])
        let alerts = try #require(try Binary.json(first) as? [[String: Any]])
        #expect(alerts.contains { $0["breach"] as? String == "victim_proximity" })
        #expect(alerts.contains { $0["breach"] as? String == "exclusion_zone_crossed" })
        #expect(first == second)
    }

    @Test func aMemberWithoutItsIncidentLinkIsScoredAsWrong() throws {
        let (dir, _) = try Self.stream("link", seed: 2, ["--devices", "40", "--outage-share", "0.7"])
        let db = try Sim.fresh("link.sqlite")
        _ = try Sim.simulator(["replay", dir, "--db", db, "--format", "json"])
        var alerts = try #require(
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        let k = try #require(alerts.firstIndex { $0["breach"] as? String == "communication_loss" && $0["incident"] != nil })
        alerts[k]["incident"] = nil
        let file = dir + "/unlinked.json"
        try JSONSerialization.data(withJSONObject: alerts).write(to: URL(fileURLWithPath: file))
        let run = try Sim.simulator(["verify", "--truth", dir + "/truth.json", "--alerts", file, "--format", "json"])
        #expect(run.status == 1)
        let o = try #require(try Binary.json(run.out) as? [String: Any])
        let kinds = try #require(o["kinds"] as? [[String: Any]])
        let loss = try #require(kinds.first { $0["breach"] as? String == "communication_loss" })
        #expect(loss["false_positives"] as? Int == 1 && loss["false_negatives"] as? Int == 1)
        #expect(kinds.first { $0["breach"] as? String == "network_outage" }?["recall"] as? Double == 1.0)
    }

    @Test func withoutTheNewOptionsNoneOfTheirContentIsWritten() throws {
        let dir = try Sim.fresh("plain")
        let g = try Sim.simulator(["generate", "--devices", "12", "--hours", "4", "--seed", "5", "--out", dir, "--quiet"])
        try #require(g.status == 0, "generate: \(g.err)")
        let dossiers = try String(contentsOfFile: dir + "/dossiers.json", encoding: .utf8)
        for word in ["protected", "network", "crossing", "VIC-"] { #expect(!dossiers.contains(word), "\(word)") }
        let t = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/truth.json", encoding: .utf8)) as? [String: Any])
        #expect((t["counts"] as? [String: Any])?.count == 11)
        #expect((t["generator"] as? [String: Any])?["victims"] == nil)
        #expect(!(try String(contentsOfFile: dir + "/events.ndjson", encoding: .utf8)).contains("VIC-"))
    }

    @Test func badOptionsAreClearErrors() throws {
        let dir = try Sim.fresh("bad")
        for (args, message) in [
            (["--outage-share", "1.5"], "--outage-share must be in [0, 1]"),
            (["--victims=-1"], "--victims and --crossings must not be negative"),
            (["--victims", "2", "--fix-interval", "300"], "--victims needs --fix-interval of 10-60 s"),
        ] {
            let r = try Sim.simulator(["generate", "--devices", "4", "--hours", "3", "--out", dir] + args)
            #expect(r.status != 0)
            #expect(r.err.contains(message), "\(r.err)")
        }
    }
}
