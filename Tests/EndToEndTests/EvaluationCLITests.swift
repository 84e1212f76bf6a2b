import Foundation
import SeinhuisCore
import SeinhuisStore
import Testing

/// `seinhuis report evaluation` and `seinhuis survey` through the real binary on a real database.
@Suite("seinhuis report evaluation and survey", .serialized)
struct EvaluationCLITests {
    /// The spec's example under v1 and the spring stream under v2 (a copy of v1 renamed), one response each.
    func twoPolicies() throws -> (db: String, v2: String) {
        let db = try Binary.temporaryDatabase()
        let v2 = db + ".v2.json"
        try Binary.run(["policy", "show"]).replacingOccurrences(of: "\"v1\"", with: "\"v2\"").write(
            toFile: v2, atomically: true, encoding: .utf8)
        for (folder, policy) in [("example", nil), ("edge/spring", v2)] as [(String, String?)] {
            let dir = ReplaySpecTests.spec.appendingPathComponent(folder)
            try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
            try Binary.run(
                ["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"]
                    + (policy.map { ["--policy", $0] } ?? []))
        }
        try Binary.addAccounts(db: db, [("op", "operator")])
        for id in ["A-000000001", "A-000000010"] {
            try Binary.run(["alert", "respond", id, "--measure", "phone_call", "--db", db, "--by", "op"])
        }
        return (db, v2)
    }

    @Test func writesEachOfTheThreeFormats() throws {
        let (db, v2) = try twoPolicies()
        let base = ["report", "evaluation", "--before", "v1", "--after", "v2", "--policy", v2, "--db", db]
        let html = db + ".html", md = db + ".md", csv = db + ".csv"
        let whatif = db + ".whatif.json"
        try Binary.run(["whatif", "--policy", v2, "--db", db, "--format", "json"]).write(
            toFile: whatif, atomically: true, encoding: .utf8)
        try Binary.run(base + ["--out", html, "--whatif", whatif, "--lang", "nl"])
        try Binary.run(base + ["--out", md, "--lang", "fr"])
        try Binary.run(base + ["--out", csv])
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("lang=\"nl\"") && page.contains("<svg"))
        #expect(page.contains("Evaluatie van de seiningsprocedure") && page.contains("@media print"))
        // The what-if comparison: both policies of the whatif file, and its honesty check.
        #expect(page.contains("id=\"whatif\"") && page.contains("huidig v1") && page.contains("voorgesteld v2"))
        #expect(page.contains("tolerantie"))
        let markdown = try String(contentsOfFile: md, encoding: .utf8)
        #expect(markdown.hasPrefix("# Évaluation de la procédure de signalement") && markdown.contains("| vcet |"))
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.first == "section,group,item,value")
        #expect(rows.contains("period,,before_version,v1") && rows.contains("period,,after_version,v2"))
        #expect(rows.contains("method,,resamples,2000"))
        // One answered alert on each side in vcet: the difference is known and its interval is that difference.
        func value(_ item: String) -> Double? {
            rows.first { $0.hasPrefix("latency,vcet,\(item),") }.flatMap { Double($0.split(separator: ",").last!) }
        }
        let before = try #require(value("mean_before_s")), after = try #require(value("mean_after_s"))
        #expect(value("answered_before") == 1 && value("answered_after") == 1)
        #expect(abs((value("difference_s") ?? 0) - (after - before)) < 0.002)
        #expect(value("ci95_low_s") == value("difference_s") && value("ci95_high_s") == value("difference_s"))
    }

    @Test func aBadVersionOrPeriodIsAClearError() throws {
        let (db, v2) = try twoPolicies()
        let base = ["report", "evaluation", "--db", db, "--policy", v2, "--out", db + ".html"]
        var err = try Binary.run(base + ["--before", "v1", "--after", "v9"], expectFailure: true)
        #expect(err.contains("no alert in the period was routed by policy version v9") && err.contains("v1, v2"))
        err = try Binary.run(
            base + ["--before", "v1", "--after", "v2", "--from", "2027-01-01", "--to", "2026-01-01"],
            expectFailure: true)
        #expect(err.contains("the period is empty"))
        err = try Binary.run(base + ["--before", "v1", "--after", "v2", "--from", "last week"], expectFailure: true)
        #expect(err.contains("--from must be a date"))
        err = try Binary.run(
            ["report", "evaluation", "--db", db, "--before", "v1", "--after", "v2", "--out", db + ".pdf"],
            expectFailure: true)
        #expect(err.contains("--out must end in .html, .md or .csv"))
        try "{\"nope\":1}".write(toFile: db + ".w.json", atomically: true, encoding: .utf8)
        err = try Binary.run(
            base + ["--before", "v1", "--after", "v2", "--whatif", db + ".w.json"], expectFailure: true)
        #expect(err.contains("is not the JSON of seinhuis whatif --format json"))
        #expect(!FileManager.default.fileExists(atPath: db + ".html"))
    }

    @Test func surveyRoundsFromTheCommandLine() throws {
        let db = try Binary.temporaryDatabase()
        try Binary.addAccounts(db: db, [("op", "operator")])
        var err = try Binary.run(["survey", "open", "--db", db, "--by", "op"], expectFailure: true)
        #expect(err.contains("manageSurveys"))
        let opened = try Binary.run(["survey", "open", "--db", db, "--question", "Duidelijk?", "--question", "Snel?"])
        #expect(opened.contains("survey round 1 open"))
        err = try Binary.run(["survey", "open", "--db", db], expectFailure: true)
        #expect(err.contains("still open"))
        let list = try #require(
            try Binary.json(try Binary.run(["survey", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        #expect(
            list.first?["questions"] as? [String] == ["Duidelijk?", "Snel?"]
                && list.first?["state"] as? String == "open")
        #expect(try Binary.run(["survey", "results", "1", "--db", db, "--lang", "nl"]).contains("nog open"))
        // Three operators answer (as the console does, through the store).
        let store = try Store(path: db)
        for (i, comment) in ["=1+1", "goed", nil].enumerated() {
            try store.answerSurvey(
                1, account: "o\(i)", answer: SurveyAnswer(role: .operator, scores: [i + 2, 5], comment: comment),
                at: Timestamp(milliseconds: 0))
        }
        #expect(try Binary.run(["survey", "close", "1", "--db", db]).contains("closed with 3 answers"))
        let table = try Binary.run(["survey", "results", "1", "--db", db, "--lang", "nl"])
        #expect(table.contains("operator") && table.contains("3,00") && table.contains("GEMIDDELDE"))
        err = try Binary.run(["survey", "close", "1", "--db", db], expectFailure: true)
        #expect(err.contains("closed already"))
        let csv = try Binary.run(["survey", "results", "1", "--db", db, "--format", "csv"])
        #expect(csv.hasPrefix("group,answers,question,mean,1,2,3,4,5,comment"))
        #expect(csv.contains("operator,3,1,3.000,0,1,1,1,0,") && csv.contains("operator,3,2,5.000,0,0,0,0,3,"))
        // A comment a spreadsheet would run as a formula stays text.
        #expect(csv.contains(",'=1+1") && !csv.contains(",=1+1"))
        err = try Binary.run(["survey", "results", "7", "--db", db], expectFailure: true)
        #expect(err.contains("no survey round 7"))
        let audit = try Binary.run(["audit", "list", "--db", db, "--action", "survey", "--format", "json"])
        #expect(audit.contains("survey.open") && audit.contains("survey.close"))
    }
}
