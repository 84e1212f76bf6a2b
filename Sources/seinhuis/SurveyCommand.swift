import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// `seinhuis survey`: the actors' survey of the procedure's evaluation (docs/SURVEY.md).
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: "The actors' survey: open and close rounds, list them, show their results.",
        discussion: """
            An administrator opens a round of a few questions, each answered 1 (not at all) to 5 (fully), with an
            optional comment. Every console account answers once per round in the console (/console/survey).
            Answers are stored with the role only, never the account; results per role are shown once the round is
            closed, and a role with fewer than \(SurveyResults.minimumGroup) answers is pooled with the other small
            ones (docs/SURVEY.md).
              seinhuis survey open --title "Evaluatie 2027" --question "..." --question "..." --by admin
              seinhuis survey close 1 --by admin
              seinhuis survey results 1 --format csv
            """,
        subcommands: [Open.self, Close.self, List.self, Results.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a survey round (admin; one round is open at a time). Audited.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var language: LanguageOption
        @Option(help: "The round's title (default: a standard title in --lang).") var title: String?
        @Option(
            name: .customLong("question"),
            help: "A question answered 1-5; repeat for each (default: three standard questions in --lang).")
        var questions: [String] = []

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageSurveys, in: store)
            let round = try SurveyCommand.refusal {
                try SurveyDesk.open(
                    store, title: title, questions: questions, by: account.name, role: account.role, at: now())
            }
            print(
                "survey round \(round.id) open: \(round.title(language.language)) (\(round.questions.count) questions)")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a survey round (admin). Audited.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The round's number.") var id: Int64

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageSurveys, in: store)
            let round = try SurveyCommand.refusal {
                try store.closeSurvey(id, by: account.name, role: account.role.rawValue, at: now())
            }
            print("survey round \(round.id) closed with \(round.answered) answers")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the survey rounds, newest first.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOption
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let rounds = try database.open().surveyRounds()
            let lang = language.language
            let listing = Listing(
                headers: ["id", "title", "state", "questions", "answers", "opened_at", "closed_at"],
                rows: rounds.map {
                    [
                        String($0.id), $0.title(lang), $0.isOpen ? "open" : "closed", String($0.questions.count),
                        String($0.answered), $0.openedAt.rfc3339, $0.closedAt?.rfc3339 ?? "",
                    ]
                })
            print(listing.render(format) { rounds.map { $0.json(lang: lang) } })
        }
    }

    struct Results: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A closed round's results per role: answers, mean and distribution per question, comments.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOption
        @Argument(help: "The round's number.") var id: Int64
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            guard let results = try SurveyDesk.results(store, round: id) else {
                throw ValidationError("no survey round \(id) (seinhuis survey list)")
            }
            if format == .json {
                print(results.json(language.language))
                return
            }
            let lang = language.language
            if format == .table {
                print(Catalogue.format("survey.resultsHead", lang, String(id), results.round.title(lang)))
                guard results.shown else {
                    print(Catalogue.format("survey.openNotShown", lang, String(results.round.answered)))
                    return
                }
                for (i, q) in results.round.questions(lang).enumerated() { print("  \(i + 1). \(q)") }
            }
            if format == .csv {
                // Comments are free text: fields a spreadsheet would run as a formula are quoted as text.
                let listing = Self.csv(results)
                print(
                    ([listing.headers] + listing.rows).map { $0.map(ReviewReportCSV.field).joined(separator: ",") }
                        .joined(separator: "\n"))
                return
            }
            print(Listing(headers: SurveyResults.headings(lang), rows: results.rows(lang)).render(.table) { [] })
            for g in results.groups where g.group != SurveyResults.all && !g.comments.isEmpty {
                print("\n\(Catalogue.text("survey.comments", lang)) (\(SurveyResults.label(g.group, lang))):")
                for c in g.comments { print("  - \(c)") }
            }
            if results.withheld > 0 { print(Catalogue.format("survey.withheld", lang, String(results.withheld))) }
        }

        /// `group,answers,question,mean,1,2,3,4,5,comment`: a row per group and question, one per comment.
        static func csv(_ r: SurveyResults) -> Listing {
            var rows: [[String]] = []
            for g in r.groups {
                for (i, q) in g.questions.enumerated() {
                    let mean = q.mean.map { String(format: "%.3f", $0) } ?? ""
                    rows.append(
                        [g.group, String(g.answers), String(i + 1), mean] + q.distribution.map(String.init) + [""])
                }
                for c in g.comments where g.group != SurveyResults.all {
                    rows.append([g.group, String(g.answers), "", "", "", "", "", "", "", c])
                }
            }
            return Listing(
                headers: ["group", "answers", "question", "mean", "1", "2", "3", "4", "5", "comment"], rows: rows)
        }
    }

    /// A survey refusal as the command's error.
    static func refusal<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as SurveyError { throw ValidationError(e.description) }
    }
}
