import Foundation
import SeinhuisStore
import Testing

/// `seinhuis audit list|verify|head` of the real binary on a real SQLite file, tampered with through a second SQLite
/// connection as someone with write access to the file would (PROTOCOL 7, docs/AUDIT.md).
@Suite("seinhuis audit, end to end", .serialized)
struct AuditCLITests {
    /// A database with a trail made by the command line: a dossier import, a replay's alerts acted on, a Radex
    /// alert shown, a review report, user changes.
    func database() throws -> String {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        try Binary.run(["alert", "ack", "A-000000001", "--db", db, "--by", "e2e-admin"])
        try Binary.run(["alert", "respond", "A-000000001", "--measure", "phone_call", "--db", db, "--by", "e2e-admin"])
        try Binary.run(["alert", "show", "A-000000001", "--db", db, "--by", "e2e-admin"])
        let out = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("r.html").path
        try Binary.run(["review", "report", "D-EX-1", "--out", out, "--db", db, "--by", "e2e-admin"])
        try Binary.run(["user", "add", "anna-op", "--role", "operator", "--db", db, "--by", "e2e-admin"])
        try Binary.run(["user", "disable", "anna-op", "--db", db, "--by", "e2e-admin"])
        return db
    }

    /// Runs the binary: exit status and standard output (verify prints its finding there, and exits 1).
    func verify(_ db: String, _ extra: [String] = []) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = Binary.path
        p.environment = Binary.environment
        p.arguments = ["audit", "verify", "--db", db] + extra
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func entries(_ db: String, _ filters: [String] = []) throws -> [[String: Any]] {
        let text = try Binary.run(["audit", "list", "--db", db, "--format", "json"] + filters)
        return try #require(try Binary.json(text) as? [[String: Any]])
    }

    func ids(_ db: String, _ filters: [String] = []) throws -> [Int] {
        try entries(db, filters).compactMap { $0["id"] as? Int }
    }

    func tamper(_ db: String, _ sql: String) throws { try Database(path: db).execute(sql) }

    @Test func theCLIsActionsAndViewsAreAuditedAndTheIntactChainVerifies() throws {
        let db = try database()
        let all = try entries(db)
        let actions = all.compactMap { $0["action"] as? String }
        for a in [
            "dossier.import", "alert.acknowledge", "alert.respond", "dossier.view", "review.report_view", "user.add",
            "user.disable",
        ] {
            #expect(actions.contains(a), "\(a) missing from \(actions)")
        }
        let view = try #require(all.first { $0["action"] as? String == "dossier.view" })
        #expect(view["dossier"] as? String == "D-EX-1" && view["actor"] as? String == "e2e-admin")
        #expect((view["detail"] as? String)?.contains("A-000000001") == true)
        // Filters: by dossier (its import, its alert's actions and the views), by action family, by actor, by time.
        let d1 = try entries(db, ["--dossier", "D-EX-1"]).compactMap { $0["action"] as? String }
        #expect(d1.contains("alert.respond") && d1.contains("review.report_view") && !d1.contains("user.add"))
        #expect(
            try entries(db, ["--action", "user"]).compactMap { $0["action"] as? String } == [
                "user.add", "user.add", "user.disable",  // the tests' admin (the first account), then anna-op
            ])
        #expect(try entries(db, ["--actor", "nobody-at-all"]).isEmpty)
        #expect(
            try entries(db, ["--to", "2000-01-01"]).isEmpty && ids(db, ["--from", "2000-01-01"]).count == all.count)
        #expect(try ids(db, ["--limit", "2"]).count == 2)
        let csv = try Binary.run(["audit", "list", "--db", db, "--format", "csv", "--action", "user.add"])
        #expect(csv.hasPrefix("id,at,actor,role,queue,action,subject,dossier,detail\n") && csv.contains("anna-op"))
        let bad = try Binary.run(["audit", "list", "--db", db, "--from", "yesterday"], expectFailure: true)
        #expect(bad.contains("--from must be an RFC 3339 time or a day"))

        let (status, out) = try verify(db)
        #expect(status == 0 && out.hasPrefix("audit trail intact: \(all.count) entries"), "\(out)")
        let json = try #require(try Binary.json(try verify(db, ["--format", "json"]).1) as? [String: Any])
        #expect(json["intact"] as? Bool == true && json["verified"] as? Int == all.count)
    }

    @Test func anUpdateOfAnEntryIsCaught() throws {
        let db = try database()
        let target = try ids(db, ["--action", "alert.respond"])[0]
        try tamper(db, "UPDATE audit SET actor = 'someone-else' WHERE id = \(target)")
        let (status, out) = try verify(db)
        #expect(status == 1)
        #expect(out.contains("entry \(target): changed") && out.contains("BROKEN at entry \(target)"), "\(out)")
    }

    @Test func aDeleteOfAnEntryIsCaught() throws {
        let db = try database()
        let target = try ids(db, ["--action", "dossier.view"])[0]
        try tamper(db, "DELETE FROM audit WHERE id = \(target)")
        let (status, out) = try verify(db)
        #expect(status == 1 && out.contains("entry \(target): removed"), "\(out)")
    }

    @Test func anInsertBetweenTwoEntriesIsCaught() throws {
        let db = try database()
        let target = try ids(db, ["--action", "alert.acknowledge"])[0] + 1
        // Make room after the acknowledgement and slip in a forged closing.
        try tamper(
            db,
            """
            UPDATE audit SET id = -id WHERE id >= \(target);
            UPDATE audit SET id = 1 - id WHERE id < 0;
            INSERT INTO audit(id, at, actor, action, subject, detail, dossier, hash)
                SELECT \(target), at + 1, actor, 'alert.close', subject, 'queue vcet', dossier, hash
                FROM audit WHERE id = \(target - 1);
            """)
        let (status, out) = try verify(db)
        #expect(status == 1 && out.contains("entry \(target): inserted"), "\(out)")
    }

    @Test func removingTheTailAfterAnExportedHeadIsCaught() throws {
        let db = try database()
        let file = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("head.json").path
        try Binary.run(["audit", "head", "--db", db, "--out", file])
        let head = try #require(try Binary.json(String(contentsOfFile: file, encoding: .utf8)) as? [String: Any])
        let last = try #require(head["id"] as? Int)
        #expect((head["hash"] as? String)?.count == 64)
        // Remove the last two entries: the head in the database catches it.
        try tamper(db, "DELETE FROM audit WHERE id > \(last - 2)")
        var (status, out) = try verify(db)
        #expect(status == 1 && out.contains("entry \(last - 1): truncated"), "\(out)")
        // Rewrite that head too: the chain in the database looks whole; the exported head still catches it.
        try tamper(
            db,
            """
            UPDATE meta SET value = (SELECT id || ' ' || hash || ' ' || at FROM audit ORDER BY id DESC LIMIT 1)
            WHERE key = 'audit.head'
            """)
        (status, out) = try verify(db)
        #expect(status == 0, "\(out)")
        (status, out) = try verify(db, ["--head", file])
        #expect(status == 1 && out.contains("entry \(last - 1): truncated") && out.contains(file), "\(out)")
        let unreadable = try Binary.run(["audit", "verify", "--db", db, "--head", db], expectFailure: true)
        #expect(unreadable.contains("is not a head"))
    }

    /// A kill -9 in the middle of an import (one transaction: the dossiers and their entries) leaves either all of it
    /// or none, and a chain that verifies and goes on.
    @Test func aKillInTheMiddleOfAnAuditedImportLeavesTheChainIntact() throws {
        let db = try Binary.temporaryDatabase()
        let n = 3000
        let dossiers = (1...n).map {
            #"{"id":"D-K-\#($0)","subject":"S-K\#($0)","radex":false,"mandate":"sentence","start":"2026-01-01","timezone":"Europe/Brussels","devices":["TAG-K\#($0)"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}}"#
        }
        let file = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("many.json")
        try Data(("[" + dossiers.joined(separator: ",") + "]").utf8).write(to: file)
        var kept = 0
        for delay in [0.15, 0.3, 0.6, 1.2] {
            let p = Process()
            p.executableURL = Binary.path
            p.environment = Binary.environment
            p.arguments = ["dossier", "import", file.path, "--db", db, "--by", "e2e-admin"]
            p.standardOutput = Pipe()
            p.standardError = Pipe()
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let imports = try entries(db, ["--action", "dossier", "--limit", "100000"]).count
            #expect(imports % n == 0, "a partial import: \(imports) entries")
            kept = imports
            let (status, out) = try verify(db)
            #expect(status == 0, "after a kill at \(delay) s: \(out)")
        }
        try Binary.run(["user", "add", "after-kill", "--role", "operator", "--db", db, "--by", "e2e-admin"])
        let users = try entries(db, ["--action", "user"]).count
        let (status, out) = try verify(db)
        #expect(status == 0 && out.contains("intact: \(kept + users) entries"), "\(out)")
    }
}
