import Foundation
import Testing

/// The review commands of the real binary (PROTOCOL 5), and a small generated history checked end to end.
@Suite("review CLI, end to end", .serialized)
struct ReviewCLITests {
    static let dossiers = """
        [{"id":"D-R-1","subject":"S-R1","radex":true,"mandate":"pretrial","start":"2025-08-31","timezone":"Europe/Brussels",
          "devices":["TAG-R1"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}},
         {"id":"D-R-2","subject":"S-R2","radex":true,"mandate":"sentence","start":"2026-01-01","last_review":"2026-05-15",
          "devices":["TAG-R2"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}},
         {"id":"D-R-3","subject":"S-R3","radex":false,"mandate":"sentence","start":"2025-01-01",
          "devices":["TAG-R3"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}}]
        """

    func database() throws -> String {
        let db = try Binary.temporaryDatabase()
        let file = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("d.json")
        try Data(Self.dossiers.utf8).write(to: file)
        try Binary.run(["dossier", "import", file.path, "--db", db])
        try Binary.addAccounts(db: db, Self.cell + [("anna", "cell")])
        return db
    }

    /// The cell's accounts: the reviewers the generated histories name (`simulator history`).
    static let cell = [("k.peeters", "cell"), ("a.janssens", "cell"), ("m.elamrani", "cell")]

    @Test func dueListsOverdueFirstWithMonthEndDeadlines() throws {
        let db = try database()
        let out = try Binary.run(["review", "due", "--as-of", "2026-02-28", "--db", db, "--format", "json"])
        let due = try #require(try Binary.json(out) as? [[String: Any]])
        // 31 Aug 2025 + 6 months = 28 Feb 2026: due on its deadline day, not yet overdue.
        #expect(due.map { $0["dossier"] as? String } == ["D-R-1"])
        #expect(due.first?["status"] as? String == "due")
        #expect(due.first?["deadline"] as? String == "2026-02-28")
        let march = try #require(
            try Binary.json(try Binary.run(["review", "due", "--as-of", "2026-11-01", "--db", db, "--format", "json"]))
                as? [[String: Any]])
        #expect(march.map { $0["dossier"] as? String } == ["D-R-1", "D-R-2"])  // overdue first
        #expect(march.first?["days_over"] as? Int == 246)
        let all = try Binary.run([
            "review", "due", "--as-of", "2026-11-01", "--scope", "all", "--db", db, "--format", "csv",
        ])
        #expect(all.hasPrefix("dossier,radex,status,deadline,days_left,days_over"))
        #expect(all.contains("D-R-3,no,overdue"))
    }

    @Test func recordRefusesIncompleteOrFutureReviewsAndMovesTheDeadline() throws {
        let db = try database()
        var err = try Binary.run(
            ["review", "record", "D-R-1", "--db", db, "--date", "2026-03-01"], expectFailure: true)
        #expect(err.contains("the reviewer is required"))
        #expect(err.contains("the findings are required"))
        #expect(err.contains("the decision is required"))
        err = try Binary.run(
            [
                "review", "record", "D-R-1", "--db", db, "--reviewer", "kp", "--date", "2999-01-01", "--findings", "x",
                "--decision", "continue",
            ], expectFailure: true)
        #expect(err.contains("is in the future"))
        err = try Binary.run(
            [
                "review", "record", "D-NOPE", "--db", db, "--reviewer", "kp", "--date", "2026-03-01", "--findings", "x",
                "--decision", "continue",
            ], expectFailure: true)
        #expect(err.contains("no dossier D-NOPE"))
        let ok = try Binary.run([
            "review", "record", "D-R-1", "--db", db, "--reviewer", "k.peeters", "--date", "2026-03-01",
            "--findings", "Stable; <b>no</b> incidents.", "--decision", "continue", "--by", "anna",
        ])
        #expect(ok.contains("next deadline 2026-09-01"))
        let list = try #require(
            try Binary.json(try Binary.run(["review", "list", "D-R-1", "--db", db, "--format", "json"]))
                as? [[String: Any]])
        #expect(list.first?["recorded_by"] as? String == "anna")
        let due = try Binary.run(["review", "due", "--as-of", "2026-03-01", "--db", db, "--format", "json"])
        #expect(!due.contains("D-R-1"))
    }

    @Test func reportHTMLHasTheSectionsEscapedAndNoExternalAssets() throws {
        let db = try database()
        try Binary.run([
            "review", "record", "D-R-1", "--db", db, "--reviewer", "k.peeters", "--date", "2026-03-01",
            "--findings", "Stable; <b>no</b> incidents.", "--decision", "adjust-conditions",
        ])
        let html = try Binary.run(["review", "report", "D-R-1", "--db", db, "--as-of", "2026-06-30"])
        for section in [
            "<!DOCTYPE html>", "Review report", "Dossier", "Changes of conditions", "Breaches",
            "Escalations and responses",
            "Breach-to-response latency", "Communication loss", "Open items", "Previous review", "S-R1",
            "Stable; &lt;b&gt;no&lt;/b&gt; incidents.", "adjust conditions", "1 March 2026",
        ] {
            #expect(html.contains(section), "missing \(section)")
        }
        #expect(!html.contains("<b>no</b>"))  // escaped
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))  // no external assets
        #expect(!html.contains("<script") && !html.contains("<link"))
        let md = try Binary.run(["review", "report", "D-R-1", "--db", db, "--format", "md", "--as-of", "2026-06-30"])
        #expect(md.hasPrefix("# Review report D-R-1"))
        // In French (--lang) and in Dutch (the default, no SEINHUIS_LANG): the words, the dates in the language's
        // long form, the numbers in its form; the CSV below keeps its machine headers in every language.
        let fr = try Binary.run(["review", "report", "D-R-1", "--db", db, "--as-of", "2026-06-30", "--lang", "fr"])
        for text in [
            #"<html lang="fr">"#, "Rapport de revue", "Revue précédente", "Perte de communication",
            "<b>1 mars 2026</b> au <b>30 juin 2026</b> (122 jours)", "1 mars 2026 par <b>k.peeters</b>",
        ] {
            #expect(fr.contains(text), "missing \(text) in French")
        }
        #expect(!fr.contains("Previous review") && !fr.contains("2026-03-01 by"))
        let nl = try Binary.run(
            ["review", "report", "D-R-1", "--db", db, "--as-of", "2026-06-30", "--format", "md"],
            environment: ["SEINHUIS_LANG": ""])
        #expect(nl.hasPrefix("# Verslag van de doorlichting D-R-1") && nl.contains("1 maart 2026 tot 30 juni 2026"))
        // CSV: free text a spreadsheet would run as a formula is neutralised.
        try Binary.run([
            "review", "record", "D-R-1", "--db", db, "--reviewer", "k.peeters", "--date", "2026-04-01",
            "--findings", "=HYPERLINK(\"x\")", "--decision", "continue",
        ])
        let csv = try Binary.run(["review", "report", "D-R-1", "--db", db, "--format", "csv", "--as-of", "2026-06-30"])
        #expect(csv.hasPrefix("section,item,value,previous\n"))
        #expect(csv.contains("previous_review,findings,\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(csv.contains("period,from,2026-04-01,2026-03-01"))
        let err = try Binary.run(["review", "report", "D-NOPE", "--db", db], expectFailure: true)
        #expect(err.contains("no dossier D-NOPE"))
    }

    static var simulator: URL { Binary.path.deletingLastPathComponent().appendingPathComponent("simulator") }

    func simulate(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = Self.simulator
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw Binary.Failed(args: args, status: p.terminationStatus, stderr: text)
        }
        return text
    }

    /// The small version of scripts/review-history: 20 dossiers over 12 months.
    @Test func aGeneratedHistoryGivesTheExpectedDueListsAndAReportPerDossier() throws {
        let db = try Binary.temporaryDatabase()
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().path
        try simulate(["history", "--dossiers", "20", "--seed", "3", "--start", "2025-10-01", "--out", dir, "--quiet"])
        try Binary.run(["dossier", "import", dir + "/dossiers.json", "--db", db])
        try Binary.addAccounts(db: db, Self.cell)
        try Binary.run(["replay", dir + "/events.ndjson", "--db", db, "--quiet"])
        try simulate(["respond-offline", "--db", db, "--seed", "3"])
        let reviews = try String(contentsOfFile: dir + "/reviews.tsv", encoding: .utf8)
        var recorded = 0
        for line in reviews.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try Binary.run([
                "review", "record", f[0], "--db", db, "--date", f[1], "--reviewer", f[2], "--decision", f[3],
                "--findings", f[4],
            ])
            recorded += 1
        }
        #expect(recorded > 0)
        let truth = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/truth.json", encoding: .utf8)) as? [String: Any])
        let dates = try #require(truth["due"] as? [String: Any]).keys.sorted()
        #expect(dates.count >= 8)
        try FileManager.default.createDirectory(atPath: dir + "/due", withIntermediateDirectories: true)
        for day in dates {
            let json = try Binary.run(["review", "due", "--as-of", day, "--db", db, "--format", "json"])
            try Data(json.utf8).write(to: URL(fileURLWithPath: dir + "/due/due-\(day).json"))
        }
        let check = try simulate(["review-check", "--truth", dir + "/truth.json", "--due", dir + "/due"])
        #expect(!check.contains("MISMATCH"))
        let out = try Binary.run(["review", "report", "--all", "--out", dir + "/reports", "--db", db])
        #expect(out.hasPrefix("wrote 20 reports"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/reports").filter {
            $0.hasSuffix(".html")
        }
        #expect(files.count == 20)
        let withBreaches = try files.filter {
            try String(contentsOfFile: dir + "/reports/" + $0, encoding: .utf8).contains(
                "aria-label=\"Timeline of breaches.\"")
        }
        #expect(withBreaches.count > 10)
        // Inline SVG charts: the timeline's dots and the latency bars (the simulator answered most alerts).
        let charted = try files.map { try String(contentsOfFile: dir + "/reports/" + $0, encoding: .utf8) }
            .filter {
                $0.contains("<svg") && $0.contains("<circle")
                    && $0.contains("aria-label=\"Breach-to-response latency\"")
            }
        #expect(charted.count > 5)
    }
}
