import ArgumentParser
import Foundation
import SeinhuisCore

/// `simulator history`: a year of a monitoring centre's dossiers for the six-monthly review (PROTOCOL 5).
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a history of dossiers, sparse events and the cell's reviews, with the expected due lists.",
        discussion: """
            Writes into --out:
              dossiers.json   the dossiers (varied starts, month ends, some with last_review, radex and not,
                              several time zones, some ending within the history)
              events.ndjson   a sparse event stream over the whole period (heartbeats every 3-6 h) with incidents:
                              strap and case tamper, low battery, GNSS jamming, power loss, exclusion zone visits and
                              silences long enough for communication_loss
              reviews.tsv     the reviews the cell holds (dossier, date, reviewer, decision, findings; tab-separated,
                              in date order), for `seinhuis review record`
              truth.json      the dossiers due or overdue on each check date, computed with Foundation's calendar
                              (independently of SeinhuisCore), for `simulator review-check`
            scripts/review-history runs the whole check (docs/REVIEW.md).
            """)

    @Option(help: "Number of dossiers (one device each).") var dossiers: Int = 200
    @Option(help: "First day of the history (YYYY-MM-DD).") var start: String = "2025-11-01"
    @Option(help: "Length of the history in months.") var months: Int = 12
    @Option(help: "Seed: the same seed and options give the same files.") var seed: UInt64 = 1
    @Option(help: "Directory to write into (created if needed).") var out: String
    @Flag(help: "No summary on standard error.") var quiet = false

    func validate() throws {
        guard (1...100_000).contains(dossiers) else { throw ValidationError("--dossiers must be 1-100000") }
        guard (1...60).contains(months) else { throw ValidationError("--months must be 1-60") }
        guard LocalDate(start) != nil else { throw ValidationError("--start must be YYYY-MM-DD") }
    }

    static let zones = [
        "Europe/Brussels", "Europe/Brussels", "Europe/Brussels", "Europe/Amsterdam", "Europe/London",
        "America/New_York", "Asia/Tokyo",
    ]

    func run() throws {
        let cal = HistoryCalendar()
        let first = cal.date(start)
        let last = cal.adding(days: -1, to: cal.cal.date(byAdding: .month, value: months, to: first)!)
        // Reviews cannot be recorded in the future: the history ends yesterday at the latest.
        let yesterday = cal.adding(days: -1, to: cal.date(cal.text(Date())))
        let end = min(last, yesterday)
        guard first < end else { throw ValidationError("the history must end before today: choose an earlier --start") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var rng = Rng(seed: seed, stream: 0x4157)
        var ds: [HistoryDossier] = []
        var reviews: [HistoryReview] = []
        let width = max(4, String(dossiers).count)
        for k in 0..<dossiers {
            let n = String(k + 1)
            let id = "D-H-" + String(repeating: "0", count: width - n.count) + n
            // Starts from 18 months before the history to 10 months into it; a third on a month's last day.
            var s = cal.adding(days: rng.int(-540, 300), to: first)
            if rng.chance(0.33) {
                let r = cal.cal.range(of: .day, in: .month, for: s)!
                var c = cal.cal.dateComponents([.year, .month], from: s)
                c.day = r.count
                s = cal.cal.date(from: c)!
            }
            let endDay: String? =
                rng.chance(0.2) ? cal.text(cal.adding(days: rng.int(30, 500), to: max(s, first))) : nil
            var lastReview: String?
            if rng.chance(0.4), s < first {
                let span = max(1, cal.days(from: s, to: first))
                lastReview = cal.text(cal.adding(days: rng.int(0, span - 1), to: s))
            }
            let d = HistoryDossier(
                id: id, radex: rng.chance(0.6), start: cal.text(s), end: endDay, timezone: rng.pick(Self.zones),
                lastReview: lastReview, device: "TAG-H" + String(repeating: "0", count: width - n.count) + n,
                lat: 50.8 + rng.uniform(0, 0.5), lon: 3.2 + rng.uniform(0, 1.8))
            ds.append(d)
            reviews += cellReviews(d, until: end, cal: cal, rng: &rng)
        }
        reviews.sort { ($0.date, $0.dossier) < ($1.date, $1.dossier) }
        try writeDossiers(ds)
        let events = try writeEvents(ds, from: first, to: end, cal: cal)
        try writeReviews(reviews)
        let checks = checkDates(from: first, to: end, cal: cal)
        try writeTruth(checks.map { ($0, cal.due(on: cal.date($0), dossiers: ds, reviews: reviews)) }, cal: cal)
        if !quiet {
            stderrLine(
                "wrote \(ds.count) dossiers (\(ds.filter(\.radex).count) radex), \(events) events, \(reviews.count) reviews, \(checks.count) check dates (\(checks.joined(separator: " "))) into \(out)"
            )
        }
    }

    /// The cell's reviews of a radex dossier: mostly within the due window, some late, a few never; `end` stops them.
    func cellReviews(_ d: HistoryDossier, until end: Date, cal: HistoryCalendar, rng: inout Rng) -> [HistoryReview] {
        guard d.radex else { return [] }
        var out: [HistoryReview] = []
        var basis = cal.date(d.lastReview ?? d.start)
        let dossierEnd = d.end.map(cal.date) ?? .distantFuture
        while true {
            let deadline = cal.deadline(from: basis)
            let offset = rng.chance(0.7) ? rng.int(-30, 0) : (rng.chance(0.6) ? rng.int(1, 45) : rng.int(46, 120))
            let day = cal.adding(days: offset, to: deadline)
            guard day <= end, day <= dossierEnd, day >= cal.date(d.start) else { break }
            let decision =
                rng.chance(0.08)
                ? "end" : rng.chance(0.15) ? "adjust-conditions" : rng.chance(0.05) ? "escalate" : "continue"
            let findings = rng.pick([
                "No incidents of note; conditions respected.",
                "Two tamper alerts, both explained on site; keep monitoring.",
                "Repeated communication losses: check the home unit's coverage.",
                "Zone visit in the period; \"Z-x\" to be kept, police informed.",
                "Stable; cooperation with probation good. <no change>",
            ])
            out.append(
                HistoryReview(
                    dossier: d.id, date: cal.text(day),
                    reviewer: rng.pick(HistoryReview.reviewers),
                    decision: decision, findings: findings))
            if decision == "end" { break }
            basis = day
        }
        return out
    }

    /// Eight days spread over the history plus month ends (the calendar's edge cases).
    func checkDates(from a: Date, to b: Date, cal: HistoryCalendar) -> [String] {
        var out = Set<String>()
        let span = cal.days(from: a, to: b)
        for i in 1...8 { out.insert(cal.text(cal.adding(days: span * i / 9, to: a))) }
        var m = a
        while m < b {
            let r = cal.cal.range(of: .day, in: .month, for: m)!
            var c = cal.cal.dateComponents([.year, .month], from: m)
            c.day = r.count
            let monthEnd = cal.cal.date(from: c)!
            if monthEnd <= b, [2, 8].contains(c.month!) { out.insert(cal.text(monthEnd)) }
            m = cal.cal.date(byAdding: .month, value: 1, to: m)!
        }
        return out.sorted()
    }

    func writeDossiers(_ ds: [HistoryDossier]) throws {
        var lines: [String] = []
        for d in ds {
            var o = JSONObjectWriter()
            o.string("id", d.id)
            o.string("subject", "S-" + String(d.id.suffix(4)))
            o.bool("radex", d.radex)
            o.string("mandate", d.id.hasSuffix("1") || d.id.hasSuffix("7") ? "sentence" : "pretrial")
            o.string("start", d.start)
            if let e = d.end { o.string("end", e) }
            o.string("timezone", d.timezone)
            o.strings("devices", [d.device])
            o.raw("home", #"{"lat":\#(d.lat),"lon":\#(d.lon),"radius_m":150}"#)
            o.raw(
                "zones",
                #"[{"id":"Z-x","kind":"exclusion","circle":{"lat":\#(d.lat + 0.03),"lon":\#(d.lon),"radius_m":400}}]"#)
            o.int("comms_timeout_s", 43_200)
            if let l = d.lastReview { o.string("last_review", l) }
            lines.append(o.finish())
        }
        try ("[\n" + lines.joined(separator: ",\n") + "\n]\n").write(
            toFile: out + "/dossiers.json", atomically: true, encoding: .utf8)
    }

    /// Heartbeats every 3-6 h inside each dossier's active period (a day's margin at both ends for time zones) and
    /// about one incident every 25 days.
    func writeEvents(_ ds: [HistoryDossier], from: Date, to: Date, cal: HistoryCalendar) throws -> Int {
        struct E {
            var ts: Int64
            var device: String
            var body: String
        }
        var all: [E] = []
        for (k, d) in ds.enumerated() {
            var rng = Rng(seed: seed, stream: 0xE000 + UInt64(k))
            let a = max(cal.date(d.start), from).addingTimeInterval(86_400)
            let b = min(d.end.map { cal.date($0) } ?? to, to)
            var t = Int64(a.timeIntervalSince1970 * 1000)
            let stop = Int64(b.timeIntervalSince1970 * 1000)
            var nextIncident = t + rng.int64(1, 50) * 86_400_000 / 2
            while t < stop {
                if t >= nextIncident {
                    let hour: Int64 = 3_600_000
                    let minute: Int64 = 60_000
                    var evs: [(Int64, String)]
                    switch rng.int(0, 6) {
                    case 0:
                        evs = [
                            (t, #""kind":"strap","state":"opened""#),
                            (t + rng.int64(5, 90) * minute, #""kind":"strap","state":"closed""#),
                        ]
                    case 1:
                        evs = [
                            (t, #""kind":"case","state":"opened""#),
                            (t + rng.int64(5, 90) * minute, #""kind":"case","state":"closed""#),
                        ]
                    case 2:
                        evs = [
                            (t, #""kind":"battery","level":0.12,"charging":false"#),
                            (t + 2 * hour, #""kind":"battery","level":0.95,"charging":true"#),
                        ]
                    case 3:
                        evs = [
                            (t, #""kind":"gnss","state":"jammed""#),
                            (t + rng.int64(10, 60) * minute, #""kind":"gnss","state":"ok""#),
                        ]
                    case 4:
                        evs = [
                            (t, #""kind":"power","state":"lost""#),
                            (t + rng.int64(1, 5) * hour, #""kind":"power","state":"restored""#),
                        ]
                    case 5:
                        let zl = d.lat + 0.03
                        evs = [
                            (t, #""kind":"position","lat":\#(zl),"lon":\#(d.lon),"acc":10"#),
                            (t + minute, #""kind":"position","lat":\#(zl + 0.0005),"lon":\#(d.lon),"acc":12"#),
                            (t + 40 * minute, #""kind":"position","lat":\#(d.lat),"lon":\#(d.lon),"acc":8"#),
                        ]
                    default:
                        // Silence: no event for 14-40 h (communication_loss after 12 h).
                        t += rng.int64(14, 40) * hour
                        evs = []
                    }
                    for (ts, body) in evs where ts < stop { all.append(E(ts: ts, device: d.device, body: body)) }
                    t = max(t, evs.last?.0 ?? t) + minute
                    nextIncident = t + rng.int64(5, 45) * 86_400_000
                    continue
                }
                all.append(E(ts: t, device: d.device, body: #""kind":"heartbeat""#))
                t += rng.int64(180, 360) * 60_000
            }
        }
        all.sort { ($0.ts, $0.device) < ($1.ts, $1.device) }
        var seq: [String: Int] = [:]
        var text = ""
        text.reserveCapacity(all.count * 110)
        for e in all {
            let n = (seq[e.device] ?? 0) + 1
            seq[e.device] = n
            text +=
                #"{"v":1,"device":"\#(e.device)","seq":\#(n),"ts":"\#(Timestamp(milliseconds: e.ts).rfc3339)",\#(e.body)}"#
            text += "\n"
        }
        try text.write(toFile: out + "/events.ndjson", atomically: true, encoding: .utf8)
        return all.count
    }

    func writeReviews(_ rs: [HistoryReview]) throws {
        let text = rs.map { [$0.dossier, $0.date, $0.reviewer, $0.decision, $0.findings].joined(separator: "\t") }
            .joined(separator: "\n")
        try (text + "\n").write(toFile: out + "/reviews.tsv", atomically: true, encoding: .utf8)
    }

    func writeTruth(_ checks: [(String, [HistoryCalendar.Entry])], cal: HistoryCalendar) throws {
        var o = JSONObjectWriter()
        for (day, entries) in checks {
            o.raw(
                day,
                "["
                    + entries.map { e in
                        var w = JSONObjectWriter()
                        w.string("dossier", e.dossier)
                        w.string("status", e.status)
                        w.string("deadline", e.deadline)
                        w.int("days_left", e.daysLeft)
                        return w.finish()
                    }.joined(separator: ",") + "]")
        }
        var root = JSONObjectWriter()
        root.raw("due", o.finish())
        try (root.finish() + "\n").write(toFile: out + "/truth.json", atomically: true, encoding: .utf8)
    }
}
