import ArgumentParser
import Foundation
import SeinhuisCore
import SeinhuisStore

/// `simulator replay`: a generated stream through `seinhuis replay` into a database, checked against its truth.
struct StreamReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a generated stream into a database with `seinhuis replay` and verify it against its truth.",
        discussion: """
            STREAM is a directory written by `simulator generate` (its events.ndjson) or an NDJSON file; the \
            dossiers.json and truth.json next to it belong to it. If the database holds no dossiers, that \
            dossiers.json is imported first (`seinhuis dossier import`); then `seinhuis replay` runs the events \
            through the rules in event time, and the alerts in the database are compared with the truth as \
            `simulator verify --db` compares them (the same code, the same table or JSON). The seinhuis binary is \
            the one next to this simulator (built with it), unless --seinhuis names another.

            A replay is deterministic and runs timers on stream time, so the match is exact: every precision and \
            recall must be 1. Use a fresh database (or one holding only this stream's dossiers): alerts of other \
            streams in it count as false positives.

            Exit status: 0 when every precision and recall is 1 (and, with --check-cleared, every cleared_at \
            matches); 1 when not; 2 when `seinhuis` failed; 64 for a missing stream, truth, dossiers or database \
            directory.

            Examples:
              simulator generate --devices 50 --hours 6 --seed 7 --out /tmp/sim
              simulator replay /tmp/sim --db /tmp/sim.sqlite
              simulator replay /tmp/sim/events.ndjson --db /tmp/sim.sqlite --truth /tmp/sim/truth.json --format json
            """)

    @Argument(help: "A directory written by `simulator generate`, or its events.ndjson.") var stream: String
    @Option(help: "The Seinhuis SQLite database to replay into (created if it does not exist).") var db: String
    @Option(help: "The ground truth (default: truth.json next to the stream).") var truth: String?
    @Option(help: "Output format: table or json (one JSON object).") var format: OutputFormat = .table
    @Flag(
        name: .customLong("check-cleared"), help: "Also fail when a matched alert's cleared_at differs from the truth.")
    var checkCleared = false
    @Option(help: "How many mismatches to list.") var show: Int = 20
    @Option(help: "The seinhuis binary (default: next to this simulator).") var seinhuis: String?

    /// The files of one replay, every one checked before anything runs.
    struct Inputs {
        var events: String
        var truth: String
        /// dossiers.json next to the stream (nil if there is none).
        var dossiers: String?
    }

    func inputs() throws -> Inputs {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: stream, isDirectory: &isDir) else {
            throw ValidationError(
                "no stream at \(stream): give a directory written by `simulator generate`, or its events.ndjson")
        }
        let dir = isDir.boolValue ? stream : (stream as NSString).deletingLastPathComponent
        let events = isDir.boolValue ? (stream as NSString).appendingPathComponent("events.ndjson") : stream
        guard fm.isReadableFile(atPath: events) else {
            throw ValidationError("no events.ndjson in \(stream) (or it cannot be read)")
        }
        let truthFile = truth ?? ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("truth.json")
        guard fm.isReadableFile(atPath: truthFile) else {
            throw ValidationError(
                truth == nil
                    ? "no truth file next to the stream (\(truthFile), written by `simulator generate`): give --truth FILE"
                    : "no truth file at \(truthFile)")
        }
        let dossiers = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("dossiers.json")
        return Inputs(events: events, truth: truthFile, dossiers: fm.isReadableFile(atPath: dossiers) ? dossiers : nil)
    }

    /// The database file: an existing file, or a new one in an existing directory.
    func checkDatabase() throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: db, isDirectory: &isDir) {
            guard !isDir.boolValue else { throw ValidationError("--db \(db) is a directory, not a database file") }
            return
        }
        let parent = (db as NSString).deletingLastPathComponent
        guard parent.isEmpty || FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue
        else { throw ValidationError("cannot create the database \(db): there is no directory \(parent)") }
    }

    func run() throws {
        let files = try inputs()
        try checkDatabase()
        let binary = try SeinhuisBinary.path(seinhuis)
        let present: Int
        do { present = try Store(path: db).dossiers().count } catch {
            throw ValidationError("cannot open database \(db): \(error)")
        }
        var imported = 0
        if present == 0 {
            guard let dossiers = files.dossiers else {
                throw ValidationError(
                    "the database \(db) has no dossiers and there is no dossiers.json next to the stream: import them first (seinhuis dossier import FILE --db \(db))"
                )
            }
            try SeinhuisBinary.importDossiers(dossiers, db: db) { _ = try SeinhuisBinary.run(binary, $0) }
            imported = try Store(path: db).dossiers().count
        }
        let summaryText = try SeinhuisBinary.run(
            binary, ["replay", files.events, "--db", db, "--format", "json", "--quiet"])
        let summary = summaryText.trimmingCharacters(in: .whitespacesAndNewlines)

        var arguments = ["--truth", files.truth, "--db", db, "--format", format.rawValue, "--show", String(show)]
        if checkCleared { arguments.append("--check-cleared") }
        let outcome = try Verify.parse(arguments).evaluate()

        switch format {
        case .json:
            var o = JSONObjectWriter()
            o.bool("pass", !outcome.failed)
            o.string("stream", files.events)
            o.string("truth", files.truth)
            o.string("db", db)
            o.int("dossiers_imported", imported)
            o.raw("replay", summary)
            o.raw("verify", outcome.text)
            print(o.finish())
        case .table:
            let dossierLine =
                imported > 0
                ? "dossiers  \(imported) imported from \(files.dossiers ?? "")"
                : "dossiers  the database's \(present) (none imported)"
            print(
                """
                stream    \(files.events)
                truth     \(files.truth)
                database  \(db)
                \(dossierLine)
                replay    \(Self.describe(summary))

                \(outcome.text)
                """)
        }
        if outcome.failed { throw ExitCode(1) }
    }

    /// One line of `seinhuis replay`'s JSON summary.
    static func describe(_ json: String) -> String {
        guard let o = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let c = o["counts"] as? [String: Any]
        else { return json }
        func n(_ v: Any?) -> String { (v as? NSNumber).map { "\($0.intValue)" } ?? "?" }
        return
            "\(n(c["lines"])) lines: \(n(c["accepted"])) accepted, \(n(c["duplicates"])) duplicates, \(n(c["rejected"])) rejected, \(n(c["late"])) late; \(n(o["alerts_raised"])) alerts raised, \(n(o["alerts_cleared"])) cleared"
    }
}

/// The `seinhuis` binary the simulator drives (`replay`, `loadrun`): the one built next to this simulator.
enum SeinhuisBinary {
    /// This executable's path (`/proc/self/exe`, else argv[0]).
    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `option` if given, else `seinhuis` in this executable's directory; it must be executable.
    static func path(_ option: String?) throws -> String {
        let binary = option ?? (URL(fileURLWithPath: selfPath).deletingLastPathComponent().path + "/seinhuis")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("no seinhuis binary at \(binary): build it first (swift build), or give --seinhuis")
        }
        return binary
    }

    /// Runs `binary args` to its end and returns its standard output; its standard error goes to ours. A non-zero
    /// exit prints what failed and exits with status 2.
    @discardableResult
    static func run(_ binary: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.standardError
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            stderrLine(
                "simulator: \(binary) \(args.joined(separator: " ")) failed (exit status \(p.terminationStatus))")
            throw ExitCode(2)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension SeinhuisBinary {
    /// The account the simulator imports dossiers as on a database without accounts (the first-admin bootstrap).
    static let account = "simulator"

    /// `dossier import` needs an admin account (docs/TRUST.md, Actors): on a database with no account yet the
    /// simulator adds its own admin first and imports as it; otherwise `--by` defaults as for any user
    /// (`$SEINHUIS_USER`, else `$USER`). `run`: how to run the binary (each caller has its own error style).
    static func importDossiers(_ file: String, db: String, run: ([String]) throws -> Void) throws {
        let accounts = (try? Store(path: db).userCount()) ?? 0
        if accounts == 0 {
            try run(["user", "add", account, "--role", "admin", "--db", db])
            try run(["dossier", "import", file, "--db", db, "--by", account])
        } else {
            try run(["dossier", "import", file, "--db", db])
        }
    }
}
