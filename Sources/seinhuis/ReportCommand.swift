import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

extension LatencyDimension: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports on the handling of alerts.", subcommands: [Latency.self, EvaluationReport.self])

    struct Latency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Breach-to-response and time-to-acknowledge latency (PROTOCOL 4.4).",
            discussion: """
                Breach-to-response runs from an alert's detected_at to its first recorded measure; time-to-acknowledge
                to its acknowledgement. Per group: alerts, escalations, how many got a measure, mean, p50, p90, p99
                and max, and the share answered within the route's target (unanswered alerts count as outside).
                Before/after a change of procedure:
                  seinhuis report latency --by policy                      # one row per policy version
                  seinhuis report latency --by period --split-at 2026-07-01
                Radex incidents and escalations per month: seinhuis report latency --radex --by month
                Review notices are not counted. Durations in the table are h/m/s; in JSON and CSV, seconds.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Group by: \(LatencyDimension.allCases.map(\.rawValue).joined(separator: ", ")).")
        var by: LatencyDimension = .all
        @Option(help: "Alerts detected from (YYYY-MM-DD, UTC midnight, or RFC 3339).") var from: String?
        @Option(help: "Alerts detected before (YYYY-MM-DD or RFC 3339).") var to: String?
        @Option(name: .customLong("split-at"), help: "With --by period: the moment the procedure changed.")
        var splitAt: String?
        @Flag(help: "Only alerts of Radex dossiers (with --by month: incidents and escalations per month).")
        var radex = false
        @OptionGroup(title: "Routing") var routing: PolicyOption
        @Option(help: "Output format.") var format: OutputFormat = .table
        @OptionGroup var lang: LanguageOption

        static func time(_ s: String?, _ name: String) throws -> Timestamp? {
            guard let s else { return nil }
            if let t = LatencyQuery.time(s) { return t }
            throw ValidationError("--\(name) must be a date (2026-07-01) or an RFC 3339 time")
        }

        /// The columns: in the language for the table, English names (the machine's) for JSON and CSV.
        static func headers(_ by: LatencyDimension, _ lang: Language) -> [String] {
            let t = { (name: String) in Catalogue.text("latencyreport." + name, lang) }
            return [
                Catalogue.name("dimension", by.rawValue, lang), t("alerts"), t("escalations"), t("responded"),
                t("mean"), "p50", "p90", "p99", "max", t("within_target"), t("acknowledged"), t("ack_p50"),
                t("ack_p90"),
            ]
        }

        /// A group's display name: queues, kinds and severities by their names in the language.
        static func group(_ g: String, _ by: LatencyDimension, _ lang: Language) -> String {
            switch by {
            case .queue: Catalogue.name("queue", g, lang)
            case .breach: Catalogue.name("kind", g, lang)
            case .severity: Catalogue.name("severity", g, lang)
            default: g
            }
        }

        func validate() throws {
            if by == .period && splitAt == nil { throw ValidationError("--by period needs --split-at DATE") }
        }

        func run() throws {
            let store = try database.open()
            var query = LatencyQuery(policy: routing.policy ?? .v1)
            query.by = by
            query.from = try Self.time(from, "from") ?? .distantPast
            query.to = try Self.time(to, "to") ?? .distantFuture
            query.splitAt = try Self.time(splitAt, "split-at")
            query.radexOnly = radex
            let rows = try query.rows(store)
            let forms = Formats(lang.language)
            func human(_ ms: Int64) -> String {
                let s = ms / 1000
                if s < 60 { return forms.decimal(Double(ms) / 1000) + "s" }
                if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
                return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
            }
            func secs(_ ms: Int64) -> String { String(format: "%.3f", Double(ms) / 1000) }
            let table = format == .table
            func share(_ x: Double?) -> String {
                x.map { table ? forms.percent($0) : String(format: "%.1f%%", $0 * 100) } ?? "-"
            }
            let d: (Int64) -> String = table ? human : secs
            let listing = Listing(
                headers: Self.headers(by, table ? lang.language : .en),
                rows: rows.map { r in
                    let resp = r.response
                    let none = resp.count == 0
                    return [
                        table ? Self.group(r.group, by, lang.language) : r.group, String(r.alerts), String(r.escalations), String(resp.count),
                        none ? "-" : d(Int64(resp.meanMs)), none ? "-" : d(resp.p50Ms), none ? "-" : d(resp.p90Ms),
                        none ? "-" : d(resp.p99Ms), none ? "-" : d(resp.maxMs), share(r.withinTarget),
                        String(r.acknowledge.count), r.acknowledge.count == 0 ? "-" : d(r.acknowledge.p50Ms),
                        r.acknowledge.count == 0 ? "-" : d(r.acknowledge.p90Ms),
                    ]
                })
            print(
                listing.render(format) {
                    rows.map { $0.json(by: by.rawValue) }
                })
        }
    }
}
