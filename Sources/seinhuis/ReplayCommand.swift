import ArgumentParser
import Foundation
import SeinhuisCore
import SeinhuisPipeline
import SeinhuisStore

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an NDJSON event file through decoding, journal and rules, offline and in event time.",
        discussion: """
            Deterministic: the same file into a fresh database gives the same alerts, ids included.
            Events are evaluated per device in time order with a 10 s reordering hold; timers run on stream time.
            Import the dossiers into the same database first (seinhuis dossier import FILE --db PATH).
            Prints a summary (counts as in the edge cases' counts.json); see `alerts list` for the alerts raised.
            """)
    @Argument(help: "The NDJSON file, one event per line.") var file: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup(title: "Rules") var rules: RuleOptions
    @Option(help: "Summary format: table or json.") var format: OutputFormat = .table
    @Flag(help: "No progress on standard error.") var quiet = false
    @OptionGroup(title: "Routing") var routing: PolicyOption
    @Option(help: "Events per commit (each commit is one journal block).") var eventsPerCommit = 65_536

    func run() throws {
        guard eventsPerCommit >= 1 else { throw ValidationError("--events-per-commit must be 1 or more") }
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let store = try database.open()
        let catalogStart = Date()
        let catalog = try store.dossierSet()
        let catalogSeconds = Date().timeIntervalSince(catalogStart)
        if catalog.dossiers.isEmpty {
            FileHandle.standardError.write(
                Data("warning: no dossiers in \(database.db): every event will be rejected as unknown_device\n".utf8))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let showProgress = !quiet && isatty(2) != 0
        var replay = SeinhuisPipeline.Replay()
        rules.apply(to: &replay.rules)
        if let policy = routing.policy { replay.policy = policy }
        replay.eventsPerCommit = eventsPerCommit
        replay.linesPerHandOver = min(replay.linesPerHandOver, eventsPerCommit)
        var summary = try replay.run(path: file, store: store, dossiers: catalog) { counts, _ in
            guard showProgress else { return }
            FileHandle.standardError.write(Data("\rreplaying \(file): \(counts.frames) lines of ~\(size / 150)".utf8))
        }
        summary.catalogSeconds = catalogSeconds
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        switch format {
        case .json: print(summary.json)
        default:
            let c = summary.counts
            print(
                """
                lines      \(c.frames + c.blank)
                accepted   \(c.accepted)  (not evaluated: \(c.notEvaluated), late: \(c.late))
                duplicates \(c.duplicates)
                rejected   \(c.rejected)\(c.rejectedByReason.isEmpty ? "" : "  (" + c.rejectedByReason.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")")
                blank      \(c.blank)
                alerts     \(summary.alertsRaised) raised, \(summary.alertsCleared) cleared
                time       \(String(format: "%.2f", summary.seconds)) s (\(Int(summary.eventsPerSecond)) lines/s), \
                after loading \(catalog.dossiers.count) dossiers in \(String(format: "%.2f", summary.catalogSeconds)) s
                cpu        main thread \(String(format: "%.2f", summary.mainCPUSeconds)) s, reader \(String(format: "%.2f", summary.readerCPUSeconds)) s \
                (ceiling with two free cores: \(Int(summary.cpuBoundLinesPerSecond)) lines/s)
                """)
        }
    }
}
