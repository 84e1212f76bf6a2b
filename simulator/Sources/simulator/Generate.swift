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

            (1.1) --victims N gives N dossiers a protected person with a device of their own who drives up to the
            tag's home once (victim_proximity); --crossings N gives N dossiers a small crossing zone passed through
            between two fixes (exclusion_zone_crossed; also too fast and while inactive, which must not count);
            --outage-share S puts devices on networks and silences a share S of carrier-a's devices at once
            (communication_loss, and a network_outage incident when 5 are lost within 300 s).

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
    @Option(
        help: "(1.1) Dossiers given a protected person with a device of their own, who approaches the tag once.")
    var victims: Int = 0
    @Option(
        help: "(1.1) Dossiers given a small crossing zone, passed through between two fixes (also too fast or inactive).")
    var crossings: Int = 0
    @Option(
        name: .customLong("outage-share"),
        help: "(1.1) Give devices networks and silence this share (0-1) of carrier-a's devices in one outage.")
    var outageShare: Double = 0
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
        guard victims >= 0, crossings >= 0 else { throw ValidationError("--victims and --crossings must not be negative") }
        guard (0...1).contains(outageShare) else { throw ValidationError("--outage-share must be in [0, 1]") }
        if victims > 0 {
            guard (10...60).contains(fixInterval) else {
                throw ValidationError("--victims needs --fix-interval of 10-60 s (a protected person's fix stays fresh 120 s)")
            }
            guard hours >= 2 else { throw ValidationError("--victims needs --hours of at least 2") }
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

        var (dossiers, dossierOf) = makeDossiers(clock: clock, runStart: runStart, runEnd: runEnd)
        var extras = Extras(
            devices: devices, dossierCount: dossiers.count, victims: victims, crossings: crossings,
            outageShare: outageShare, seed: seed)
        extras.apply(to: &dossiers, clock: clock, runStart: runStart, runEnd: runEnd, seed: seed)
        let width = max(4, String(devices).count)
        let deviceNames =
            (0..<devices).map { "TAG-" + Self.pad($0 + 1, width) }
            + extras.persons.indices.map { "VIC-" + Self.pad($0 + 1, width) }
        try writeDossiers(dossiers, deviceNames: deviceNames)
        progress.note("wrote \(dossiers.count) dossiers")

        var (emitters, victimEmitters, placed) = plan(
            dossiers, dossierOf: dossierOf, extras: extras, clock: clock, runStart: runStart, runEnd: runEnd,
            fixMs: fixMs, progress: progress)
        let written = try writeEvents(
            &emitters, victims: &victimEmitters, deviceNames: deviceNames, runStart: runStart, runEnd: runEnd, t0: t0,
            progress: progress)

        // Truth: finish every device's tracker at the file's highest ts.
        var truth: [TruthBreach] = []
        var unplanned = 0
        for dev in 0..<devices {
            emitters[dev].tracker.finish(fileEnd: written.maxTs)
            truth.append(contentsOf: emitters[dev].tracker.breaches)
            unplanned += emitters[dev].tracker.unplanned
        }
        extras.addIncidents(to: &truth, deviceNames: deviceNames)
        truth.sort {
            ($0.raisedAt, $0.dossier, $0.device, $0.kind.rawValue, $0.zone)
                < ($1.raisedAt, $1.dossier, $1.device, $1.kind.rawValue, $1.zone)
        }
        let seconds = Date().timeIntervalSince(t0)
        let lines = written.events + written.duplicates
        let summary = GenerateSummary(
            dossiers: dossiers.count, devices: devices, events: written.events, duplicates: written.duplicates,
            delayed: written.delayed, lines: lines, firstTs: runStart, lastTs: written.maxTs, seconds: seconds,
            scenarios: placed, truth: truth, unplanned: unplanned, extended: extras.requested)
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
        _ dossiers: [DossierModel], dossierOf: [Int], extras: Extras, clock: LocalClock, runStart: Int64,
        runEnd: Int64, fixMs: Int64, progress: Progress
    ) -> ([DeviceEmitter], [VictimEmitter], [Scenario: Int]) {
        var placed: [Scenario: Int] = [:]
        var emitters: [DeviceEmitter] = []
        var victims: [VictimEmitter] = []
        var approaches: [Int: Period] = [:], tracks: [Int: VictimTrack] = [:]  // by dossier
        emitters.reserveCapacity(devices)
        let perDevice = 1.0 + hours / 12
        for dev in 0..<devices {
            let d = dossiers[dossierOf[dev]]
            var planner = Planner(
                d: d, runStart: runStart, runEnd: runEnd, fixMs: fixMs, clock: clock,
                rng: Rng(seed: seed, stream: 0xB000_0000_0000 + UInt64(dev)))
            let approach = extras.prepare(
                &planner, tag: dev, approachOfDossier: approaches[dossierOf[dev]], placed: &placed)
            if let approach { approaches[dossierOf[dev]] = approach }
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
            if let v = extras.victim(
                for: &emitters[dev], approach: approach, fixMs: fixMs, runEnd: runEnd, seed: seed, seqStart: seqStart)
            {
                victims.append(v)
                tracks[dossierOf[dev]] = v.track
            } else if let track = tracks[dossierOf[dev]] {
                emitters[dev].tracker.proximity = ProximityTruth(track: track)
            }
            if dev % 1000 == 999 { progress.note("planned \(dev + 1) devices") }
        }
        return (emitters, victims, placed)
    }

    /// Writes events.ndjson: time slices of all devices, sorted by (possibly delayed) key, streamed out.
    private func writeEvents(
        _ emitters: inout [DeviceEmitter], victims: inout [VictimEmitter], deviceNames: [String], runStart: Int64,
        runEnd: Int64, t0: Date, progress: Progress
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
            stream.slice(&emitters, victims: &victims, from: sliceStart, before: limit)
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
}
