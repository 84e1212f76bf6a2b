import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Retention (PROTOCOL 7) through the real binaries: `seinhuis retention run` with a clock moved a year on, its dry
/// run, a `kill -9` in the middle of a purge, serve's daily purge, a restart after it, and the files' modes.
@Suite("retention, end to end", .serialized)
struct RetentionCLITests {
    static let hourMs: Int64 = 3_600_000

    /// A generated stream of 8 devices over 6 hours from 2025-03-01, replayed `perCommit` events per journal block.
    static func replayed(perCommit: Int = 500) throws -> (db: String, dir: String) {
        let db = try Binary.temporaryDatabase()
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("stream").path
        let g = try SimulatorReplayTests.simulator([
            "generate", "--devices", "8", "--hours", "6", "--seed", "5", "--start", "2025-03-01T00:00:00Z",
            "--out", dir, "--quiet",
        ])
        try #require(g.status == 0, "generate: \(g.err)")
        try Binary.run(["dossier", "import", dir + "/dossiers.json", "--db", db])
        try Binary.run([
            "replay", dir + "/events.ndjson", "--db", db, "--quiet", "--events-per-commit", String(perCommit),
        ])
        return (db, dir)
    }

    /// The journal as `events list` prints it: "device seq ts", in order.
    static func events(_ db: String) throws -> [String] {
        let out = try Binary.run(["events", "list", "--db", db, "--format", "json"])
        let array = try #require(try Binary.json(out) as? [[String: Any]])
        return array.map { "\($0["device"] ?? "?") \($0["seq"] ?? "?") \($0["ts"] ?? "?")" }
    }

    static func alertsJSON(_ db: String) throws -> String {
        Binary.canonical(try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])))
    }

    /// What a purge at `now` must leave: events at or after the cutoff, and those of an alert's device or its
    /// dossier's devices within an hour of its breach.
    static func expected(_ db: String, dir: String, cutoffMs: Int64) throws -> [String] {
        let dossiers = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/dossiers.json")))
                as? [[String: Any]])
        var devicesOf: [String: [String]] = [:]
        for d in dossiers { devicesOf[d["id"] as? String ?? ""] = d["devices"] as? [String] ?? [] }
        let alerts = try #require(
            try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        var windows: [String: [Int64]] = [:]
        for a in alerts {
            guard let device = a["device"] as? String, let ts = a["event_ts"] as? String,
                let ms = RestartHarness.milliseconds(ts)
            else { continue }
            for d in Set((devicesOf[a["dossier"] as? String ?? ""] ?? []) + [device]) {
                windows[d, default: []].append(ms)
            }
        }
        return try events(db).filter { line in
            let parts = line.split(separator: " ").map(String.init)
            guard let ts = RestartHarness.milliseconds(parts[2]) else { return true }
            return ts >= cutoffMs || (windows[parts[0]] ?? []).contains { abs($0 - ts) <= hourMs }
        }
    }

    static func sql(_ db: String, _ query: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, query]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func counts(_ json: String) throws -> [String: Any] {
        try #require(try Binary.json(json) as? [String: Any])
    }

    static let now = "2026-03-01T03:00:00.000Z"
    static let cutoffMs = RestartHarness.milliseconds("2025-03-01T03:00:00.000Z")!

    @Test func aYearOnOldEventsArePurgedAnAlertsEvidenceKeptAndTheCountsAudited() throws {
        let (db, dir) = try Self.replayed()
        let before = try Self.events(db)
        let alerts = try Self.alertsJSON(db)
        let wanted = try Self.expected(db, dir: dir, cutoffMs: Self.cutoffMs)
        try #require(wanted.count < before.count && wanted.count > 0)

        // The dry run counts and deletes nothing.
        let dry = try Self.counts(
            try Binary.run(["retention", "run", "--db", db, "--now", Self.now, "--dry-run", "--format", "json"]))
        #expect(try Self.events(db) == before)
        #expect(dry["dry_run"] as? Bool == true)
        #expect(dry["events_purged"] as? Int == before.count - wanted.count)

        let run = try Self.counts(
            try Binary.run(["retention", "run", "--db", db, "--now", Self.now, "--format", "json"]))
        let after = try Self.events(db)
        #expect(after == wanted)
        #expect(run["events_purged"] as? Int == before.count - wanted.count)
        #expect(run["events_remaining"] as? Int == wanted.count)
        let evidence = try #require(run["events_kept_as_evidence"] as? Int)
        #expect(evidence > 0)
        #expect(
            evidence
                == wanted.filter { RestartHarness.milliseconds(String($0.split(separator: " ")[2]))! < Self.cutoffMs }
                .count)
        #expect(try Self.alertsJSON(db) == alerts)

        // Both runs are in the audit trail with their counts.
        let audited = try Self.sql(
            db, "SELECT action || ' ' || detail FROM audit WHERE action LIKE 'retention.%' ORDER BY id"
        )
        .split(separator: "\n")
        try #require(audited.count == 2, "\(audited)")
        #expect(audited[0].hasPrefix("retention.dry_run {"))
        #expect(audited[1].hasPrefix("retention.purge {"))
        let detail = try Self.counts(String(audited[1].dropFirst("retention.purge ".count)))
        #expect(detail["events_purged"] as? Int == run["events_purged"] as? Int)
        #expect(detail["events_kept_as_evidence"] as? Int == evidence)

        // The table output and a bad option.
        let table = try Binary.run(["retention", "run", "--db", db, "--now", Self.now])
        #expect(table.contains("EVENTS PURGED") == false && table.contains("events purged") && table.contains("COUNT"))
        let err = try Binary.run(["retention", "run", "--db", db, "--now", "yesterday"], expectFailure: true)
        #expect(err.contains("--now must be an RFC 3339 time"))
    }

    @Test func aPurgeKilledHalfWayIsFinishedByTheNextRunWithTheSameResult() throws {
        let (db, _) = try Self.replayed(perCommit: 60)
        let control = db + ".control.sqlite"
        try FileManager.default.copyItem(atPath: db, toPath: control)
        let alerts = try Self.alertsJSON(db)
        let total = try Self.sql(db, "SELECT SUM(count) FROM journal_block")
        _ = try Binary.run(["retention", "run", "--db", control, "--now", Self.now])
        let final = try Self.sql(control, "SELECT SUM(count) FROM journal_block")

        let p = Process()
        p.executableURL = Binary.path
        p.environment = Binary.environment
        p.arguments = ["retention", "run", "--db", db, "--now", Self.now, "--batch-blocks", "1", "--pause-ms", "150"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Killed once the first transactions have committed (a batch of one block, 150 ms apart: far from done).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, p.isRunning, try Self.sql(db, "SELECT SUM(count) FROM journal_block") == total {
            usleep(20_000)
        }
        usleep(300_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let midway = try Self.sql(db, "SELECT SUM(count) FROM journal_block")
        #expect(
            Int(midway)! < Int(total)! && Int(midway)! > Int(final)!,
            "total \(total), mid-way \(midway), final \(final)")
        #expect(try Self.sql(db, "SELECT COUNT(*) FROM audit WHERE action = 'retention.purge'") == "0")

        _ = try Binary.run(["retention", "run", "--db", db, "--now", Self.now])
        let blocks = "SELECT id, first_ts, last_ts, count, format, hex(data) FROM journal_block ORDER BY id"
        #expect(try Self.sql(db, blocks) == Self.sql(control, blocks))
        #expect(try Self.events(db) == Self.events(control))
        #expect(try Self.alertsJSON(db) == alerts)
        #expect(try Self.sql(db, "SELECT COUNT(*) FROM audit WHERE action = 'retention.purge'") == "1")
    }

    @Test func servePurgesOnItsScheduleAuditsAndARestartAfterItGivesTheSameAlerts() throws {
        let (db, _) = try Self.replayed()
        // The control: the same database served and restarted without a purge (its period longer than the data).
        let controlDir = try RestartHarness.temporaryDirectory("retention-control")
        let control = try ServedDatabase(dir: controlDir, withAdmin: false)  // a copy of one that has it
        defer { control.cleanUp() }
        try FileManager.default.copyItem(atPath: db, toPath: control.db)
        control.serveArguments = ["--retention-days", "100000", "--retention-first-run-ms", "0"]
        try control.start()
        try control.restart(.kill)
        try control.stop()

        let dir = try RestartHarness.temporaryDirectory("retention")
        let served = try ServedDatabase(dir: dir, withAdmin: false)
        defer { served.cleanUp() }
        try FileManager.default.copyItem(atPath: db, toPath: served.db)
        // A world-readable file from before is tightened when serve opens it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: served.db)
        // Data from 2025: everything but the alerts' evidence is older than 365 days.
        served.serveArguments = ["--retention-first-run-ms", "200", "--retention-every-ms", "700"]
        let server = try served.start()
        try server.waitForLog("retention purge", after: 0)
        // The files are the owner's only, while serve runs (SQLite's -wal and -shm exist then).
        for file in [served.db, served.db + "-wal", served.db + "-shm"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: file))[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file): \(String(mode ?? 0, radix: 8))")
        }
        // The daily run comes round again (shortened here).
        let first = server.logText.components(separatedBy: "retention purge").count
        try server.waitForLog("retention purge", after: server.logText.utf8.count)
        #expect(server.logText.components(separatedBy: "retention purge").count > first)
        let audited = try Self.sql(
            served.db, "SELECT actor || ' ' || detail FROM audit WHERE action = 'retention.purge' ORDER BY id"
        )
        .split(separator: "\n")
        #expect(audited.count >= 2)
        #expect(audited.first?.hasPrefix("serve {\"dry_run\":false,\"retention_days\":365") == true)
        #expect(audited.first?.contains("\"events_purged\":0,") == false)
        try served.restart(.kill)
        try served.restart(.graceful)
        try served.stop()
        let remaining = try Self.events(served.db)
        #expect(remaining.count < (try Self.events(control.db)).count)
        #expect(try served.breaches() == control.breaches())
    }
}
