import Foundation
import Testing

@Suite("seinhuis report latency", .serialized)
struct LatencyReportCLITests {
    func replay(_ folder: String, into db: String, policy: String? = nil) throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent(folder)
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(
            ["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"]
                + (policy.map { ["--policy", $0] } ?? []))
    }

    @Test func aRealResponseShowsItsLatencyAndPoliciesCompare() throws {
        let db = try Binary.temporaryDatabase()
        try replay("example", into: db)
        try Binary.addAccounts(db: db, [("op", "operator")])
        try Binary.run(["alert", "respond", "A-000000001", "--measure", "police_dispatched", "--db", db, "--by", "op"])
        let shown = try #require(
            try Binary.json(try Binary.run(["alert", "show", "A-000000001", "--db", db, "--format", "json"]))
                as? [String: Any])
        let detectedText = try #require((shown["alert"] as? [String: Any])?["detected_at"] as? String)
        let respondedText = try #require((shown["actions"] as? [[String: Any]])?.last?["at"] as? String)
        let detected = try #require(Self.time(detectedText))
        let responded = try #require(Self.time(respondedText))

        let report = try #require(
            try Binary.json(try Binary.run(["report", "latency", "--db", db, "--format", "json"])) as? [[String: Any]])
        let all = try #require(report.first)
        #expect(all["alerts"] as? Int == 3)
        let response = try #require(all["response"] as? [String: Any])
        #expect(response["count"] as? Int == 1)
        #expect(abs((response["max_s"] as? Double ?? 0) - responded.timeIntervalSince(detected)) < 0.001)
        #expect(all["within_target"] as? Double == 0)  // answered months after a replayed detection

        // A second policy version in the same database: the report compares them.
        let v2 = db + ".v2.json"
        let v1Text = try Binary.run(["policy", "show"])
        try v1Text.replacingOccurrences(of: "\"v1\"", with: "\"v2\"").write(
            toFile: v2, atomically: true, encoding: .utf8)
        try replay("edge/spring", into: db, policy: v2)
        let byPolicy = try #require(
            try Binary.json(
                try Binary.run(["report", "latency", "--db", db, "--by", "policy", "--policy", v2, "--format", "json"]))
                as? [[String: Any]])
        #expect(byPolicy.map { $0["group"] as? String } == ["v1", "v2"])
        #expect(byPolicy.last?["alerts"] as? Int == 147)
        let table = try Binary.run(["report", "latency", "--db", db, "--by", "queue"])
        #expect(table.contains("police") && table.contains("WITHIN_TARGET"))
        // The table in the language (Dutch by default, French with --lang); JSON and CSV keep the English names.
        let dutch = try Binary.run(["report", "latency", "--db", db, "--by", "queue"], environment: ["SEINHUIS_LANG": ""])
        #expect(dutch.contains("BINNEN_DOEL") && dutch.contains("WACHTRIJ") && dutch.contains("politie"))
        #expect(dutch.range(of: #"[0-9],[0-9]%"#, options: .regularExpression) != nil)
        let french = try Binary.run(["report", "latency", "--db", db, "--by", "queue", "--lang", "fr"])
        #expect(french.contains("DANS_OBJECTIF") && french.contains("FILE") && french.contains("coordinateur"))
        let csv = try Binary.run(["report", "latency", "--db", db, "--by", "queue", "--lang", "fr", "--format", "csv"])
        #expect(csv.hasPrefix("queue,alerts,escalations,responded,mean"))
    }

    static func time(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
