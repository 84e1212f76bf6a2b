import ArgumentParser
import Foundation
import SeinhuisCore
import SeinhuisStore

/// `simulator review-check`: compares `seinhuis review due --as-of DATE --format json` with the history's truth.
struct ReviewCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-check",
        abstract: "Compare the due lists seinhuis printed with truth.json from `simulator history`.",
        discussion: """
            --due DIR holds one file per check date, due-YYYY-MM-DD.json, each the output of
            `seinhuis review due --as-of YYYY-MM-DD --format json`. Every date must match exactly: the same dossiers,
            in the same order (overdue first), with the same status, deadline and days. Exits 1 otherwise.
            """)
    @Option(help: "truth.json of `simulator history`.") var truth: String
    @Option(help: "Directory of due-YYYY-MM-DD.json files.") var due: String

    func run() throws {
        let t = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [String: Any]
        guard let dates = t?["due"] as? [String: [[String: Any]]] else { throw ValidationError("\(truth): no \"due\"") }
        var rows: [[String]] = []
        var failed = false
        for day in dates.keys.sorted() {
            let expected = dates[day]!.map { e in
                "\(e["dossier"]!) \(e["status"]!) \(e["deadline"]!) \(e["days_left"]!)"
            }
            let file = due + "/due-\(day).json"
            guard let data = FileManager.default.contents(atPath: file),
                let got = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
            else { throw ValidationError("cannot read \(file)") }
            let actual = got.map { g in
                let left = (g["days_left"] as? Int ?? 0) - (g["days_over"] as? Int ?? 0)
                return "\(g["dossier"]!) \(g["status"]!) \(g["deadline"]!) \(left)"
            }
            let ok = expected == actual
            failed = failed || !ok
            let missing = Set(expected).subtracting(actual).count
            let extra = Set(actual).subtracting(expected).count
            rows.append([
                day, String(expected.count), String(actual.count), String(missing), String(extra),
                ok ? "ok" : "MISMATCH",
            ])
            if !ok {
                for (i, (e, a)) in zip(
                    expected + Array(repeating: "-", count: max(0, actual.count - expected.count)),
                    actual + Array(repeating: "-", count: max(0, expected.count - actual.count))
                ).enumerated() where e != a {
                    stderrLine("\(day) #\(i): expected \(e), got \(a)")
                }
            }
        }
        print(Table(headers: ["as_of", "expected", "listed", "missing", "extra", "result"], rows: rows).render())
        if failed { throw ExitCode(1) }
    }
}

/// `simulator respond-offline`: plays the operators on a replayed history in a database file, no server — records a
/// measure on most breach alerts a few minutes after detection (and closes many), through the store's own action
/// path, so review reports of a history have latencies (`scripts/review-history`). A live run: `simulator respond`.
struct RespondOffline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond-offline",
        abstract: "Record operators' measures straight into a database's breach alerts (a replayed history, no serve).")
    @Option(help: "The database.") var db: String
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Share of alerts answered (0-1).") var share: Double = 0.85

    func run() throws {
        let store = try Store(path: db)
        var rng = Rng(seed: seed, stream: 0x7E5)
        var answered = 0
        let alerts = try store.alerts(Store.AlertFilter(state: .open)).filter { $0.device != nil }
        do {  // one transaction per action: `act` opens its own
            for a in alerts where rng.chance(share) {
                // Lognormal: radex answered faster (median 2 min) than other dossiers (median 6 min).
                let median = a.radex ? 120.0 : 360.0
                let seconds = median * exp(0.9 * rng.gaussian())
                let at = a.detectedAt + Int64(seconds * 1000)
                let measure: Measure = rng.pick([
                    .phone_call, .phone_call, .field_visit, .false_alarm, .police_dispatched,
                ])
                // The monitoring centre answers (every breach alert reaches vcet).
                let who = ActingUser(name: "operator-sim", role: "operator", queue: a.queues.contains(.vcet) ? .vcet : a.queues[0])
                _ = try store.act(.respond(measure, note: nil), on: a.id, as: who, at: at)
                if rng.chance(0.7) {
                    _ = try store.act(.close(nil, note: nil), on: a.id, as: who, at: at + 3_600_000)
                }
                answered += 1
            }
        }
        print("answered \(answered) of \(alerts.count) open breach alerts")
    }
}
