import ArgumentParser
import Foundation
import SeinhuisCore

extension Generate {
    /// Writes truth.json: the run's options and counts, then one breach occurrence a line.
    func writeTruth(
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
        if summary.extended {
            g.int("victims", victims)
            g.int("crossings", crossings)
            g.raw("outage_share", String(outageShare))
        }
        o.raw("generator", g.finish())
        o.int("dossiers", summary.dossiers)
        o.int("events", summary.events)
        o.int("lines", summary.lines)
        o.int("duplicates", summary.duplicates)
        o.string("first_ts", Timestamp(milliseconds: summary.firstTs).rfc3339)
        o.string("last_ts", Timestamp(milliseconds: summary.lastTs).rfc3339)
        var counts = JSONObjectWriter()
        for k in summary.kinds { counts.int(k.name, truth.filter { $0.kind == k }.count) }
        o.raw("counts", counts.finish())
        let rows = truth.map { b -> String in
            var w = JSONObjectWriter()
            let d = b.dossier >= 0 ? dossiers[b.dossier] : nil
            w.string("dossier", d?.id)
            w.string("device", b.device >= 0 ? deviceNames[b.device] : nil)
            w.string("breach", b.kind.name)
            w.string("zone", b.zone >= 0 ? d?.zones[b.zone].id : nil)
            if let p = b.protected { w.string("protected", p) }
            if let n = b.network {
                w.string("network", n)
                w.strings("devices", b.members.map { deviceNames[$0] })
            }
            if let k = b.incident { w.string("incident", "N-\(k + 1)") }
            w.string("raised_at", Timestamp(milliseconds: b.raisedAt).rfc3339)
            w.string("cleared_at", b.clearedAt.map { Timestamp(milliseconds: $0).rfc3339 })
            w.string("scenario", b.scenario?.rawValue ?? "unplanned")
            w.bool("radex", d?.radex ?? false)
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

/// What `generate` did, for its summary.
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
    /// The 1.1 options were given: their kinds and scenarios are counted too.
    var extended = false

    var kinds: [BreachKind] { extended ? BreachKind.allCases : BreachKind.base }
    var scenarioList: [Scenario] { extended ? Scenario.allCases + Scenario.requested : Scenario.allCases }

    var linesPerSecond: Double { Double(lines) / max(seconds, 0.001) }

    func render(_ format: OutputFormat, out: String) -> String {
        let byKind = kinds.map { k in (k.name, truth.filter { $0.kind == k }.count) }
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
            for sc in scenarioList { s.int(sc.rawValue, scenarios[sc, default: 0]) }
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
                scenarioList.filter { scenarios[$0, default: 0] > 0 }.map { "\($0.rawValue) \(scenarios[$0]!)" }
                    .joined(separator: ", "),
            ])
            return Table(headers: ["item", "value"], rows: rows).render()
                + "\nwrote \(out)/dossiers.json, events.ndjson, truth.json"
        }
    }
}
