import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

@main
struct Seinhuis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seinhuis",
        abstract: "Alert pipeline for electronic monitoring: ingest device events, detect breaches, route alerts.",
        discussion: """
            Seinhuis keeps everything in one SQLite file (default ./seinhuis.sqlite; --db PATH selects another).
            A first run:
              seinhuis user add admin --role admin   # the first account: an admin (prints a password once)
              seinhuis dossier import dossiers.json --by admin
              seinhuis serve                      # ZeroMQ ingest on :7460 (PULL) and :7461 (reliable), alerts on :7462
              seinhuis alerts list --queue vcet
              # then open http://127.0.0.1:8460/ and sign in as admin
            Every audited action is done --by a console account (default $SEINHUIS_USER, else $USER).
            Offline, in event time:
              seinhuis replay events.ndjson --db test.sqlite
            """,
        version: "0.1.0",
        subcommands: [
            Serve.self, DossierCommand.self, Replay.self, AlertsCommand.self, AlertCommand.self, ReportCommand.self,
            EventsCommand.self,
            QuarantineCommand.self, PolicyCommand.self, ReviewCommand.self, OverviewCommand.self, UserCommand.self,
            AuditCommand.self,
            RetentionCommand.self,
            KeysCommand.self,
            WhatIfCommand.self,
            SurveyCommand.self,
        ])
}

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file.")
    var db: String = Store.defaultPath

    func open() throws -> Store {
        do {
            return try Store(path: db)
        } catch {
            throw ValidationError("cannot open database \(db): \(error)")
        }
    }
}

/// Who performs a command's action: an existing, enabled console account whose role may do it (docs/TRUST.md,
/// Actors). The audit trail records the account and its role.
struct ActorOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The console account doing this (recorded in the audit trail with its role). "
                + "Default: $SEINHUIS_USER, else $USER.", valueName: "account"))
    var by: String?

    /// `--by`, else `$SEINHUIS_USER`, else `$USER` (empty values count as unset).
    var name: String {
        let env = ProcessInfo.processInfo.environment
        return [by, env["SEINHUIS_USER"], env["USER"]].compactMap { $0 }.first { !$0.isEmpty } ?? NSUserName()
    }

    /// The account, checked against the permission table; a refusal is an error before anything changes.
    func account(_ permission: Permission, in store: Store) throws -> ConsoleUser {
        do { return try Actors.account(name, for: permission, in: store) } catch let e as ActorError {
            throw ValidationError(e.description)
        }
    }

    /// The account acting for `queue` (one of its role's queues).
    func account(_ permission: Permission, queue: Queue, in store: Store) throws -> ConsoleUser {
        do { return try Actors.account(name, for: permission, queue: queue, in: store) } catch let e as ActorError {
            throw ValidationError(e.description)
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

func now() -> Timestamp {
    Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
}

/// The global false-alarm limits (a dossier's own `"rules"` override them for that dossier).
struct RuleOptions: ParsableArguments {
    @Option(
        name: .customLong("max-acc-m"),
        help: "A fix qualifies for zone and home rules if its accuracy is at most this many metres.")
    var maxAccuracyMetres: Double = 100
    @Option(help: "Consecutive qualifying fixes needed to raise a zone or curfew breach (GPS drift control).")
    var consecutiveFixes: Int = 2

    func validate() throws {
        guard maxAccuracyMetres > 0 else { throw ValidationError("--max-acc-m must be greater than 0") }
        guard (1...20).contains(consecutiveFixes) else { throw ValidationError("--consecutive-fixes must be 1-20") }
    }

    func apply(to config: inout RuleConfig) {
        config.maxAccuracyMetres = maxAccuracyMetres
        config.consecutiveFixes = consecutiveFixes
    }
}
