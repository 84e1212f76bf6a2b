import Foundation
import Testing

/// `simulator replay` (PROTOCOL 6): a generated stream into a database through the real `seinhuis replay`,
/// verified against its ground truth.
@Suite("simulator replay, end to end", .serialized)
struct SimulatorReplayTests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs the built simulator (next to the seinhuis binary) and returns its exit status and output.
    static func simulator(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = Binary.path.deletingLastPathComponent().appendingPathComponent("simulator")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, out: String(decoding: o, as: UTF8.self),
            err: String(decoding: e, as: UTF8.self))
    }

    /// A small generated stream (deterministic: the same seed gives the same files) in a directory of its own.
    static func stream() throws -> String {
        let dir = URL(fileURLWithPath: try Binary.temporaryDatabase()).deletingLastPathComponent()
            .appendingPathComponent("stream").path
        let g = try simulator(["generate", "--devices", "8", "--hours", "4", "--seed", "5", "--out", dir, "--quiet"])
        try #require(g.status == 0, "generate: \(g.err)")
        return dir
    }

    static func fresh(_ name: String) throws -> String {
        URL(fileURLWithPath: try Binary.temporaryDatabase()).deletingLastPathComponent().appendingPathComponent(name)
            .path
    }

    @Test func aGeneratedStreamReplaysWithPrecisionAndRecallOne() throws {
        let dir = try Self.stream()
        let truth = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/truth.json", encoding: .utf8)) as? [String: Any])
        let breaches = try #require(truth["breaches"] as? [[String: Any]])
        #expect(breaches.count > 3)  // enough to check something
        let dossiers = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/dossiers.json", encoding: .utf8)) as? [[String: Any]])

        // JSON: the database had no dossiers, so the stream's were imported; every kind matches exactly.
        let db = try Self.fresh("replay.sqlite")
        let run = try Self.simulator(["replay", dir, "--db", db, "--format", "json"])
        #expect(run.status == 0, "\(run.err)")
        let o = try #require(try Binary.json(run.out) as? [String: Any])
        #expect(o["pass"] as? Bool == true)
        #expect(o["dossiers_imported"] as? Int == dossiers.count)
        let replay = try #require(o["replay"] as? [String: Any])
        #expect((replay["counts"] as? [String: Any])?["accepted"] as? Int == truth["events"] as? Int)
        let verify = try #require(o["verify"] as? [String: Any])
        #expect(verify["truth"] as? Int == breaches.count)
        #expect(verify["raised"] as? Int == breaches.count)
        let kinds = try #require(verify["kinds"] as? [[String: Any]])
        #expect(!kinds.isEmpty)
        for k in kinds {
            #expect(k["precision"] as? Double == 1.0, "\(k)")
            #expect(k["recall"] as? Double == 1.0, "\(k)")
        }
        // The alerts are in the database, as `seinhuis replay` left them.
        let listed = try #require(
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        #expect(listed.filter { $0["device"] is String }.count == breaches.count)

        // The table, from the events file itself, into another fresh database: 1.000 everywhere and PASS.
        let table = try Self.simulator(["replay", dir + "/events.ndjson", "--db", try Self.fresh("t.sqlite")])
        #expect(table.status == 0, "\(table.err)")
        #expect(table.out.contains("dossiers  \(dossiers.count) imported from"))
        let rows = table.out.split(separator: "\n").filter {
            $0.hasPrefix("strap_tamper") || $0.hasPrefix("curfew_absence")
        }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.contains("1.000   1.000") })
        #expect(table.out.hasSuffix("PASS\n"))
    }

    @Test func aTruthWithABreachTheStreamDoesNotHaveFails() throws {
        let dir = try Self.stream()
        var truth = try #require(
            try Binary.json(try String(contentsOfFile: dir + "/truth.json", encoding: .utf8)) as? [String: Any])
        var breaches = try #require(truth["breaches"] as? [[String: Any]])
        // One more strap tamper, of a real dossier and device, at a time when nothing happened.
        var extra = try #require(breaches.first)
        extra["breach"] = "strap_tamper"
        extra["zone"] = NSNull()
        extra["raised_at"] = "2026-07-06T03:33:33.333Z"
        extra["cleared_at"] = NSNull()
        extra["scenario"] = "made_up"
        breaches.append(extra)
        truth["breaches"] = breaches
        let file = dir + "/truth-extra.json"
        try JSONSerialization.data(withJSONObject: truth).write(to: URL(fileURLWithPath: file))

        let run = try Self.simulator(["replay", dir, "--db", try Self.fresh("x.sqlite"), "--truth", file])
        #expect(run.status == 1)
        #expect(run.out.hasSuffix("FAIL\n"))
        #expect(run.out.contains("missed    strap_tamper \(extra["dossier"] as? String ?? "?")"))
        #expect(run.out.contains("raised_at 2026-07-06T03:33:33.333Z"))
        let json = try Self.simulator([
            "replay", dir, "--db", try Self.fresh("y.sqlite"), "--truth", file, "--format", "json",
        ])
        #expect(json.status == 1)
        let o = try #require(try Binary.json(json.out) as? [String: Any])
        #expect(o["pass"] as? Bool == false)
        let kinds = try #require((o["verify"] as? [String: Any])?["kinds"] as? [[String: Any]])
        let strap = try #require(kinds.first { $0["breach"] as? String == "strap_tamper" })
        #expect((strap["recall"] as? Double ?? 1) < 1)
        #expect(strap["false_negatives"] as? Int == 1)
    }

    @Test func aMissingStreamTruthDossiersOrDatabaseDirectoryIsAClearError() throws {
        let dir = try Self.stream()
        let db = try Self.fresh("e.sqlite")
        var r = try Self.simulator(["replay", dir + "/nothing-here", "--db", db])
        #expect(r.status != 0 && r.status != 1)
        #expect(r.err.contains("no stream at \(dir)/nothing-here"))

        r = try Self.simulator(["replay", dir, "--db", db, "--truth", dir + "/no-truth.json"])
        #expect(r.status != 0 && r.status != 1)
        #expect(r.err.contains("no truth file at \(dir)/no-truth.json"))

        // Only the events, in a directory of their own: no truth next to them, then no dossiers to import.
        let lone = try Self.fresh("lone")
        try FileManager.default.createDirectory(atPath: lone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/events.ndjson", toPath: lone + "/events.ndjson")
        r = try Self.simulator(["replay", lone, "--db", db])
        #expect(r.err.contains("no truth file next to the stream (\(lone)/truth.json"))
        r = try Self.simulator(["replay", lone, "--db", db, "--truth", dir + "/truth.json"])
        #expect(r.status != 0 && r.status != 1)
        #expect(r.err.contains("has no dossiers and there is no dossiers.json next to the stream"))

        r = try Self.simulator(["replay", dir, "--db", "/nonexistent/dir/x.sqlite"])
        #expect(r.status != 0 && r.status != 1)
        #expect(r.err.contains("cannot create the database /nonexistent/dir/x.sqlite"))
        r = try Self.simulator(["replay", dir])
        #expect(r.err.contains("--db"))
        // Nothing was replayed into the database by the refused runs.
        #expect(
            try Binary.run(["alerts", "list", "--db", db, "--format", "json"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "[]")

        let help = try Self.simulator(["replay", "--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("USAGE: simulator replay <stream> --db <db>") && help.out.contains("--truth"))
    }
}
