import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

extension ReviewScope: ExpressibleByArgument {}

/// `seinhuis review due|record|report|list`: the six-monthly review by the radicalisation cell (PROTOCOL 5).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The six-monthly review (doorlichting) of dossiers by the radicalisation cell.",
        discussion: """
            Every active radex dossier is reviewed at least every six calendar months, counted from its latest review
            (or its start). A review is due 30 days before its deadline and overdue after it. See docs/REVIEW.md.
              seinhuis review due                              # today, in each dossier's time zone
              seinhuis review record D-2026-0001 --reviewer k.peeters --date 2026-11-20 \\
                  --findings "No incidents; conditions kept." --decision continue
              seinhuis review report D-2026-0001 --out report.html
            """,
        subcommands: [Due.self, Record.self, Report.self, List.self])

    struct ScopeOption: ParsableArguments {
        @Option(help: "Which dossiers are reviewed: radex (default) or all ET dossiers.")
        var scope: ReviewScope = .radex
    }

    static func day(_ text: String, _ option: String) throws -> LocalDate {
        guard let d = LocalDate(text) else { throw ValidationError("\(option) must be a date YYYY-MM-DD") }
        return d
    }

    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every dossier whose review is due or overdue, overdue first.",
            discussion: "Reviews dated after --as-of are not counted, so a past date shows the list as it stood.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var scope: ScopeOption
        @Option(
            name: .customLong("as-of"), help: "The day to judge (YYYY-MM-DD). Default: today in each dossier's zone.")
        var asOf: String?
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            let day: ReviewDesk.Day = try asOf.map { .date(try ReviewCommand.day($0, "--as-of")) } ?? .instant(now())
            let due = try ReviewDesk.due(store, on: day, scope: scope.scope)
            let listing = Listing(
                headers: ["dossier", "radex", "status", "deadline", "days_left", "days_over", "last_review_or_start"],
                rows: due.map {
                    [
                        $0.dossier, $0.radex ? "yes" : "no", $0.status.rawValue, $0.deadline.description,
                        String(max(0, $0.daysLeft)), String(max(0, -$0.daysLeft)), $0.basis.description,
                    ]
                })
            print(listing.render(format) { due.map(ReviewDesk.json) })
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a review: moves the dossier's deadline six months on from its date.",
            discussion: """
                Every field is required; the date may not lie in the future (the dossier's time zone) nor before the
                latest recorded review. Decisions: \(Review.decisionNames). `end` takes the dossier out of the review
                calendar from that date. The reviewer is a cell (or admin) account; the review is recorded --by a
                cell or admin account (default $SEINHUIS_USER, else $USER) in the audit trail.
                """)
        @Argument(help: "The dossier id.") var dossier: String
        @Option(help: "Who reviewed: the user name of a cell (or admin) account.") var reviewer: String?
        @Option(help: "The day of the review, YYYY-MM-DD.") var date: String?
        @Option(help: "The findings, as text.") var findings: String?
        @Option(help: "The decision: \(Review.decisionNames).") var decision: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Option(help: "Output format of the confirmation.") var format: OutputFormat = .table
        @OptionGroup var lang: LanguageOption

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.recordReviews, in: store)
            do {
                let r = try ReviewDesk.record(
                    store, dossier: dossier, reviewer: reviewer, date: date, findings: findings, decision: decision,
                    by: account.name, role: account.role.rawValue, at: now())
                if format == .json {
                    print(r.json)
                } else {
                    print(
                        Catalogue.format(
                            "cli.reviewRecorded", lang.language, dossier, r.review.date.description, r.review.reviewer,
                            r.review.decision.rawValue, ReviewCalendar.deadline(from: r.review.date).description))
                }
            } catch let e as ReviewError {
                throw ValidationError(e.description)
            }
        }
    }

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, md, csv }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The review report of a dossier for the period since its previous review.",
            discussion: """
                Dossier summary and changes of conditions, breaches by kind and severity, alerts per queue,
                escalations, responses and breach-to-response latency (compared with the previous period),
                communication-loss time, open items and the previous review's findings. HTML is one self-contained,
                printable page with a timeline of breaches and a latency chart (inline SVG). See docs/REVIEW.md.
                """)
        @Argument(help: "The dossier id.") var dossier: String?
        @Flag(help: "A report for every dossier in the database, written into the directory --out as ID.FORMAT.")
        var all = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var scope: ScopeOption
        @Option(help: "html (default), md or csv.") var format: ReportFormat = .html
        @Option(help: "Write to this file (with --all: this directory) instead of standard output.") var out: String?
        @Option(name: .customLong("as-of"), help: "The report's last day (YYYY-MM-DD). Default: now.") var asOf: String?
        @OptionGroup var actor: ActorOption
        @OptionGroup var lang: LanguageOption

        func validate() throws {
            if all {
                guard dossier == nil else { throw ValidationError("give a dossier or --all, not both") }
                guard out != nil else { throw ValidationError("--all needs --out DIRECTORY") }
            } else if dossier == nil {
                throw ValidationError("give a dossier id (or --all --out DIRECTORY)")
            }
        }

        func run() throws {
            if all { return try runAll() }
            let dossier = self.dossier!
            let store = try database.open()
            let account = try actor.account(.readReviews, in: store)
            guard let record = try store.dossier(id: dossier) else { throw ValidationError("no dossier \(dossier)") }
            let at =
                try asOf.map { ReviewDesk.endOfDay(try ReviewCommand.day($0, "--as-of"), timezone: record.timezone) }
                ?? now()
            guard let report = try ReviewDesk.report(store, dossier: dossier, asOf: at, scope: scope.scope) else {
                throw ValidationError("no dossier \(dossier)")
            }
            let text = render(report)
            try store.auditView(
                "review.report_view", dossier: dossier, actor: account.name, role: account.role.rawValue, via: "cli",
                detail: "review report (\(format.rawValue))", at: now())
            if let out {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                } catch {
                    throw ValidationError("cannot write \(out): \(error.localizedDescription)")
                }
            } else {
                print(text, terminator: "")
            }
        }

        /// Writes a file without Foundation's fsync per file (`Data.write` syncs each one, which made writing 200
        /// reports wait about a second on the disk): a report is regenerated from the database at will.
        func write(_ text: String, to path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw CocoaError(.fileWriteUnknown) }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
        }

        func render(_ report: ReviewReport) -> String {
            switch format {
            case .html: ReviewReportHTML.render(report, lang: lang.language)
            case .md: ReviewReportMarkdown.render(report, lang: lang.language)
            case .csv: ReviewReportCSV.render(report)
            }
        }

        /// Every dossier: one file each, then a line with the count and the time taken.
        func runAll() throws {
            let started = Date()
            let store = try database.open()
            let account = try actor.account(.readReviews, in: store)
            let dir = out!
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("cannot create \(dir): \(error.localizedDescription)")
            }
            let day = try asOf.map { try ReviewCommand.day($0, "--as-of") }
            var written = 0
            var viewed: [String] = []
            for (d, _) in try ReviewDesk.subjects(store) {
                let at = day.map { ReviewDesk.endOfDay($0, timezone: d.timezone) } ?? now()
                guard let report = try ReviewDesk.report(store, dossier: d.id, asOf: at, scope: scope.scope) else {
                    continue
                }
                let path = dir + "/" + d.id + "." + format.rawValue
                do {
                    try write(render(report), to: path)
                } catch {
                    throw ValidationError("cannot write \(path): \(error.localizedDescription)")
                }
                written += 1
                viewed.append(d.id)
            }
            // Every report written is a view of it (PROTOCOL 7): one entry each, in one transaction.
            let at = now()
            try store.transaction {
                for id in viewed {
                    try store.auditView(
                        "review.report_view", dossier: id, actor: account.name, role: account.role.rawValue, via: "cli",
                        detail: "review report (\(format.rawValue), --all)", at: at)
                }
            }
            let seconds = Date().timeIntervalSince(started)
            print("wrote \(written) reports into \(dir) in \(String(format: "%.2f", seconds)) s")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded reviews (of one dossier, or all).")
        @Argument(help: "The dossier id (all dossiers if omitted).") var dossier: String?
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            if let dossier, try store.dossier(id: dossier) == nil { throw ValidationError("no dossier \(dossier)") }
            let reviews = try store.reviews(dossier: dossier)
            let listing = Listing(
                headers: ["dossier", "date", "reviewer", "decision", "findings", "recorded_at", "recorded_by"],
                rows: reviews.map {
                    [
                        $0.review.dossier, $0.review.date.description, $0.review.reviewer, $0.review.decision.rawValue,
                        format == .table ? String($0.review.findings.prefix(60)) : $0.review.findings,
                        $0.recordedAt.rfc3339, $0.recordedBy,
                    ]
                })
            print(listing.render(format) { reviews.map(\.json) })
        }
    }
}

/// `seinhuis overview`: the up-to-date overview of ET dossiers with a Radex focus (the action plan's ask).
struct OverviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overview",
        abstract: "All Radex dossiers with review status, open alerts and last contact (--all: every ET dossier).")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Every ET dossier, not only the Radex ones.") var all = false
    @Option(help: "Output format.") var format: OutputFormat = .table

    func run() throws {
        print(try Overview.render(database: database, radexOnly: !all, scope: all ? .all : .radex, format: format))
    }
}

/// The overview listing shared by `overview` and `dossier list --radex`.
enum Overview {
    static func render(database: DatabaseOptions, radexOnly: Bool, scope: ReviewScope, format: OutputFormat) throws
        -> String
    {
        let store = try database.open()
        let at = now()
        let rows = try ReviewDesk.overview(store, radexOnly: radexOnly, at: at, scope: scope)
        let listing = Listing(
            headers: [
                "id", "subject", "radex", "mandate", "start", "end", "review", "deadline", "days", "last_review",
                "open_alerts", "last_contact",
            ],
            rows: rows.map { r in
                let contact = r.dossier.devices.map { d in
                    "\(d) "
                        + (r.lastContact[d].map { format == .table ? Self.ago($0, at) : $0.rfc3339 }
                            ?? "none in \(ReviewDesk.lastContactDays) d")
                }.joined(separator: "; ")
                return [
                    r.dossier.id, r.dossier.subject, r.dossier.radex ? "yes" : "no", r.dossier.mandate.rawValue,
                    r.dossier.start.description, r.dossier.end?.description ?? "",
                    r.position?.status.rawValue ?? "-", r.position?.deadline.description ?? "",
                    r.position.map { $0.daysLeft >= 0 ? "\($0.daysLeft) left" : "\(-$0.daysLeft) over" } ?? "",
                    r.lastReview?.description ?? "", String(r.openAlerts), contact,
                ]
            })
        return listing.render(format) { rows.map(\.json) }
    }

    static func ago(_ t: Timestamp, _ now: Timestamp) -> String {
        let s = max(0, (now - t) / 1000)
        if s < 3600 { return "\(s / 60) min ago" }
        if s < 172_800 { return "\(s / 3600) h ago" }
        return "\(s / 86_400) d ago"
    }
}
