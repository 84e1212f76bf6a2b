import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// `seinhuis whatif`: the period's stored breaches under the current and a proposed routing policy (docs/WHATIF.md).
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Model a proposed routing policy on the stored breaches of a period, beside the current one.",
        discussion: """
            Each stored breach is routed and escalated by the pipeline's own alert book under the policy in force and
            under the proposed one; each queue it reaches answers with a delay drawn (seeded, reproducible) from the
            delays that queue recorded in the period for that severity (docs/WHATIF.md). The honesty check compares
            the model under the current policy with the recorded p50/p90 of the same breaches.
              seinhuis policy show > v2.json        # edit it
              seinhuis whatif --policy v2.json --from 2026-10-01 --to 2026-11-01
            Read-only: nothing is written, nothing audited. Durations in the table are h/m/s; in JSON and CSV, seconds.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(
        help: ArgumentHelp("The proposed routing policy file (docs/POLICY.md).", valueName: "file"),
        transform: { try PolicyFile.load($0, namingFile: false) })
    var policy: RoutingPolicy
    @Option(
        help: ArgumentHelp(
            "The policy file in force, when serve runs with --policy (checked against the database's record); "
                + "default: the built-in v1.", valueName: "file"),
        transform: { try PolicyFile.load($0, namingFile: false) })
    var current: RoutingPolicy?
    @Option(help: "Breaches detected from (YYYY-MM-DD, UTC midnight, or RFC 3339).") var from: String?
    @Option(help: "Breaches detected before (YYYY-MM-DD or RFC 3339).") var to: String?
    @Option(help: "Seed of the drawn responses: the same seed gives the same figures.") var seed: UInt64 = 1
    @Option(help: "Output format.") var format: OutputFormat = .table

    func run() throws {
        let store = try database.open()
        let currentPolicy = current ?? .v1
        if let inForce = try store.policyInForce(), inForce != Store.policyFingerprint(currentPolicy) {
            throw ValidationError(
                "the policy in force is \(inForce.prefix { $0 != " " }) (\(inForce)), not "
                    + "\(Store.policyFingerprint(currentPolicy)); give its file with --current FILE")
        }
        let fromT = try ReportCommand.Latency.time(from, "from")
        let toT = try ReportCommand.Latency.time(to, "to")
        if let f = fromT, let t = toT, f.milliseconds >= t.milliseconds {
            throw ValidationError("--from (\(from ?? "")) must be before --to (\(to ?? ""))")
        }
        let run = try WhatIfRun(
            store: store, current: currentPolicy, proposed: policy, from: fromT, to: toT, seed: seed)
        switch format {
        case .json:
            print(run.json)
        case .csv, .table:
            let table = format == .table
            if table {
                print("\(run.breaches) breaches over \(String(format: "%.1f", run.days)) day(s), seed \(seed)")
            }
            print(listing(run.sides, table: table).render(format) { [] })
            let check = Self.honestyLine(run.honesty, version: currentPolicy.version)
            if table { print(check) } else { FileHandle.standardError.write(Data((check + "\n").utf8)) }
        }
    }

    func listing(_ sides: [WhatIfSide], table: Bool) -> Listing {
        func d(_ ms: Int64) -> String { table ? Self.human(ms) : String(format: "%.3f", Double(ms) / 1000) }
        var rows: [[String]] = []
        for side in sides {
            for r in side.rows {
                let s = r.response
                let none = s.count == 0
                let durations: [String] =
                    none ? ["-", "-", "-", "-"] : [d(Int64(s.meanMs)), d(s.p50Ms), d(s.p90Ms), d(s.p99Ms)]
                let share: String = r.withinTarget.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
                let head: [String] = [side.role, side.policy.version, r.group, String(r.alerts), String(format: "%.2f", r.perDay)]
                rows.append(head + [String(r.escalations), String(s.count)] + durations + [share])
            }
        }
        return Listing(
            headers: [
                "policy", "version", "queue", "alerts", "per_day", "escalations", "responded", "mean", "p50", "p90",
                "p99", "within_target",
            ], rows: rows)
    }

    static func honestyLine(_ h: WhatIfHonesty, version: String) -> String {
        let head =
            "honesty check (model under the current policy \(version) vs recorded, same breaches; tolerance "
            + "±\(Int(WhatIfHonesty.toleranceShare * 100))% or ±\(WhatIfHonesty.toleranceMs / 1000)s): "
        let escalations = "; escalations modelled \(h.modelledEscalations) recorded \(h.recordedEscalations)"
        guard h.recorded.count > 0 else {
            return head + "no recorded responses in the period, nothing to compare" + escalations
        }
        func part(_ name: String, _ m: Int64, _ r: Int64, _ off: Int64) -> String {
            let pct = WhatIfHonesty.share(off, of: r).map { String(format: "%+.1f%%", $0 * 100) } ?? "-"
            return
                "\(name) modelled \(human(m)) recorded \(human(r)) off \(off < 0 ? "-" : "+")\(human(abs(off))) (\(pct))"
        }
        return head + part("p50", h.modelled.p50Ms, h.recorded.p50Ms, h.p50OffMs) + "; "
            + part("p90", h.modelled.p90Ms, h.recorded.p90Ms, h.p90OffMs) + "; "
            + (h.withinTolerance ? "within tolerance" : "OUTSIDE tolerance: treat the comparison with care")
            + escalations
    }

    static func human(_ ms: Int64) -> String {
        let s = ms / 1000
        if s < 60 { return String(format: "%.1fs", Double(ms) / 1000) }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }
}
