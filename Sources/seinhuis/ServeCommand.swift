import ArgumentParser
import Foundation
import Logging
import SeinhuisApp
import SeinhuisCore
import SeinhuisHTTP
import SeinhuisPipeline
import SeinhuisServer
import SeinhuisStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline: ZeroMQ ingest, rules, alert publication, HTTP API and /metrics.",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT (Ctrl-C): the batch in hand is committed first.
            Endpoints (PROTOCOL section 1): PULL ingest, ROUTER reliable ingest (acks after durable storage),
            PUB alerts (topic = queue), HTTP on 127.0.0.1:8460 with /metrics and /api/v1/alerts.
            Import dossiers first (seinhuis dossier import FILE): events of devices no dossier names are rejected.
            Dossiers imported while serving are picked up within a second.
            Starting with a --policy other than the one in force is a policy change: done --by an admin account.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup(title: "Rules") var rules: RuleOptions
    @Option(help: "PULL endpoint for device events.") var ingest = "tcp://127.0.0.1:7460"
    @Option(help: "ROUTER endpoint for reliable (acknowledged) ingest.") var reliable = "tcp://127.0.0.1:7461"
    @Option(help: "PUB endpoint for alerts.") var alerts = "tcp://127.0.0.1:7462"
    @Option(help: "HTTP listen address.") var httpHost = "127.0.0.1"
    @Option(help: "HTTP port (console, API, /metrics).") var httpPort = 8460
    @Option(help: "Hours a console session lasts from login.") var sessionHours: Int64 = 12
    @Option(
        help: """
            Another origin (scheme://host[:port]) whose pages may send the console's state-changing requests, \
            such as a reverse proxy's https://console.example; repeatable. serve's own (http:// and the Host) always may.
            """)
    var httpOrigin: [String] = []
    @Option(help: "Commit durability: normal survives a process crash, full also power loss.")
    var durability: Database.Durability = .normal
    @Option(
        help: """
            Milliseconds that events from the PULL endpoint may wait for a commit when nothing urgent (an alert, a \
            reliable batch's ack) commits them sooner; 0 commits every turn. PULL is unacknowledged (PROTOCOL 2.3).
            """)
    var pullCommitDelayMs: Int64 = 5
    @Option(
        help: """
            Commit a snapshot of the pipeline's state after this many events (start-up reads the latest snapshot and             the journal after it: this bounds the journal read at start).
            """)
    var snapshotEvents = 500_000
    @Option(help: "... or this many milliseconds after the previous snapshot, if any event came since.")
    var snapshotIntervalMs: Int64 = 60_000
    @OptionGroup(title: "Routing") var routing: PolicyOption
    @OptionGroup(title: "Policy change") var actor: ActorOption
    @Option(help: "Review notices (PROTOCOL 5) for radex dossiers (default) or all ET dossiers.")
    var reviewScope: ReviewScope = .radex
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Option(help: "Days events are kept after their ts, but for alerts' evidence (PROTOCOL 7; docs/RETENTION.md).")
    var retentionDays: Int64 = RetentionPlan.defaultDays
    @Option(help: "Milliseconds from ready to the first purge.") var retentionFirstRunMs: Int64 = 60_000
    @Option(help: "Milliseconds between two purges (default a day).") var retentionEveryMs: Int64 = 86_400_000
    @Option(help: "At most this many journal blocks per purge transaction, ...")
    var retentionBatchBlocks = RetentionBatching().blocks
    @Option(help: "... and this many events.") var retentionBatchEvents = RetentionBatching().events
    @Option(help: "Milliseconds between two purge transactions.") var retentionPauseMs = RetentionBatching().pauseMs
    @Option(help: "Log lines on standard error: text (key=value) or json (one object per line).")
    var logFormat: LogFormat = .text
    @Option(
        help: """
            CURVE on every ZeroMQ endpoint (PROTOCOL 7) with the keys of DIR: server.key and server.pub, \
            gateways/*.pub (may send events), subscribers/NAME.pub with NAME.queues (receive those queues' alerts).
            """)
    var curve: String?
    @Flag(help: "Without --curve, allow non-loopback endpoints and HTTP host (unauthenticated ZeroMQ).")
    var insecure = false

    func run() async throws {
        var config = ServeConfig()
        config.databasePath = database.db
        config.ingestEndpoint = ingest
        config.reliableEndpoint = reliable
        config.alertsEndpoint = alerts
        config.httpHost = httpHost
        config.httpPort = httpPort
        config.sessionHours = sessionHours
        for origin in httpOrigin where RequestGuard.normalised(origin) == nil {
            throw ValidationError("--http-origin must be scheme://host[:port] (http or https, no path), not \(origin)")
        }
        config.httpOrigins = httpOrigin
        config.durability = durability
        guard pullCommitDelayMs >= 0 else {
            throw ValidationError("--pull-commit-delay-ms must be 0 or more, not \(pullCommitDelayMs)")
        }
        config.pullCommitDelayMs = pullCommitDelayMs
        guard snapshotEvents > 0, snapshotIntervalMs > 0 else {
            throw ValidationError("--snapshot-events and --snapshot-interval-ms must be more than 0")
        }
        config.snapshotEvents = snapshotEvents
        config.snapshotIntervalMs = snapshotIntervalMs
        rules.apply(to: &config.rules)
        if let policy = routing.policy { config.policy = policy }
        config.reviewScope = reviewScope
        try applyRetention(to: &config)
        try configureLinks(&config)
        logFormat.bootstrap(level: logLevel)
        let logger = Logger(label: "seinhuis")
        // Open once up front so a bad path or a newer schema fails with a clear message before binding sockets.
        let store = try database.open()
        // Starting with another routing policy is a policy change: done by an admin account, audited (PROTOCOL 7).
        try store.recordPolicyInForce(
            version: config.policy.version, canonicalJSON: config.policy.canonicalJSON, builtIn: routing.policy == nil,
            at: now()
        ) {
            let account = try actor.account(.activatePolicies, in: store)
            return (account.name, account.role.rawValue)
        }
        if try store.userCount() == 0 {
            logger.warning(
                "no console users yet: create the first with `seinhuis user add admin --role admin` (it prints a password), then open http://\(httpHost):\(httpPort)/"
            )
        } else {
            logger.info("console at http://\(httpHost):\(httpPort)/")
        }
        try await Server(config: config, logger: logger).run()
    }
}

extension Serve {
    func applyRetention(to config: inout ServeConfig) throws {
        guard retentionDays >= 1 else { throw ValidationError("--retention-days must be 1 or more") }
        guard retentionFirstRunMs >= 0, retentionEveryMs > 0 else {
            throw ValidationError("--retention-first-run-ms must be 0 or more, --retention-every-ms more than 0")
        }
        config.retentionDays = retentionDays
        config.retentionFirstRunMs = retentionFirstRunMs
        config.retentionEveryMs = retentionEveryMs
        guard retentionBatchBlocks >= 1, retentionBatchEvents >= 1, retentionPauseMs >= 0 else {
            throw ValidationError(
                "--retention-batch-blocks and --retention-batch-events must be 1 or more, --retention-pause-ms 0 or more")
        }
        config.retentionBatching = RetentionBatching(
            blocks: retentionBatchBlocks, events: retentionBatchEvents, pauseMs: retentionPauseMs)
    }

    /// `--curve` and `--insecure`: the keys read and checked, and loopback-only without them (PROTOCOL 7).
    func configureLinks(_ config: inout ServeConfig) throws {
        do {
            if let curve { config.curve = try CurveKeys.load(directory: curve) }
            config.insecure = insecure
            try config.checkLinks()
        } catch let error as ServeError {
            throw ValidationError(error.description)
        }
    }
}

extension Database.Durability: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
