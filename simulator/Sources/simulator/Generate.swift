import ArgumentParser
import Foundation
import SeinhuisCore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic dossiers, a device event stream and its ground truth.",
        discussion: """
            Writes three files into --out:
              dossiers.json   the dossiers (PROTOCOL 3), for `seinhuis dossier import`
              events.ndjson   one event per line (PROTOCOL 2), sorted by ts with a few seconds of occasional
                              reordering between devices, and a few exact duplicate lines
              truth.json      every breach the stream contains, in event time (PROTOCOL 4.1), for `simulator verify`

            Homes lie around Brussels, Antwerp, Ghent, Leuven, Bruges and other Flemish towns; every device also
            gets injected scenarios (zone visits, curfew absences, tamper, battery, GNSS, power, silences) so that
            every breach kind appears. The same options and --seed give byte-identical files.

            Example:
              simulator generate --devices 50 --hours 6 --seed 7 --out /tmp/sim
              seinhuis dossier import /tmp/sim/dossiers.json --db /tmp/sim.sqlite
              seinhuis replay /tmp/sim/events.ndjson --db /tmp/sim.sqlite
              simulator verify --truth /tmp/sim/truth.json --db /tmp/sim.sqlite
            """)

    @Option(help: "Number of devices (tags).") var devices: Int = 100
    @Option(help: "Length of the stream in hours.") var hours: Double = 24
    @Option(name: .customLong("fix-interval"), help: "Seconds between GNSS fixes of a device.") var fixInterval: Int =
        30
    @Option(help: "Seed: the same seed and options give the same files.") var seed: UInt64 = 1
    @Option(help: "Start of the stream, RFC 3339 (UTC).") var start: String = "2026-07-06T00:00:00Z"
    @Option(help: "Directory to write dossiers.json, events.ndjson and truth.json into (created if needed).")
    var out: String
    @Option(name: .customLong("radex-share"), help: "Share of dossiers marked radex (0-1).") var radexShare: Double =
        0.3
    @Option(name: .customLong("duplicate-share"), help: "Share of events written twice (same device and seq).")
    var duplicateShare: Double = 0.002
    @Option(
        name: .customLong("reorder-share"),
        help: "Share of events written 1-8 s late (never behind a newer event of the same device).")
    var reorderShare: Double = 0.01
    @Option(
        name: .customLong("seq-start"),
        help: "First sequence number of every device (use a new one to stream a second run into the same database).")
    var seqStart: UInt64 = 0
    @Option(help: "Summary format: table or json.") var format: OutputFormat = .table
    @Flag(help: "No progress on standard error.") var quiet = false

    func validate() throws {
        guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
        guard hours > 0, hours <= 24 * 62 else { throw ValidationError("--hours must be in (0, 1488]") }
        guard fixInterval >= 1, fixInterval <= 3600 else { throw ValidationError("--fix-interval must be 1-3600 s") }
        guard Timestamp(rfc3339: start) != nil else {
            throw ValidationError("--start must be RFC 3339, e.g. 2026-07-06T00:00:00Z (got \(start))")
        }
        guard (0...1).contains(radexShare) else { throw ValidationError("--radex-share must be in [0, 1]") }
        guard (0...0.5).contains(duplicateShare), (0...0.5).contains(reorderShare) else {
            throw ValidationError("--duplicate-share and --reorder-share must be in [0, 0.5]")
        }
    }

    func run() throws {
        let t0 = Date()
        let runStart = Timestamp(rfc3339: start)!.milliseconds
        let runEnd = runStart + Int64(hours * 3_600_000)
        let fixMs = Int64(fixInterval) * 1000
        guard let clock = LocalClock(identifier: "Europe/Brussels") else {
            throw ValidationError("time zone Europe/Brussels is not available on this system (tzdata)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let progress = Progress(enabled: !quiet)

        let (dossiers, dossierOf) = makeDossiers(clock: clock, runStart: runStart, runEnd: runEnd)
        let width = max(4, String(devices).count)
        let deviceNames = (0..<devices).map { "TAG-" + Self.pad($0 + 1, width) }
        try writeDossiers(dossiers, deviceNames: deviceNames)
        progress.note("wrote \(dossiers.count) dossiers")

        var (emitters, placed) = plan(
            dossiers, dossierOf: dossierOf, clock: clock, runStart: runStart, runEnd: runEnd, fixMs: fixMs,
            progress: progress)
        let written = try writeEvents(
            &emitters, deviceNames: deviceNames, runStart: runStart, runEnd: runEnd, t0: t0, progress: progress)

        // Truth: finish every device's tracker at the file's highest ts.
        var truth: [TruthBreach] = []
        var unplanned = 0
        for dev in 0..<devices {
            emitters[dev].tracker.finish(fileEnd: written.maxTs)
            truth.append(contentsOf: emitters[dev].tracker.breaches)
            unplanned += emitters[dev].tracker.unplanned
        }
        truth.sort {
            ($0.raisedAt, $0.dossier, $0.device, $0.kind.rawValue, $0.zone)
                < ($1.raisedAt, $1.dossier, $1.device, $1.kind.rawValue, $1.zone)
        }
        let seconds = Date().timeIntervalSince(t0)
        let lines = written.events + written.duplicates
        let summary = GenerateSummary(
            dossiers: dossiers.count, devices: devices, events: written.events, duplicates: written.duplicates,
            delayed: written.delayed, lines: lines, firstTs: runStart, lastTs: written.maxTs, seconds: seconds,
            scenarios: placed, truth: truth, unplanned: unplanned)
        try writeTruth(truth, summary: summary, dossiers: dossiers, deviceNames: deviceNames, runEnd: runEnd)
        if unplanned > 0 {
            FileHandle.standardError.write(
                Data("warning: \(unplanned) breaches arose outside any injected scenario (a generator defect)\n".utf8))
        }
        print(summary.render(format, out: out))
    }

    /// `n` with leading zeros to `w` digits.
    static func pad(_ n: Int, _ w: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }

    /// Dossiers: one device each, a few with two. Returns them and each device's dossier (an index).
    private func makeDossiers(clock: LocalClock, runStart: Int64, runEnd: Int64) -> ([DossierModel], [Int]) {
        var mapRng = Rng(seed: seed, stream: 0xA110C)
        var dossierOf: [Int] = []
        var groups: [[Int]] = []
        var i = 0
        while i < devices {
            let two = i + 1 < devices && mapRng.chance(0.03)
            groups.append(two ? [i, i + 1] : [i])
            dossierOf.append(groups.count - 1)
            if two { dossierOf.append(groups.count - 1) }
            i += two ? 2 : 1
        }
        let year = CivilDate.civil(fromDays: runStart / 86_400_000).year
        let dWidth = max(4, String(groups.count).count)
        let factory = DossierFactory(
            clock: clock, runStart: runStart, runEnd: runEnd, radexShare: radexShare, seed: seed)
        var dossiers: [DossierModel] = []
        dossiers.reserveCapacity(groups.count)
        for (k, g) in groups.enumerated() {
            let d = factory.make(index: k, id: "D-\(year)-" + Self.pad(k + 1, dWidth))
            d.devices = g
            dossiers.append(d)
        }
        return (dossiers, dossierOf)
    }

    /// Plans: scenarios placed where they fit, least-covered first, then ordinary days. Returns each device's
    /// emitter and how often each scenario was placed.
    private func plan(
        _ dossiers: [DossierModel], dossierOf: [Int], clock: LocalClock, runStart: Int64, runEnd: Int64, fixMs: Int64,
        progress: Progress
    ) -> ([DeviceEmitter], [Scenario: Int]) {
        var placed: [Scenario: Int] = [:]
        var emitters: [DeviceEmitter] = []
        emitters.reserveCapacity(devices)
        let perDevice = 1.0 + hours / 12
        for dev in 0..<devices {
            let d = dossiers[dossierOf[dev]]
            var planner = Planner(
                d: d, runStart: runStart, runEnd: runEnd, fixMs: fixMs, clock: clock,
                rng: Rng(seed: seed, stream: 0xB000_0000_0000 + UInt64(dev)))
            var want = Int(perDevice)
            if planner.rng.chance(perDevice - Double(want)) { want += 1 }
            let order = Scenario.allCases.map { s -> (Scenario, Int, UInt64) in
                (s, placed[s, default: 0], planner.rng.next())
            }
            .sorted { (x: (Scenario, Int, UInt64), y: (Scenario, Int, UInt64)) -> Bool in
                x.1 != y.1 ? x.1 < y.1 : x.2 < y.2
            }.map { $0.0 }
            var got = 0
            for s in order.prefix(8) where got < want {
                if planner.place(s) {
                    placed[s, default: 0] += 1
                    got += 1
                }
            }
            planner.addOrdinaryDays()
            emitters.append(
                DeviceEmitter(
                    device: dev, dossier: d, plan: planner.finish(), runStart: runStart, fixMs: fixMs, seed: seed,
                    seqStart: seqStart))
            if dev % 1000 == 999 { progress.note("planned \(dev + 1) devices") }
        }
        return (emitters, placed)
    }

    /// Writes events.ndjson: time slices of all devices, sorted by (possibly delayed) key, streamed out.
    private func writeEvents(
        _ emitters: inout [DeviceEmitter], deviceNames: [String], runStart: Int64, runEnd: Int64, t0: Date,
        progress: Progress
    ) throws -> EventStream.Counts {
        let path = (out as NSString).appendingPathComponent("events.ndjson")
        guard let file = fopen(path, "wb") else { throw ValidationError("cannot write \(path)") }
        defer { fclose(file) }
        var stream = EventStream(
            file: file, deviceNames: deviceNames, seed: seed, reorderShare: reorderShare,
            duplicateShare: duplicateShare)
        let sliceMs: Int64 = 60_000
        var sliceStart = runStart
        while sliceStart < runEnd {
            let limit = min(sliceStart + sliceMs, runEnd)
            stream.slice(&emitters, from: sliceStart, before: limit)
            sliceStart = limit
            let events = stream.counts.events, duplicates = stream.counts.duplicates
            progress.tick {
                let pct = Int(Double(sliceStart - runStart) / Double(runEnd - runStart) * 100)
                let secs = Date().timeIntervalSince(t0)
                return
                    "generated \(events + duplicates) lines (\(Int(Double(events + duplicates) / max(secs, 0.001))) lines/s), \(pct)% of stream time"
            }
        }
        stream.flush()
        guard fflush(file) == 0 else {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        progress.done()
        return stream.counts
    }

    private func writeDossiers(_ ds: [DossierModel], deviceNames: [String]) throws {
        var text = "[\n"
        for (k, d) in ds.enumerated() {
            text += " " + d.json(deviceName: { deviceNames[$0] }) + (k == ds.count - 1 ? "\n" : ",\n")
        }
        text += "]\n"
        let path = (out as NSString).appendingPathComponent("dossiers.json")
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private func writeTruth(
        _ truth: [TruthBreach], summary: GenerateSummary, dossiers: [DossierModel], deviceNames: [String], runEnd: Int64
    ) throws {
        var o = JSONObjectWriter()
        o.int("v", 1)
        var g = JSONObjectWriter()
        g.int("seed", seed)
        g.int("devices", devices)
        g.raw("hours", String(hours))
        g.int("fix_interval_s", fixInterval)
        g.string("start", Timestamp(rfc3339: start)!.rfc3339)
        g.string("end", Timestamp(milliseconds: runEnd).rfc3339)
        g.raw("radex_share", String(radexShare))
        o.raw("generator", g.finish())
        o.int("dossiers", summary.dossiers)
        o.int("events", summary.events)
        o.int("lines", summary.lines)
        o.int("duplicates", summary.duplicates)
        o.string("first_ts", Timestamp(milliseconds: summary.firstTs).rfc3339)
        o.string("last_ts", Timestamp(milliseconds: summary.lastTs).rfc3339)
        var counts = JSONObjectWriter()
        for k in BreachKind.allCases { counts.int(k.name, truth.filter { $0.kind == k }.count) }
        o.raw("counts", counts.finish())
        let rows = truth.map { b -> String in
            var w = JSONObjectWriter()
            let d = dossiers[b.dossier]
            w.string("dossier", d.id)
            w.string("device", deviceNames[b.device])
            w.string("breach", b.kind.name)
            w.string("zone", b.zone >= 0 ? d.zones[b.zone].id : nil)
            w.string("raised_at", Timestamp(milliseconds: b.raisedAt).rfc3339)
            w.string("cleared_at", b.clearedAt.map { Timestamp(milliseconds: $0).rfc3339 })
            w.string("scenario", b.scenario?.rawValue ?? "unplanned")
            w.bool("radex", d.radex)
            return w.finish()
        }
        let text =
            String(o.finish().dropLast()) + ",\"breaches\":[\n" + rows.map { " " + $0 }.joined(separator: ",\n")
            + "\n]}\n"
        let path = (out as NSString).appendingPathComponent("truth.json")
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

struct GenerateSummary {
    var dossiers: Int
    var devices: Int
    var events: Int
    var duplicates: Int
    var delayed: Int
    var lines: Int
    var firstTs: Int64
    var lastTs: Int64
    var seconds: Double
    var scenarios: [Scenario: Int]
    var truth: [TruthBreach]
    var unplanned: Int

    var linesPerSecond: Double { Double(lines) / max(seconds, 0.001) }

    func render(_ format: OutputFormat, out: String) -> String {
        let byKind = BreachKind.allCases.map { k in (k.name, truth.filter { $0.kind == k }.count) }
        switch format {
        case .json:
            var o = JSONObjectWriter()
            o.string("out", out)
            o.int("dossiers", dossiers)
            o.int("devices", devices)
            o.int("events", events)
            o.int("duplicates", duplicates)
            o.int("delayed", delayed)
            o.int("lines", lines)
            o.string("first_ts", Timestamp(milliseconds: firstTs).rfc3339)
            o.string("last_ts", Timestamp(milliseconds: lastTs).rfc3339)
            o.raw("seconds", String(format: "%.3f", seconds))
            o.int("lines_per_second", Int(linesPerSecond))
            var c = JSONObjectWriter()
            for (k, n) in byKind { c.int(k, n) }
            o.raw("breaches", c.finish())
            var s = JSONObjectWriter()
            for sc in Scenario.allCases { s.int(sc.rawValue, scenarios[sc, default: 0]) }
            o.raw("scenarios", s.finish())
            o.int("unplanned", unplanned)
            return o.finish()
        case .table:
            var rows: [[String]] = [
                ["dossiers", String(dossiers)], ["devices", String(devices)],
                ["events", "\(events) (+\(duplicates) duplicate lines, \(delayed) written late)"],
                [
                    "stream",
                    "\(Timestamp(milliseconds: firstTs).rfc3339) .. \(Timestamp(milliseconds: lastTs).rfc3339)",
                ],
                ["time", String(format: "%.2f s (%.0f lines/s)", seconds, linesPerSecond)],
            ]
            rows += byKind.map { ["truth " + $0.0, String($0.1)] }
            rows.append(["truth total", "\(truth.count)\(unplanned > 0 ? " (\(unplanned) UNPLANNED)" : "")"])
            rows.append([
                "scenarios",
                Scenario.allCases.filter { scenarios[$0, default: 0] > 0 }.map { "\($0.rawValue) \(scenarios[$0]!)" }
                    .joined(separator: ", "),
            ])
            return Table(headers: ["item", "value"], rows: rows).render()
                + "\nwrote \(out)/dossiers.json, events.ndjson, truth.json"
        }
    }
}
