import ArgumentParser
import Foundation
import SeinhuisCore
import SeinhuisStore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the alerts raised with a generated ground truth.",
        discussion: """
            Reads the alerts from a Seinhuis database (--db) or from a JSON file (--alerts): an array as printed by
            `seinhuis alerts list --format json`, as written by `simulator listen --out`, or one alert per line.
            An alert matches a truth breach with the same dossier, device, breach kind and zone whose raised_at
            equals the alert's event_ts (within --tolerance-ms; 0, exact, for a replay). Each truth breach and each
            alert is matched at most once. Review notices (device null) are not breaches and are left out.

            Per breach kind: truth count, alerts raised, true and false positives, false negatives, precision,
            recall, and the mean and max detection delay (detected_at - event_ts) over the alerts raised. The
            cleared column counts matched pairs whose cleared_at differs from the truth (beyond the tolerance).
            Exit status 1 if any precision or recall is below 1 (or, with --check-cleared, any cleared_at differs).

            Examples:
              simulator verify --truth /tmp/sim/truth.json --db /tmp/sim.sqlite
              simulator verify --truth /tmp/sim/truth.json --alerts /tmp/alerts.json --tolerance-ms 2000
            """)

    @Option(help: "truth.json written by `simulator generate`.") var truth: String
    @Option(help: "A Seinhuis SQLite database to read the alerts from.") var db: String?
    @Option(help: "A JSON file of alerts (array or one per line).") var alerts: String?
    @Option(name: .customLong("tolerance-ms"), help: "Allowed difference between raised_at and event_ts (live runs).")
    var toleranceMs: Int64 = 0
    @Flag(
        name: .customLong("check-cleared"), help: "Also fail when a matched alert's cleared_at differs from the truth.")
    var checkCleared = false
    @Option(help: "How many mismatches to list.") var show: Int = 20
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func validate() throws {
        guard (db == nil) != (alerts == nil) else { throw ValidationError("give exactly one of --db and --alerts") }
        guard toleranceMs >= 0 else { throw ValidationError("--tolerance-ms must not be negative") }
    }

    struct Item {
        var dossier: String
        var device: String
        var breach: String
        var zone: String?
        var raised: Int64
        var cleared: Int64?
        var detected: Int64?
        var label: String
        /// (1.1) `victim_proximity`: the protected person.
        var protected: String? = nil
        /// (1.1) `network_outage`: the network; its own id (the alert's, or the truth's `N-1`).
        var network: String? = nil
        var id: String? = nil
        /// (1.1) `communication_loss`: the incident it belongs to (an alert id, or the truth's `N-1`), and, once the
        /// incidents are matched, the alert id it must carry (part of the key).
        var incident: String? = nil
        var link: String? = nil
        var key: String {
            "\(dossier)|\(device)|\(breach)|\(zone ?? network ?? "-")|\(protected ?? "-")|\(link ?? "-")"
        }
    }

    func run() throws {
        let outcome = try evaluate()
        print(outcome.text)
        if outcome.failed { throw ExitCode(1) }
    }

    /// What `verify` prints (the table, or one JSON object) and whether it fails (exit status 1).
    struct Outcome {
        var text: String
        var failed: Bool
    }

    /// The comparison itself, for `verify` and `replay`.
    func evaluate() throws -> Outcome {
        let tally = match(expected: try loadTruth(), raised: try loadAlerts())
        let rows = tally.rows()
        let total = Row(
            kind: "total", truth: rows.map(\.truth).reduce(0, +), raised: rows.map(\.raised).reduce(0, +),
            tp: rows.map(\.tp).reduce(0, +), fp: rows.map(\.fp).reduce(0, +), fn: rows.map(\.fn).reduce(0, +),
            clearedWrong: rows.map(\.clearedWrong).reduce(0, +), precision: 0, recall: 0, meanDelay: nil,
            maxDelay: nil)
        let failed = rows.contains { $0.precision < 1 || $0.recall < 1 } || (checkCleared && total.clearedWrong > 0)
        switch format {
        case .json: return Outcome(text: jsonText(rows, total: total, mismatches: tally.mismatches, failed: failed), failed: failed)
        case .table:
            return Outcome(text: tableText(rows, total: total, mismatches: tally.mismatches, failed: failed), failed: failed)
        }
    }

    /// The counts per breach kind, and the mismatches in words.
    struct Tally {
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]
        var truthCount: [String: Int] = [:], raisedCount: [String: Int] = [:], clearedWrong: [String: Int] = [:]
        var delays: [String: [Int64]] = [:]
        var mismatches: [String] = []

        /// One row per breach kind of the contract, then any other kind the alerts name.
        func rows() -> [Row] {
            let present = Set(raisedCount.keys).union(truthCount.keys)
            var kinds = BreachKind.allCases.filter { BreachKind.base.contains($0) || present.contains($0.name) }.map(
                \.name)
            for k in present.subtracting(kinds).sorted() { kinds.append(k) }
            return kinds.map { k in
                let p = tp[k, default: 0], f = fp[k, default: 0], n = fn[k, default: 0]
                let ds = delays[k] ?? []
                return Row(
                    kind: k, truth: truthCount[k, default: 0], raised: raisedCount[k, default: 0], tp: p, fp: f, fn: n,
                    clearedWrong: clearedWrong[k, default: 0],
                    precision: p + f == 0 ? 1 : Double(p) / Double(p + f),
                    recall: p + n == 0 ? 1 : Double(p) / Double(p + n),
                    meanDelay: ds.isEmpty ? nil : Double(ds.reduce(0, +)) / Double(ds.count),
                    maxDelay: ds.max().map(Double.init))
            }
        }
    }

    /// One line of the result: a breach kind (or the total).
    struct Row {
        var kind: String
        var truth, raised, tp, fp, fn, clearedWrong: Int
        var precision, recall: Double
        var meanDelay, maxDelay: Double?
    }

    /// Matches each truth breach with the nearest unused alert of the same key within the tolerance: the
    /// `network_outage` incidents first, then the rest, where a `communication_loss` must carry the id of the alert
    /// matched to its truth incident (or none).
    func match(expected: [Item], raised: [Item]) -> Tally {
        var tally = Tally()
        for t in expected { tally.truthCount[t.breach, default: 0] += 1 }
        for a in raised {
            tally.raisedCount[a.breach, default: 0] += 1
            if let d = a.detected { tally.delays[a.breach, default: []].append(d - a.raised) }
        }
        let outage = "network_outage"
        var alertOf: [String: String] = [:]
        matchPairs(expected.filter { $0.breach == outage }, raised.filter { $0.breach == outage }, &tally) { t, a in
            if let tid = t.id, let aid = a.id { alertOf[tid] = aid }
        }
        let truth = expected.filter { $0.breach != outage }.map { t -> Item in
            var t = t
            t.link = t.incident.map { alertOf[$0] ?? "unmatched \($0)" }
            return t
        }
        let alerts = raised.filter { $0.breach != outage }.map { a -> Item in
            var a = a
            a.link = a.incident
            return a
        }
        matchPairs(truth, alerts, &tally) { _, _ in }
        return tally
    }

    /// One to one by key, nearest `raised` first; `matched` is told each pair.
    func matchPairs(_ expected: [Item], _ raised: [Item], _ tally: inout Tally, matched: (Item, Item) -> Void) {
        let truthByKey = Dictionary(grouping: expected, by: \.key)
        let alertsByKey = Dictionary(grouping: raised, by: \.key)
        for key in Set(truthByKey.keys).union(alertsByKey.keys).sorted() {
            let ts = (truthByKey[key] ?? []).sorted { $0.raised < $1.raised }
            let as_ = (alertsByKey[key] ?? []).sorted { $0.raised < $1.raised }
            var used = [Bool](repeating: false, count: as_.count)
            for t in ts {
                // the nearest unused alert within tolerance
                var best: Int?
                for (k, a) in as_.enumerated() where !used[k] && abs(a.raised - t.raised) <= toleranceMs {
                    if best == nil || abs(a.raised - t.raised) < abs(as_[best!].raised - t.raised) { best = k }
                }
                if let k = best {
                    used[k] = true
                    matched(t, as_[k])
                    tally.tp[t.breach, default: 0] += 1
                    compareCleared(t, as_[k], &tally)
                } else {
                    tally.fn[t.breach, default: 0] += 1
                    tally.mismatches.append("missed    \(t.label) raised_at \(Verify.time(t.raised))")
                }
            }
            for (k, a) in as_.enumerated() where !used[k] {
                tally.fp[a.breach, default: 0] += 1
                tally.mismatches.append("spurious  \(a.label) event_ts \(Verify.time(a.raised))")
            }
        }
    }

    /// Counts a matched pair whose cleared_at differs (beyond the tolerance).
    func compareCleared(_ t: Item, _ a: Item, _ tally: inout Tally) {
        let clearOK: Bool =
            switch (t.cleared, a.cleared) {
            case (nil, nil): true
            case (let x?, let y?): abs(x - y) <= toleranceMs
            default: false
            }
        if !clearOK {
            tally.clearedWrong[t.breach, default: 0] += 1
            tally.mismatches.append(
                "cleared   \(t.label) cleared_at truth \(Verify.time(t.cleared)) alert \(Verify.time(a.cleared)) (\(a.label))"
            )
        }
    }

    func jsonText(_ rows: [Row], total: Row, mismatches: [String], failed: Bool) -> String {
        var o = JSONObjectWriter()
        o.bool("pass", !failed)
        o.int("tolerance_ms", toleranceMs)
        o.int("truth", total.truth)
        o.int("raised", total.raised)
        let rs = rows.map { r -> String in
            var w = JSONObjectWriter()
            w.string("breach", r.kind)
            w.int("truth", r.truth)
            w.int("raised", r.raised)
            w.int("true_positives", r.tp)
            w.int("false_positives", r.fp)
            w.int("false_negatives", r.fn)
            w.int("cleared_mismatches", r.clearedWrong)
            w.double("precision", r.precision)
            w.double("recall", r.recall)
            if let m = r.meanDelay {
                w.double("mean_delay_ms", (m * 10).rounded() / 10)
            } else {
                w.raw("mean_delay_ms", "null")
            }
            if let m = r.maxDelay { w.double("max_delay_ms", m) } else { w.raw("max_delay_ms", "null") }
            return w.finish()
        }
        o.raw("kinds", "[" + rs.joined(separator: ",") + "]")
        o.strings("mismatches", Array(mismatches.prefix(show)))
        return o.finish()
    }

    func tableText(_ rows: [Row], total: Row, mismatches: [String], failed: Bool) -> String {
        func pct(_ x: Double) -> String { String(format: "%.3f", x) }
        func ms(_ x: Double?) -> String { x.map { String(format: "%.1f", $0) } ?? "-" }
        var table = Table(
            headers: [
                "breach", "truth", "raised", "tp", "fp", "fn", "precision", "recall", "cleared≠", "mean ms",
                "max ms",
            ],
            rows: rows.map {
                [
                    $0.kind, String($0.truth), String($0.raised), String($0.tp), String($0.fp), String($0.fn),
                    pct($0.precision), pct($0.recall), String($0.clearedWrong), ms($0.meanDelay), ms($0.maxDelay),
                ]
            })
        table.rows.append([
            "total", String(total.truth), String(total.raised), String(total.tp), String(total.fp),
            String(total.fn),
            "", "", String(total.clearedWrong), "", "",
        ])
        table.rightAligned = Set(1...10)
        var out = table.render()
        if !mismatches.isEmpty {
            out += "\n\nfirst \(min(show, mismatches.count)) of \(mismatches.count) mismatches:"
            for m in mismatches.prefix(show) { out += "\n  " + m }
        }
        out += failed ? "\n\nFAIL" : "\n\nPASS"
        return out
    }

    /// How an alert is named in the mismatches.
    static func label(
        _ breach: String, _ dossier: String, _ device: String, _ what: String?, _ id: String, _ incident: String?
    ) -> String {
        "\(breach) \(dossier) \(device)\(what.map { " " + $0 } ?? "") (\(id)\(incident.map { ", incident " + $0 } ?? ""))"
    }

    static func time(_ ms: Int64?) -> String { ms.map { Timestamp(milliseconds: $0).rfc3339 } ?? "null" }

    private func readJSON(_ path: String) throws -> Any {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        if let v = try? JSONSerialization.jsonObject(with: data) { return v }
        // one object per line
        var out: [Any] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let s = line.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            guard let v = try? JSONSerialization.jsonObject(with: Data(s.utf8)) else {
                throw ValidationError("\(path): line \(n + 1) is not JSON")
            }
            out.append(v)
        }
        return out
    }

    private static func ts(_ v: Any?, _ what: String, _ path: String) throws -> Int64? {
        guard let v, !(v is NSNull) else { return nil }
        guard let s = v as? String, let t = Timestamp(rfc3339: s) else {
            throw ValidationError("\(path): \(what) is not an RFC 3339 time: \(v)")
        }
        return t.milliseconds
    }

    private func loadTruth() throws -> [Item] {
        guard let root = try readJSON(truth) as? [String: Any], let bs = root["breaches"] as? [[String: Any]] else {
            throw ValidationError("\(truth) is not a truth file written by `simulator generate`")
        }
        return try bs.map { b in
            let incident = b["breach"] as? String == "network_outage"
            guard let d = b["dossier"] as? String ?? (incident ? "-" : nil),
                let dev = b["device"] as? String ?? (incident ? "-" : nil), let k = b["breach"] as? String,
                let r = try Verify.ts(b["raised_at"], "raised_at", truth)
            else { throw ValidationError("\(truth): a breach lacks dossier, device, breach or raised_at") }
            if incident && b["network"] as? String == nil {
                throw ValidationError("\(truth): a network_outage lacks its network")
            }
            let zone = b["zone"] as? String
            return Item(
                dossier: d, device: dev, breach: k, zone: zone, raised: r,
                cleared: try Verify.ts(b["cleared_at"], "cleared_at", truth), detected: nil,
                label: Verify.label(
                    k, d, dev, zone ?? b["network"] as? String ?? b["protected"] as? String,
                    b["scenario"] as? String ?? "?", b["incident"] as? String),
                protected: b["protected"] as? String, network: b["network"] as? String,
                id: k == "network_outage" ? b["incident"] as? String : nil,
                incident: k == "network_outage" ? nil : b["incident"] as? String)
        }
    }

    private func loadAlerts() throws -> [Item] {
        var list: [Item] = []
        if let db {
            guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no database at \(db)") }
            let store: Store
            do { store = try Store(path: db) } catch { throw ValidationError("cannot open database \(db): \(error)") }
            for a in try store.alerts() {
                let incident = a.kind == .incident(.network_outage)
                guard let dev = a.device ?? (incident ? "-" : nil) else { continue }  // review notices name no device
                let dossier = incident ? "-" : a.dossier
                list.append(
                    Item(
                        dossier: dossier, device: dev, breach: a.kind.rawValue, zone: a.zone,
                        raised: a.eventTs.milliseconds,
                        cleared: a.clearedAt?.milliseconds, detected: a.detectedAt.milliseconds,
                        label: Verify.label(
                            a.kind.rawValue, dossier, dev, a.zone ?? a.network ?? a.protected, a.id, a.incident),
                        protected: a.protected, network: a.network, id: a.id, incident: a.incident))
            }
            return list
        }
        let path = alerts!
        let root = try readJSON(path)
        guard let arr = root as? [[String: Any]] else {
            throw ValidationError("\(path): expected a JSON array of alerts")
        }
        // a stream of publications may repeat an alert (escalation, clearing): keep the last version of each id
        var byID: [String: Int] = [:]
        for a in arr {
            let incident = a["breach"] as? String == "network_outage"
            guard let breach = a["breach"] as? String, let dossier = a["dossier"] as? String ?? (incident ? "-" : nil)
            else {
                throw ValidationError("\(path): an alert lacks breach or dossier")
            }
            guard let dev = a["device"] as? String ?? (incident ? "-" : nil) else { continue }  // review notices
            let zone = a["zone"] as? String, network = a["network"] as? String, prot = a["protected"] as? String
            let item = Item(
                dossier: dossier, device: dev, breach: breach, zone: zone,
                raised: try Verify.ts(a["event_ts"], "event_ts", path) ?? 0,
                cleared: try Verify.ts(a["cleared_at"], "cleared_at", path),
                detected: try Verify.ts(a["detected_at"], "detected_at", path),
                label: Verify.label(
                    breach, dossier, dev, zone ?? network ?? prot, a["id"] as? String ?? "?", a["incident"] as? String),
                protected: prot, network: network, id: a["id"] as? String, incident: a["incident"] as? String)
            if let id = a["id"] as? String, let k = byID[id] {
                list[k] = item
            } else {
                if let id = a["id"] as? String { byID[id] = list.count }
                list.append(item)
            }
        }
        return list
    }
}
