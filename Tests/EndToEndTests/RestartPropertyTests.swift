import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// PROTOCOL 2.4 as a property over generated streams: `serve` killed (`kill -9`) three times at random moments
/// raises the same breaches (dossier, device, breach, zone, event_ts, cleared_at, queues) as `serve` left alone,
/// for the same frames in the same order.
///
/// Each seed: `simulator generate` (its historical timestamps: devices report with the simulator's usual lag), plus
/// late events (older than their device's latest, new seq) and clock-skewed ones (1-30 days ahead of the receive
/// clock) injected into the stream; the stream is split in two halves, and between them,
/// once the first half is acked, some dossiers are re-imported with changed conditions (an exclusion zone added
/// around a later fix, a curfew replaced); the second half follows once serve has applied the import. Both arms
/// stream over the reliable endpoint (`simulator stream --reliable --window 1`: nothing acked is lost, unacked
/// batches are resent in order across the restarts).
///
/// Knobs: `RESTART_TESTS_SEEDS=7,42` replays seeds (instead of the fixed list plus one random seed);
/// `RESTART_TESTS_KILLS=0` runs the second arm without restarts too (the harness's determinism).
@Suite("restarts at random moments change no alert: generated streams (PROTOCOL 2.4)", .serialized)
struct RestartPropertyTests {
    static let fixedSeeds: [UInt64] = [7, 1203, 90210]

    static let seeds: [UInt64] = {
        if let list = ProcessInfo.processInfo.environment["RESTART_TESTS_SEEDS"] {
            return list.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        }
        return fixedSeeds + [UInt64.random(in: 1...999_999)]
    }()

    static var kills: Int { Int(ProcessInfo.processInfo.environment["RESTART_TESTS_KILLS"] ?? "") ?? 3 }

    /// The generated run: small enough that a seed takes about 20 s (both arms).
    static let devices = 16
    static let hours = 6
    static let start = "2026-07-06T04:00:00Z"  // 06:00-12:00 in Brussels: curfews ending, commutes, errands
    /// Events per second streamed: each half lasts a few seconds, so that the kills land while it streams.
    static let rate = 3000

    @Test(arguments: seeds)
    func threeKillsAtRandomMomentsChangeNoAlert(seed: UInt64) throws {
        let run = try GeneratedRun(seed: seed)
        defer { run.cleanUp() }
        let reference = try run.serve(kills: 0, label: "reference")
        let restarted = try run.serve(kills: Self.kills, label: "restarted")
        let diff = BreachDiff(reference: reference.breaches, restarted: restarted.breaches)
        print(
            "restart property, seed \(seed): \(reference.breaches.count) breaches without restarts "
                + "[\(BreachDiff.summary(reference.breaches))], \(restarted.breaches.count) with; "
                + restarted.notes.joined(separator: "; "))
        if !diff.isEmpty {
            Issue.record(
                """
                seed \(seed): \(Self.kills) restarts changed the alerts (PROTOCOL 2.4). Replay: RESTART_TESTS_SEEDS=\(seed)
                  \(run.summary)
                  restarts: \(restarted.notes.joined(separator: "; "))
                  without restarts: \(reference.breaches.count) [\(BreachDiff.summary(reference.breaches))]
                  with restarts:    \(restarted.breaches.count) [\(BreachDiff.summary(restarted.breaches))]
                \(diff.render())
                """)
        }
        #expect(!reference.breaches.isEmpty, "seed \(seed): the generated stream raised no breach at all")
    }

    /// The control: two runs without any restart give identical breaches, so a difference with restarts is the
    /// server's, not the harness's timing.
    @Test func withoutRestartsTwoRunsRaiseTheSameAlerts() throws {
        let seed = Self.fixedSeeds[0]
        let run = try GeneratedRun(seed: seed)
        defer { run.cleanUp() }
        let first = try run.serve(kills: 0, label: "first")
        let second = try run.serve(kills: 0, label: "second")
        let diff = BreachDiff(reference: first.breaches, restarted: second.breaches)
        #expect(
            diff.isEmpty,
            """
            seed \(seed): two runs without restarts differ: the harness is not deterministic
              \(run.summary)
            \(diff.render())
            """)
    }
}

/// One generated stream with its injections, halves and re-import, in a temporary directory.
struct GeneratedRun {
    let seed: UInt64
    let dir: URL
    let dossiers: String  // the first import
    let reimport: String  // the changed dossiers, imported between the halves
    let halves: [String]  // NDJSON files
    let halfEvents: [Int]
    let summary: String

    init(seed: UInt64) throws {
        self.seed = seed
        let dir = try RestartHarness.temporaryDirectory("seed\(seed)")
        self.dir = dir
        let sim = dir.appendingPathComponent("sim").path
        let generate = [
            "generate", "--devices", String(RestartPropertyTests.devices), "--hours",
            String(RestartPropertyTests.hours), "--start", RestartPropertyTests.start, "--seed", String(seed),
            "--out", sim, "--quiet",
            // (1.1) Protected persons, crossing zones and a carrier outage: their state is restarted too.
            "--victims", "3", "--crossings", "3", "--outage-share", "1",
        ]
        try SimulatorProcess.run(generate)
        var rng = SeededRandom(seed: seed ^ 0x5EED24)

        // The stream with late and clock-skewed events injected.
        let text = try String(contentsOfFile: sim + "/events.ndjson", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var out: [String] = []
        out.reserveCapacity(lines.count + lines.count / 50)
        var late = 0, skewed = 0
        func event(_ device: String, _ seq: Int, _ ts: String, _ body: String) -> String {
            #"{"v":1,"device":"\#(device)","seq":\#(seq),"ts":"\#(ts)",\#(body)}"#
        }
        let bodies = [
            #""kind":"strap","state":"opened""#, #""kind":"case","state":"opened""#,
            #""kind":"battery","level":0.03,"charging":false"#, #""kind":"gnss","state":"jammed""#,
            #""kind":"presence","present":false"#, #""kind":"power","state":"lost""#, #""kind":"heartbeat""#,
        ]
        var fixes: [String: [(index: Int, lat: Double, lon: Double)]] = [:]
        for (i, line) in lines.enumerated() {
            out.append(line)
            guard let o = try? Binary.json(line) as? [String: Any], let device = o["device"] as? String,
                let ts = o["ts"] as? String, let ms = RestartHarness.milliseconds(ts)
            else { continue }
            if o["kind"] as? String == "position", let acc = o["acc"] as? Double, acc <= 100,
                let lat = o["lat"] as? Double, let lon = o["lon"] as? Double
            {
                fixes[device, default: []].append((out.count - 1, lat, lon))
            }
            guard i > 100 else { continue }
            let roll = Double.random(in: 0..<1, using: &rng)
            if roll < 0.004 {
                // Late: older than the device's latest event (just sent), a sequence number never used.
                late += 1
                let back = Int64.random(in: 20_000...900_000, using: &rng)
                var body = bodies.randomElement(using: &rng)!
                if Bool.random(using: &rng) {
                    body = #""kind":"position","lat":\#((o["lat"] as? Double ?? 51.0) + 0.3),"lon":3.7,"acc":5.0"#
                }
                out.append(event(device, 5_000_000 + late, RestartHarness.rfc3339(milliseconds: ms - back), body))
            } else if roll < 0.006 {
                // Clock-skewed: days ahead of the receive clock.
                skewed += 1
                let ahead = Int64.random(in: 86_400_000...30 * 86_400_000, using: &rng)
                out.append(
                    event(
                        device, 6_000_000 + skewed, RestartHarness.rfc3339(milliseconds: now + ahead),
                        bodies.randomElement(using: &rng)!))
            }
        }
        let middle = out.count / 2
        let halfLines = [Array(out[..<middle]), Array(out[middle...])]
        halves = try halfLines.enumerated().map { k, ls in
            let path = dir.appendingPathComponent("half\(k + 1).ndjson").path
            try (ls.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        halfEvents = halfLines.map(\.count)

        // The dossiers, without `end` (a period that ends before today's receive clock would make the re-import
        // clear breaches at the receive clock: timing, not the stream); the re-import changes some of them.
        let data = try Data(contentsOf: URL(fileURLWithPath: sim + "/dossiers.json"))
        guard var list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw RestartHarness.Failure(description: "\(sim)/dossiers.json is not an array of dossiers")
        }
        for i in list.indices { list[i]["end"] = nil }
        var changed: [[String: Any]] = []
        var zones = 0, curfews = 0
        for d in list {
            let devices = (d["devices"] as? [Any] ?? []).compactMap { (entry: Any) -> String? in
                if let id = entry as? String { return id }
                return (entry as? [String: Any])?["id"] as? String
            }
            let roll = Double.random(in: 0..<1, using: &rng)
            var c = d
            if roll < 0.4, let device = devices.first,
                let later = fixes[device]?.filter({ $0.index >= middle }), !later.isEmpty
            {
                // An exclusion zone around a fix of the second half: its breach comes after the import.
                let f = later.randomElement(using: &rng)!
                var zs = d["zones"] as? [[String: Any]] ?? []
                zs.append([
                    "id": "Z-restart", "kind": "exclusion",
                    "circle": ["lat": f.lat, "lon": f.lon, "radius_m": 300] as [String: Any],
                ])
                c["zones"] = zs
                zones += 1
            } else if roll < 0.7 {
                // A curfew in the late morning (the second half), every day.
                c["curfew"] = [
                    ["days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "10:00", "to": "11:00"]
                ]
                curfews += 1
            } else {
                continue
            }
            changed.append(c)
        }
        func json(_ o: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
        }
        dossiers = try json(list)
        reimport = try json(changed)
        summary =
            "simulator \(generate.map { $0 == sim ? "DIR" : $0 }.joined(separator: " ")); \(lines.count) lines + \(late) late + \(skewed) skewed; "
            + "halves of \(halfEvents[0]) and \(halfEvents[1]) lines; re-import of "
            + "\(changed.count) of \(list.count) dossiers (\(zones) with Z-restart, \(curfews) with a 10:00-11:00 curfew)"
    }

    func cleanUp() {
        if ProcessInfo.processInfo.environment["RESTART_TESTS_KEEP"] != "1" {
            try? FileManager.default.removeItem(at: dir)
        }
    }

    struct Outcome {
        var breaches: [BreachRecord]
        var notes: [String]
    }

    /// One arm: import, serve, first half, re-import, second half, with `kills` restarts by `kill -9` at random
    /// moments of the halves (the schedule follows from the seed).
    func serve(kills: Int, label: String) throws -> Outcome {
        do {
            return try serveArm(kills: kills, label: label)
        } catch let e as RestartHarness.Failure {
            throw RestartHarness.Failure(description: "seed \(seed), \(label) run: \(e.description)")
        }
    }

    private func serveArm(kills: Int, label: String) throws -> Outcome {
        let armDir = dir.appendingPathComponent(label)
        try FileManager.default.createDirectory(at: armDir, withIntermediateDirectories: true)
        let served = try ServedDatabase(dir: armDir)
        try served.importDossiers(dossiers, name: "dossiers.json")
        try served.start()
        // The schedule: each kill in a half, at a moment within the half's expected streaming time.
        var rng = SeededRandom(seed: seed ^ 0xC0FFEE)
        var plan: [[Int]] = [[], []]
        for k in 0..<kills {
            // The first kill in the first half, the second in the second (after the re-import), the rest anywhere.
            let h = k < 2 ? k : Int.random(in: 0...1, using: &rng)
            let expectedMs = halfEvents[h] * 1000 / RestartPropertyTests.rate
            plan[h].append(Int.random(in: expectedMs / 10...expectedMs * 9 / 10, using: &rng))
        }
        var notes: [String] = []
        var acted: [String: Int64] = [:]
        for h in 0..<2 {
            let stream = try SimulatorProcess.stream(halves[h], to: served.ports.reliable, dir: armDir, half: h + 1)
            let t0 = Date()
            func elapsed() -> Int { Int(Date().timeIntervalSince(t0) * 1000) }
            for at in plan[h].sorted() {
                RestartHarness.sleep(ms: at - elapsed())
                let streaming = stream.isRunning
                let killedAt = elapsed()
                served.server?.kill9()
                try served.start()
                notes.append(
                    "kill -9 at \(killedAt) ms of half \(h + 1) (\(streaming ? "while streaming" : "after its stream ended")), "
                        + "ready again \(elapsed() - killedAt) ms later")
            }
            let summary = try stream.finish(timeoutMs: 120_000)
            guard (summary["rejected"] as? Int) == 0 else {
                throw RestartHarness.Failure(description: "\(label) half \(h + 1): frames rejected: \(summary)")
            }
            if h == 0 {
                try served.reimport(reimport, name: "reimport.json")
                acted = try Self.respond(on: served)
                notes.append("responded for vcet to \(acted.count) alerts")
            }
        }
        try served.stop()
        try Self.checkRevs(served, acted: acted)
        return Outcome(breaches: try served.breaches(), notes: notes)
    }

    /// The operators' part (PROTOCOL 4.4): while serve runs, the centre records a measure on the first three
    /// event-driven breaches (by occurrence; timers' alerts left out), through the command line. Their handling
    /// must survive the kills of the second half like the rest, and each change be published with a new rev.
    /// Returns the ids and their revs before.
    static func respond(on served: ServedDatabase) throws -> [String: Int64] {
        let list = try Binary.json(try Binary.run(["alerts", "list", "--db", served.db, "--format", "json"]))
        let alerts = (list as? [[String: Any]] ?? []).filter {
            $0["device"] is String && $0["breach"] as? String != "communication_loss"
        }
        func key(_ a: [String: Any]) -> String {
            ["event_ts", "dossier", "device", "breach"].map { a[$0] as? String ?? "" }.joined(separator: " ")
        }
        var acted: [String: Int64] = [:]
        for a in alerts.sorted(by: { key($0) < key($1) }).prefix(3) {
            guard let id = a["id"] as? String else { continue }
            try Binary.run([
                "alert", "respond", id, "--queue", "vcet", "--measure", "phone_call", "--db", served.db,
                "--by", Binary.admin,
            ])
            acted[id] = (a["rev"] as? NSNumber)?.int64Value ?? -1
        }
        return acted
    }

    /// Revs (PROTOCOL 4.3): unique across the database through every kill, and the alerts acted on published
    /// again (a rev above the one they had).
    static func checkRevs(_ served: ServedDatabase, acted: [String: Int64]) throws {
        let list = try Binary.json(try Binary.run(["alerts", "list", "--db", served.db, "--format", "json"]))
        let alerts = list as? [[String: Any]] ?? []
        let revs = alerts.compactMap { ($0["rev"] as? NSNumber)?.int64Value }
        #expect(revs.count == alerts.count && Set(revs).count == revs.count, "revs missing or given twice")
        for a in alerts {
            guard let id = a["id"] as? String, let before = acted[id] else { continue }
            let rev = (a["rev"] as? NSNumber)?.int64Value ?? -1
            #expect(rev > before, "\(id): the measure was not published with a new rev (\(before) -> \(rev))")
            #expect(a["state"] as? String == "responded" || a["state"] as? String == "closed")
        }
        #expect(acted.count == 3)
    }
}

/// The `simulator` binary: `generate`, and `stream` running beside the test (killed on deinit if it still runs).
final class SimulatorProcess {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    private init(_ args: [String], stdoutPath: String, stderrPath: String) throws {
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = RestartHarness.simulatorPath
        process.arguments = args
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var isRunning: Bool { process.isRunning }

    /// Runs a simulator command to its end; throws with its standard error on failure.
    static func run(_ args: [String]) throws {
        let dir = try RestartHarness.temporaryDirectory("sim")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try SimulatorProcess(
            args, stdoutPath: dir.appendingPathComponent("out").path, stderrPath: dir.appendingPathComponent("err").path)
        p.process.waitUntilExit()
        guard p.process.terminationStatus == 0 else {
            throw RestartHarness.Failure(
                description: "simulator \(args.joined(separator: " ")) exited \(p.process.terminationStatus): "
                    + ((try? String(contentsOfFile: p.stderrPath, encoding: .utf8)) ?? ""))
        }
    }

    /// `simulator stream FILE --reliable ...`: one batch in flight at a time (`--window 1`), so that a resend after
    /// a restart is never overtaken by a later batch; a short ack timeout and resends enough to outlast restarts.
    static func stream(_ file: String, to endpoint: String, dir: URL, half: Int) throws -> SimulatorProcess {
        try SimulatorProcess(
            [
                "stream", file, "--reliable", endpoint, "--batch", "50", "--window", "1", "--ack-timeout-ms", "200",
                "--max-resends", "600", "--rate", String(RestartPropertyTests.rate), "--quiet", "--format", "json",
            ], stdoutPath: dir.appendingPathComponent("stream\(half).out").path,
            stderrPath: dir.appendingPathComponent("stream\(half).err").path)
    }

    /// Waits for the stream to end (every batch acked); returns its JSON summary.
    func finish(timeoutMs: Int) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while process.isRunning && Date() < deadline { RestartHarness.sleep(ms: 20) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw RestartHarness.Failure(description: "simulator stream did not finish within \(timeoutMs) ms")
        }
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0,
            let line = out.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let summary = try? Binary.json(String(line)) as? [String: Any]
        else {
            throw RestartHarness.Failure(
                description: "simulator stream exited \(process.terminationStatus): \(out) \(err)")
        }
        return summary
    }
}
