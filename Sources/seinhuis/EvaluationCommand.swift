import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

extension ReportCommand {
    /// `seinhuis report evaluation`: the procedure's evaluation report (docs/EVALUATION.md).
    struct EvaluationReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluation",
            abstract: "The procedure's evaluation: latency before and after, Radex incidents, the survey, what-if.",
            discussion: """
                Per queue, the mean and median breach-to-response of the alerts routed by policy version --before
                and by --after, the difference of the means with a bootstrap 95 % interval (\(Evaluation.resamples)
                resamples, seed \(Evaluation.seed)), cumulative distribution plots and the share within target; the
                incidents (breach alerts) and escalations per month in Radex dossiers; the results per role of the
                survey rounds opened in the period; and, with --whatif, a comparison written by
                `seinhuis whatif --format json`. The format follows --out: .html (printable, plots as inline SVG),
                .md or .csv.
                  seinhuis report evaluation --before v1 --after v2 --from 2026-11-01 --to 2027-07-01 --out eval.html
                  seinhuis whatif --policy v3.json --format json > whatif.json
                  seinhuis report evaluation --before v1 --after v2 --whatif whatif.json --out eval.md --lang fr
                Read-only: aggregates only, nothing is written.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The policy version before the change (e.g. v1).") var before: String
        @Option(help: "The policy version after the change (e.g. v2).") var after: String
        @Option(help: "Alerts detected from (YYYY-MM-DD, UTC midnight, or RFC 3339).") var from: String?
        @Option(help: "Alerts detected before (YYYY-MM-DD or RFC 3339).") var to: String?
        @Option(
            help: ArgumentHelp("A what-if comparison: the output of seinhuis whatif --format json.", valueName: "file"))
        var whatif: String?
        @Option(help: ArgumentHelp("The report file: .html, .md or .csv.", valueName: "file")) var out: String
        @OptionGroup(title: "Routing") var routing: PolicyOption
        @OptionGroup var language: LanguageOption

        func validate() throws {
            guard ["html", "md", "csv"].contains(Self.format(out)) else {
                throw ValidationError("--out must end in .html, .md or .csv, not \(out)")
            }
        }

        static func format(_ path: String) -> String { (path as NSString).pathExtension.lowercased() }

        func run() throws {
            let store = try database.open()
            let fromT = try ReportCommand.Latency.time(from, "from")
            let toT = try ReportCommand.Latency.time(to, "to")
            let comparison = try whatif.map { path -> WhatIfComparison in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read the what-if file \(path)")
                }
                return try Self.refusal { try WhatIfComparison.parse(data, file: path) }
            }
            let evaluation = try Self.refusal {
                try Evaluation.make(
                    store, before: before, after: after, from: fromT, to: toT,
                    query: LatencyQuery(policy: routing.policy ?? .v1), whatIf: comparison, at: now())
            }
            let lang = language.language
            let text: String
            switch Self.format(out) {
            case "md": text = EvaluationMarkdown.render(evaluation, lang)
            case "csv": text = EvaluationCSV.render(evaluation)
            default: text = EvaluationHTML.render(evaluation, lang)
            }
            do {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription)")
            }
            print("wrote \(out): \(evaluation.queues.count) queues, \(evaluation.surveys.count) survey rounds")
        }

        static func refusal<R>(_ body: () throws -> R) throws -> R {
            do { return try body() } catch let e as EvaluationError { throw ValidationError(e.description) }
        }
    }
}
