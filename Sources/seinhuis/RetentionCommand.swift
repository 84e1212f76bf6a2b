import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Purge events older than the retention period (PROTOCOL 7).",
        subcommands: [Run.self], defaultSubcommand: Run.self)

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Purge events older than the retention period, keeping every alert's evidence.",
            discussion: """
                Deletes journaled events whose ts is more than --retention-days before now, except the events of an
                alert's device and dossier within 1 hour of its breach (kept as long as the alert). Works in small
                transactions (--batch-blocks journal blocks and --batch-events events at most, --pause-ms between them) so that a running serve
                is not held up; interrupted (even by kill -9), a second run finishes the job. Prints the counts and
                records them in the audit trail (retention.purge; a dry run as retention.dry_run). Journal blocks
                that serve's start-up may still read (after its older snapshot) are left for a later run and
                counted as deferred. Done --by an admin account. See docs/RETENTION.md.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Flag(help: "Count what would be purged; delete nothing.") var dryRun = false
        @Option(help: "Days events are kept (default: serve's --retention-days, stored in the database, else 365).")
        var retentionDays: Int64?
        @Option(help: "The clock to purge against (RFC 3339; default: now).") var now: String?
        @Option(help: "At most this many journal blocks per transaction, ...") var batchBlocks = RetentionBatching().blocks
        @Option(help: "... and this many events (at least one block).") var batchEvents = RetentionBatching().events
        @Option(help: "Milliseconds to pause between transactions.") var pauseMs = RetentionBatching().pauseMs
        @Option(help: "Output format: table or json.") var format: OutputFormat = .table

        func validate() throws {
            if let retentionDays, retentionDays < 1 { throw ValidationError("--retention-days must be 1 or more") }
            guard batchBlocks >= 1, batchEvents >= 1 else {
                throw ValidationError("--batch-blocks and --batch-events must be 1 or more")
            }
            guard pauseMs >= 0 else { throw ValidationError("--pause-ms must be 0 or more") }
            if let now, Timestamp(rfc3339: now) == nil {
                throw ValidationError("--now must be an RFC 3339 time like 2027-12-01T00:00:00.000Z")
            }
        }

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.purgeEvents, in: store)
            let clock = now.flatMap { Timestamp(rfc3339: $0) } ?? WallClock.now()
            let plan = RetentionPlan(retentionDays: try retentionDays ?? store.retentionDays(), now: clock)
            var lastNote = Date()
            let counts = try store.purge(
                plan, dryRun: dryRun, batching: RetentionBatching(blocks: batchBlocks, events: batchEvents, pauseMs: pauseMs),
                progress: { c, block, last in
                    guard Date().timeIntervalSince(lastNote) >= 2 else { return }
                    lastNote = Date()
                    FileHandle.standardError.write(
                        Data("retention: block \(block) of \(last), \(c.eventsPurged) events purged so far\n".utf8))
                })
            try store.auditPurge(counts, by: account.name, role: account.role.rawValue, at: WallClock.now())
            print(Self.render(counts, format))
        }

        static func render(_ c: RetentionCounts, _ format: OutputFormat) -> String {
            if format == .json { return c.json }
            let rows: [[String]] = [
                ["dry run", c.dryRun ? "yes" : "no"], ["retention days", String(c.retentionDays)],
                ["cutoff", c.cutoff.rfc3339], ["events purged", String(c.eventsPurged)],
                ["events kept as evidence", String(c.eventsKeptAsEvidence)],
                ["events deferred", String(c.eventsDeferred)], ["events remaining", String(c.eventsRemaining)],
                ["blocks deleted", String(c.blocksDeleted)], ["blocks rewritten", String(c.blocksRewritten)],
                ["transactions", String(c.batches)], ["duration ms", String(c.durationMs)],
                ["complete", c.complete ? "yes" : "no"],
            ]
            return Listing(headers: ["count", "value"], rows: rows).render(format) { [c.json] }
        }
    }
}
