import Foundation
import Testing

@Suite("seinhuis whatif", .serialized)
struct WhatIfCLITests {
    @Test func aProposedPolicyIsModelledBesideTheCurrentOneReproducibly() throws {
        let db = try Binary.temporaryDatabase()
        let dir = ReplaySpecTests.spec.appendingPathComponent("edge/spring")
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        try Binary.addAccounts(db: db, [("op", "operator")])
        for id in ["A-000000001", "A-000000002", "A-000000005"] {
            try Binary.run(["alert", "respond", id, "--measure", "phone_call", "--db", db, "--by", "op"])
        }
        // v2: v1 allowing 6 escalations (nobody answers the replayed breaches for months: every alert escalates
        // to the maximum).
        let v2 = db + ".v2.json"
        let v1Text = try Binary.run(["policy", "show"])
        try v1Text.replacingOccurrences(of: "\"v1\"", with: "\"v2\"")
            .replacingOccurrences(of: "\"max_escalations\": 3", with: "\"max_escalations\": 6")
            .write(toFile: v2, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["policy", "show", v2]).contains("\"max_escalations\": 6"))

        let args = ["whatif", "--policy", v2, "--db", db, "--seed", "3", "--format", "json"]
        let first = try Binary.run(args)
        #expect(try Binary.run(args) == first)  // the same seed, the same figures
        let out = try #require(try Binary.json(first) as? [String: Any])
        #expect(out["breaches"] as? Int == 147)
        let policies = try #require(out["policies"] as? [[String: Any]])
        #expect(policies.map { $0["version"] as? String } == ["v1", "v2"])
        func all(_ p: [String: Any]) -> [String: Any]? { (p["rows"] as? [[String: Any]])?.first }
        let current = try #require(all(policies[0]))
        let proposed = try #require(all(policies[1]))
        #expect(current["queue"] as? String == "all" && current["alerts"] as? Int == 147)
        #expect((proposed["escalations"] as? Int ?? 0) > (current["escalations"] as? Int ?? 0))
        let honesty = try #require(out["honesty"] as? [String: Any])
        #expect((honesty["recorded"] as? [String: Any])?["count"] as? Int == 3)
        #expect(honesty["within_tolerance"] is Bool)

        let table = try Binary.run(["whatif", "--policy", v2, "--db", db])
        #expect(table.contains("honesty check") && table.contains("PER_DAY") && table.contains("proposed"))
        // A period that ends before it starts is an error, not an empty comparison.
        let reversed = try Binary.run(
            ["whatif", "--policy", v2, "--db", db, "--from", "2026-11-01", "--to", "2026-10-01"], expectFailure: true)
        #expect(reversed.contains("must be before --to"))
        // A database whose policy in force (as serve records it) is not the one given is refused.
        _ = try RetentionCLITests.sql(db, "INSERT INTO meta VALUES ('policy.in_force', 'v7 00ff')")
        let refused = try Binary.run(["whatif", "--policy", v2, "--db", db], expectFailure: true)
        #expect(refused.contains("the policy in force is v7") && refused.contains("--current"))
    }
}
