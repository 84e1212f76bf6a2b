import Foundation
import Testing

/// Pseudonyms and actors of the real binary (PROTOCOL 7, docs/TRUST.md): a dossier file with a subject that is no
/// pseudonym imports nothing; every audited action is done by an existing, enabled account whose role may do it.
@Suite("pseudonyms and accounts as actors, end to end", .serialized)
struct ActorCLITests {
    static func dossier(_ id: String, subject: String, device: String) -> String {
        #"{"id":"\#(id)","subject":"\#(subject)","radex":true,"mandate":"pretrial","start":"2026-01-01","#
            + #""devices":["\#(device)"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}}"#
    }

    func file(_ db: String, _ name: String, _ text: String) throws -> String {
        let url = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func json(_ args: [String]) throws -> [[String: Any]] {
        try #require(try Binary.json(try Binary.run(args + ["--format", "json"])) as? [[String: Any]])
    }

    func audit(_ db: String) throws -> [[String: Any]] { try json(["audit", "list", "--db", db]) }

    /// A database with the admin, an operator, a cell member and a disabled admin.
    func database() throws -> String {
        let db = try Binary.temporaryDatabase()
        for (name, role) in [("op1", "operator"), ("cel1", "cell"), ("gone", "admin"), ("pol1", "police")] {
            try Binary.run(["user", "add", name, "--role", role, "--db", db])
        }
        try Binary.run(["user", "disable", "gone", "--db", db])
        return db
    }

    @Test func aFileWithASubjectThatIsNoPseudonymIsRefusedWholeWithoutShowingIt() throws {
        let db = try database()
        let path = try file(
            db, "d.json",
            "[" + Self.dossier("D-A-1", subject: "S-A1", device: "T-A1") + ","
                + Self.dossier("D-A-2", subject: "Jan Peeters", device: "T-A2") + "]")
        let before = try audit(db).count
        let err = try Binary.run(["dossier", "import", path, "--db", db], expectFailure: true)
        #expect(err.contains("dossier D-A-2") && err.contains("field subject") && !err.contains("D-A-1"))
        #expect(!err.contains("Jan") && !err.contains("Peeters"))
        #expect(try json(["dossier", "list", "--db", db]).isEmpty)
        #expect(try audit(db).count == before)
        // A configured pattern decides instead of the default rule.
        let letters = try file(db, "e.json", Self.dossier("D-A-3", subject: "ABCDEFGH", device: "T-A3"))
        #expect(try Binary.run(["dossier", "import", letters, "--db", db], expectFailure: true).contains("D-A-3"))
        try Binary.run(["dossier", "import", letters, "--db", db, "--subject-pattern", "[A-Z]{8}"])
        #expect(try json(["dossier", "list", "--db", db]).map { $0["id"] as? String } == ["D-A-3"])
        let bad = try Binary.run(
            ["dossier", "import", letters, "--db", db, "--subject-pattern", "("], expectFailure: true)
        #expect(bad.contains("--subject-pattern is not a valid regular expression"))
    }

    @Test func unknownDisabledOrUnpermittedActorsAreRefusedAndNothingChanges() throws {
        let db = try database()
        let path = try file(db, "d.json", Self.dossier("D-B-1", subject: "S-B1", device: "T-B1"))
        let users = try json(["user", "list", "--db", db]).count
        let trail = try audit(db).count
        for (by, reason) in [("nobody", "no account nobody"), ("gone", "disabled"), ("op1", "importDossiers")] {
            let err = try Binary.run(["dossier", "import", path, "--db", db, "--by", by], expectFailure: true)
            #expect(err.contains(reason), "\(by): \(err)")
        }
        // $SEINHUIS_USER is the default actor: an account that does not exist is refused as well.
        let viaEnv = try Binary.run(
            ["dossier", "import", path, "--db", db], expectFailure: true, environment: ["SEINHUIS_USER": "ghost"])
        #expect(viaEnv.contains("no account ghost"))
        for args in [
            ["user", "add", "x1", "--role", "admin"], ["user", "disable", "cel1"], ["user", "enable", "gone"],
            ["user", "passwd", "cel1"], ["retention", "run"], ["review", "report", "D-B-1"],
        ] {
            let err = try Binary.run(args + ["--db", db, "--by", "op1"], expectFailure: true)
            #expect(err.contains("account op1 (operator) may not do this"), "\(args): \(err)")
        }
        #expect(try json(["dossier", "list", "--db", db]).isEmpty)
        #expect(try json(["user", "list", "--db", db]).count == users)
        let gone = try json(["user", "list", "--db", db]).first { $0["name"] as? String == "gone" }
        #expect(gone?["disabled"] as? Bool == true)
        // Starting serve with another routing policy is a policy change: refused before anything is bound.
        let v9 = try Binary.run(["policy", "show"]).replacingOccurrences(of: #""v1""#, with: #""v9""#)
        let policy = try file(db, "v9.json", v9)
        let serve = try Binary.run(
            [
                "serve", "--db", db, "--policy", policy, "--by", "op1", "--http-port", "1",
                "--ingest", "tcp://127.0.0.1:1",
            ],
            expectFailure: true)
        #expect(serve.contains("activatePolicies"))
        #expect(try audit(db).count == trail)
        // An account of the wrong queue may not act on an alert there.
        let err = try Binary.run(
            ["alert", "ack", "A-000000001", "--queue", "vcet", "--db", db, "--by", "pol1"], expectFailure: true)
        #expect(err.contains("does not work the queue vcet"))
    }

    @Test func theAuditTrailNamesTheAccountAndItsRole() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try database()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        // The operator's queue is the default one: vcet.
        try Binary.run(["alert", "ack", "A-000000001", "--db", db, "--by", "op1"])
        try Binary.run(["review", "report", "D-EX-1", "--db", db, "--by", "cel1", "--out", "/dev/null"])
        let trail = try audit(db)
        func entry(_ action: String) -> [String: Any]? { trail.last { $0["action"] as? String == action } }
        #expect(entry("dossier.import")?["actor"] as? String == Binary.admin)
        #expect(entry("dossier.import")?["role"] as? String == "admin")
        #expect(entry("alert.acknowledge")?["actor"] as? String == "op1")
        #expect(entry("alert.acknowledge")?["role"] as? String == "operator")
        #expect(entry("alert.acknowledge")?["queue"] as? String == "vcet")
        #expect(entry("review.report_view")?["role"] as? String == "cell")
        #expect(entry("user.disable")?["role"] as? String == "admin")
        let show = ["alert", "show", "A-000000001", "--db", db, "--format", "json", "--by", "op1"]
        let shown = try #require(try Binary.json(try Binary.run(show)) as? [String: Any])
        let actions = try #require(shown["actions"] as? [[String: Any]])
        #expect(actions.first?["by"] as? String == "op1" && actions.first?["role"] as? String == "operator")
    }

    @Test func theFirstAccountIsAnAdminAddedByNoOne() throws {
        let db = try Binary.temporaryDatabase(withAdmin: false)
        let noAdmin = try Binary.run(["user", "add", "boss", "--role", "operator", "--db", db], expectFailure: true)
        #expect(noAdmin.contains("the first one must be an admin"))
        #expect(try json(["user", "list", "--db", db]).isEmpty)
        // $SEINHUIS_USER names no account here: the first admin needs none.
        let out = try Binary.run(["user", "add", "boss", "--role", "admin", "--db", db])
        #expect(out.contains("added boss (admin)") && out.contains("password: "))
        let add = try #require(try audit(db).first)
        #expect(add["action"] as? String == "user.add" && add["actor"] as? String == "boss")
        #expect(add["role"] as? String == "admin" && (add["detail"] as? String)?.contains("first account") == true)
        // From then on accounts are added by an admin account.
        let err = try Binary.run(["user", "add", "second", "--role", "admin", "--db", db], expectFailure: true)
        #expect(err.contains("no account \(Binary.admin)"))
        try Binary.run(["user", "add", "second", "--role", "operator", "--db", db, "--by", "boss"])
        let last = try #require(try audit(db).last)
        #expect(last["actor"] as? String == "boss" && last["subject"] as? String == "second")
        // The last enabled admin cannot be disabled (no one could add or enable an account any more).
        let lockout = try Binary.run(["user", "disable", "boss", "--db", db, "--by", "boss"], expectFailure: true)
        #expect(lockout.contains("last enabled admin"))
    }

    @Test func aReviewerIsACellOrAdminAccountAndTheRecorderMayRecordReviews() throws {
        let db = try database()
        let path = try file(db, "d.json", Self.dossier("D-C-1", subject: "S-C1", device: "T-C1"))
        try Binary.run(["dossier", "import", path, "--db", db])
        let review = ["review", "record", "D-C-1", "--db", db, "--date", "2026-03-01", "--findings", "Stable."]
        var err = try Binary.run(review + ["--decision", "continue", "--reviewer", "op1"], expectFailure: true)
        #expect(err.contains("reviewer op1 is an account of role operator"))
        err = try Binary.run(review + ["--decision", "continue", "--reviewer", "K. Peeters"], expectFailure: true)
        #expect(err.contains("reviewer K. Peeters is not an account"))
        err = try Binary.run(
            review + ["--decision", "continue", "--reviewer", "cel1", "--by", "op1"], expectFailure: true)
        #expect(err.contains("recordReviews"))
        #expect(try json(["review", "list", "D-C-1", "--db", db]).isEmpty)
        try Binary.run(review + ["--decision", "continue", "--reviewer", "cel1", "--by", "cel1"])
        let list = try json(["review", "list", "D-C-1", "--db", db])
        #expect(list.first?["reviewer"] as? String == "cel1" && list.first?["recorded_by"] as? String == "cel1")
        let entry = try #require(try audit(db).last)
        #expect(entry["action"] as? String == "review.record" && entry["role"] as? String == "cell")
    }
}
