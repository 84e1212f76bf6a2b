import ArgumentParser
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

extension Measure: ExpressibleByArgument {}

/// The queue an action on the command line is for (PROTOCOL 4.4).
struct QueueOption: ParsableArguments {
    @Option(
        help: """
            The queue acted for: vcet, coordinator, cic, police or cell. Default: the account's role's queue \
            (an admin's: vcet).
            """)
    var queue: Queue?

    /// The queue given, else the one of `role` (admin: vcet).
    func resolved(for role: Role) -> Queue { queue ?? Actors.defaultQueue(of: role) }
}

/// `seinhuis alert ack|respond|close|show`: an operator's actions on one alert (PROTOCOL 4.4), recorded with who and
/// when. They work while `serve` runs: it publishes the new state within a second.
struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Acknowledge an alert, record measures, close it, or show its history.",
        subcommands: [Ack.self, Respond.self, Close.self, Show.self])

    static let measures = Measure.allCases.map(\.rawValue).joined(separator: ", ")

    static func perform(
        _ action: AlertAction, _ id: String, _ database: DatabaseOptions, _ actor: ActorOption, _ queue: QueueOption,
        _ lang: Language
    ) throws {
        let store = try database.open()
        let role = try store.user(name: actor.name)?.role ?? .operator
        let q = queue.resolved(for: role)
        let account = try actor.account(.actOnAlerts, queue: q, in: store)
        do {
            let who = ActingUser(name: account.name, role: account.role.rawValue, queue: q)
            let (alert, log) = try store.act(action, on: id, as: who, at: now())
            let own = alert.handling[q].map { Catalogue.name("state", $0.state.rawValue, lang) } ?? "?"
            let queueName = Catalogue.name("queue", q.rawValue, lang)
            if log.isEmpty {
                print(Catalogue.format("cli.alreadyDone", lang, alert.id, queueName, own))
            } else {
                let done = log.map { Catalogue.name("action", $0.kind.rawValue, lang) }.joined(separator: ", ")
                print(
                    Catalogue.format(
                        "cli.acted", lang, alert.id, queueName, own, Catalogue.name("state", alert.state.rawValue, lang),
                        done, account.name))
            }
        } catch let e as AlertActionError {
            throw ValidationError(Catalogue.format("cli.refused", lang, id, e.description))
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an alert (time-to-acknowledge ends here; escalation goes on until a measure).")
        @Argument(help: "The alert id, e.g. A-000000123.") var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var queue: QueueOption
        @OptionGroup var lang: LanguageOption
        func run() throws { try AlertCommand.perform(.acknowledge, id, database, actor, queue, lang.language) }
    }

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the measure taken (the first one ends breach-to-response latency).",
            discussion: "Measures: \(AlertCommand.measures). Responding to an open alert also acknowledges it.")
        @Argument(help: "The alert id.") var id: String
        @Option(help: "The measure taken: \(AlertCommand.measures).") var measure: Measure
        @Option(help: "A note for the record.") var note: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var queue: QueueOption
        @OptionGroup var lang: LanguageOption
        func run() throws {
            try AlertCommand.perform(.respond(measure, note: note), id, database, actor, queue, lang.language)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an alert. It needs a measure: recorded before, or given here (false_alarm is one).")
        @Argument(help: "The alert id.") var id: String
        @Option(help: "Record this measure and close: \(AlertCommand.measures).") var measure: Measure?
        @Option(help: "A note for the record.") var note: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var queue: QueueOption
        @OptionGroup var lang: LanguageOption
        func run() throws {
            try AlertCommand.perform(.close(measure, note: note), id, database, actor, queue, lang.language)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an alert and every action taken on it.")
        @Argument(help: "The alert id.") var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.readAlerts, in: store)
            // As in the console: an alert that never reached one of the account's queues is not shown.
            guard let alert = try store.alert(id: id), AccessPolicy.allows(account.role, alertQueues: alert.queues)
            else { throw ValidationError("no alert \(id) in the queues of \(account.name) (\(account.role.rawValue))") }
            // A Radex dossier's alert detail is a view the audit trail records (PROTOCOL 7), as in the console.
            if alert.radex {
                try store.auditView(
                    "dossier.view", dossier: alert.dossier, actor: account.name, role: account.role.rawValue,
                    via: "cli", detail: "alert \(alert.id)", at: now())
            }
            let actions = try store.actions(alertID: id)
            let listing = Listing(
                headers: ["at", "by", "role", "queue", "action", "measure", "note"],
                rows: actions.map {
                    [
                        $0.at.rfc3339, $0.actor, $0.role ?? "", $0.queue?.rawValue ?? "", $0.record.kind.rawValue,
                        $0.record.measure?.rawValue ?? "", $0.record.note ?? "",
                    ]
                })
            switch format {
            case .json:
                var o = JSONObjectWriter()
                o.raw("alert", alert.json)
                o.raw(
                    "actions",
                    "["
                        + actions.map(\.json).joined(separator: ",") + "]")
                print(o.finish())
            default:
                print(
                    "\(alert.id)  \(alert.kind.rawValue) (\(alert.severity.rawValue))  dossier \(alert.dossier)  device \(alert.device ?? "-")  state \(alert.state.rawValue)"
                )
                print(
                    "queues \(alert.queues.map(\.rawValue).joined(separator: " "))  event_ts \(alert.eventTs.rfc3339)  detected_at \(alert.detectedAt.rfc3339)"
                )
                for q in alert.handling.queues {
                    let h = alert.handling[q]!
                    var line = "  \(q.rawValue): \(h.state.rawValue)"
                    if let t = h.acknowledgedAt { line += "  acknowledged \(t.rfc3339)" }
                    if let t = h.firstMeasureAt { line += "  first measure \(t.rfc3339) (\(h.measure?.rawValue ?? "?"))" }
                    if let t = h.closedAt { line += "  closed \(t.rfc3339)" }
                    print(line)
                }
                print(format == .csv ? listing.render(.csv) { [] } : listing.render(.table) { [] })
            }
        }
    }
}
