import Foundation
import Testing

/// `seinhuis policy` and `--policy FILE`, run as a user would.
@Suite("seinhuis policy and --policy", .serialized)
struct PolicyCLITests {
    /// v1 except that non-radex high alerts go to vcet and police at once (and escalate there after 10 minutes).
    static let v2 = """
        {
          "version": "v2",
          "max_escalations": 3,
          "routes": [
            {"radex": true, "severities": ["critical", "high"], "queues": ["vcet", "coordinator", "cic", "police"],
             "escalate_after_s": 300, "escalate_to": ["vcet", "coordinator", "cic", "police"]},
            {"radex": true, "severities": ["medium", "low"], "queues": ["vcet", "coordinator"],
             "escalate_after_s": 900, "escalate_to": ["cic", "police"]},
            {"radex": false, "severities": ["critical"], "queues": ["vcet"], "escalate_after_s": 600,
             "escalate_to": ["police"]},
            {"radex": false, "severities": ["high"], "queues": ["vcet", "police"], "escalate_after_s": 600,
             "escalate_to": ["vcet", "police"], "target_s": 300},
            {"radex": false, "severities": ["medium", "low"], "queues": ["vcet"], "escalate_after_s": 1800,
             "escalate_to": ["vcet"]}
          ]
        }
        """

    static func write(_ text: String, name: String) throws -> String {
        let dir = URL(fileURLWithPath: try Binary.temporaryDatabase()).deletingLastPathComponent()
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func checkAGoodFile() throws {
        let file = try Self.write(Self.v2, name: "v2.json")
        let table = try Binary.run(["policy", "check", file])
        #expect(table.hasPrefix("policy v2: valid"))
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["3", "no", "high", "vcet,police", "10m", "vcet,police", "5m"]))
        let json = try Binary.json(try Binary.run(["policy", "check", file, "--format", "json"])) as? [String: Any]
        #expect(json?["valid"] as? Bool == true)
        #expect((json?["policy"] as? [String: Any])?["version"] as? String == "v2")
        // show prints a file that checks again, and without a file the built-in v1.
        let shown = try Binary.run(["policy", "show", file])
        #expect(try Binary.run(["policy", "show", try Self.write(shown, name: "again.json")]) == shown)
        let v1 = try Binary.run(["policy", "show"])
        #expect(v1.contains(#""version": "v1""#))
        #expect(try Binary.run(["policy", "check", try Self.write(v1, name: "v1.json")]).hasPrefix("policy v1: valid"))
    }

    @Test func checkABadFile() throws {
        let bad = Self.v2.replacingOccurrences(
            of: #"["vcet", "police"], "target_s""#, with: #"["vcet", "polce"], "target_s""#
        )
        .replacingOccurrences(
            of: #""severities": ["medium", "low"], "queues": ["vcet"]"#,
            with: #""severities": ["low"], "queues": ["vcet"]"#
        )
        .replacingOccurrences(of: #""max_escalations""#, with: #""max_escalation""#)
        let file = try Self.write(bad, name: "bad.json")
        let stderr = try Binary.run(["policy", "check", file], expectFailure: true)
        #expect(stderr.contains("not a valid policy (3 problems)"))
        #expect(stderr.contains("max_escalation: unknown field"))
        #expect(stderr.contains("max_escalations: missing"))
        #expect(
            stderr.contains(
                #"routes[3].escalate_to[1]: unknown queue "polce"; one of vcet, coordinator, cic, police, cell"#))
        try Binary.run(["policy", "check", file, "--format", "json"], expectFailure: true)
        // Once the structure is right, the missing combination is reported.
        let incomplete = Self.v2.replacingOccurrences(
            of: #""severities": ["medium", "low"], "queues": ["vcet"]"#,
            with: #""severities": ["low"], "queues": ["vcet"]"#)
        let err = try Binary.run(
            ["policy", "check", try Self.write(incomplete, name: "incomplete.json")], expectFailure: true)
        #expect(err.contains("routes: no route for radex false severity medium"))
        // serve and replay refuse the file before anything starts, naming it.
        let refused = try Binary.run(["replay", "nothing.ndjson", "--policy", file], expectFailure: true)
        #expect(refused.contains(file))
        #expect(refused.contains("polce"))
        let serve = try Binary.run(
            ["serve", "--policy", file, "--db", "/nonexistent/dir/x.sqlite"], expectFailure: true)
        #expect(serve.contains(file))
        #expect(try Binary.run(["policy", "show", "/nonexistent/p.json"], expectFailure: true).contains("cannot read"))
    }

    @Test func replayWithV2RoutesAndRecordsTheVersion() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        let policy = try Self.write(Self.v2, name: "v2.json")
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run([
            "replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet", "--policy", policy,
        ])
        let alerts = try #require(
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        let tamper = alerts.filter { $0["dossier"] as? String == "D-EX-2" && $0["breach"] as? String == "case_tamper" }
        #expect(!tamper.isEmpty)
        for a in tamper {
            #expect(a["queues"] as? [String] == ["vcet", "police"])
            #expect(a["policy"] as? String == "v2")
        }
        let radex = alerts.filter { $0["dossier"] as? String == "D-EX-1" }
        #expect(!radex.isEmpty)
        for a in radex {
            #expect(a["queues"] as? [String] == ["vcet", "coordinator", "cic", "police"])
            #expect(a["policy"] as? String == "v2")
        }
        #expect(alerts.allSatisfy { $0["policy"] as? String == "v2" })
    }
}
