#if canImport(Glibc)
    import Glibc
#endif
import Histogram
import Logging
import SeinhuisCore
import SeinhuisStore
import Synchronization
import ZeroMQ

/// Tells the ingest thread to stop (set from the lifecycle's graceful shutdown).
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func set() { flag.store(true, ordering: .releasing) }
    public var isSet: Bool { flag.load(ordering: .acquiring) }
}

/// `serve`'s ingest thread: the transports around the pipeline. It owns the PULL, ROUTER and PUB sockets and the
/// write connection; the pipeline (`LivePipeline`, in Core) does everything between a frame's bytes and its alerts.
/// Each turn: wait for frames or the next deadline, move the pipeline's clock, hand it the frames (the reliable
/// endpoint served fairly beside a flooded PULL), escalate what is due (asking the store who responded meanwhile),
/// raise review notices; commit journal block, quarantine, alerts (and now and then a snapshot) in one transaction;
/// only then acknowledge reliable batches and publish the alerts (PROTOCOL 2.3 and 4.3).
public final class IngestLoop: @unchecked Sendable {
    // @unchecked: configured on the lifecycle task before the ingest thread starts, then used by that thread only
    // (its mutable state lives in a `ServeTurns` of `run`); `metrics` is Sendable.
    let config: ServeConfig
    let metrics: PipelineMetrics
    let logger: Logger
    /// Called once the sockets are bound and the state is loaded (tests and the CLI wait for it).
    public var onReady: @Sendable () -> Void = {}

    /// The ZeroMQ context of the pipeline's sockets, shared with the console's feed (nil: a context of its own).
    let context: ZMQContext?
    /// Where the PUB socket is also bound in-process, for the console's feed (`AlertFollower`) in the same context.
    public static let liveEndpoint = "inproc://seinhuis-alerts"

    public init(config: ServeConfig, metrics: PipelineMetrics, logger: Logger, context: ZMQContext? = nil) {
        self.config = config
        self.metrics = metrics
        self.logger = logger
        self.context = context
    }

    public func run(stop: StopFlag) throws {
        let ctx = try context ?? ZMQContext()
        // With CURVE, the ZAP handler is bound before any socket and stops after they are closed (`serve` returns
        // first): without it, libzmq would admit every key.
        let zap = try config.curve.map { try ZAPHandler(ctx, keys: $0, registry: metrics.registry, logger: logger) }
        defer { zap?.finish() }
        try serve(ctx, zap: zap, stop: stop)
    }

    private func serve(_ ctx: ZMQContext, zap: ZAPHandler?, stop: StopFlag) throws {
        let sockets = try ServeSockets(
            ctx, config: config, inProcess: context != nil ? Self.liveEndpoint : nil, zap: zap)
        zap?.start()
        let store = try Store(path: config.databasePath, durability: config.durability)
        // Checkpoints on their own thread: never an fsync inside an ingest commit.
        try store.db.execute("PRAGMA wal_autocheckpoint=0")
        let checkpointer = Checkpointer(path: config.databasePath, logger: logger)
        defer { checkpointer.finish() }
        let startedAt = WallClock.now()
        let t0 = WallClock.monotonicNanos()
        let outcome = try Startup(store: store, settings: config.pipelineSettings, logger: logger)
            .run(startedAt: startedAt)
        let turns = try ServeTurns(
            config: config, sockets: sockets, store: store, outcome: outcome, metrics: metrics, logger: logger)
        try turns.publish(outcome.alerts)
        let s = outcome.summary
        logger.info(
            "pipeline ready",
            metadata: [
                "ingest": "\(config.ingestEndpoint)", "reliable": "\(config.reliableEndpoint)",
                "alerts": "\(config.alertsEndpoint)", "db": "\(config.databasePath)",
                "curve": "\(config.curve != nil ? "on" : "off")",
                "dossiers": "\(outcome.pipeline.dossiers.dossiers.count)",
                "snapshot": "\(outcome.snapshotID.map(String.init) ?? "none")",
                "journal.events_after_snapshot": "\(s.events)", "journal.not_evaluated": "\(s.notEvaluated)",
                "alerts.reattached": "\(s.reattached)", "alerts.cleared_at_start": "\(s.cleared)",
                "alerts.raised_at_start": "\(s.raised)", "alerts.open": "\(outcome.pipeline.book.openCount)",
                "startup_ms": "\((WallClock.monotonicNanos() - t0) / 1_000_000)",
            ])
        if outcome.pipeline.dossiers.dossiers.isEmpty {
            logger.warning(
                "no dossiers in the database: every event is rejected as unknown_device until dossiers are imported (seinhuis dossier import FILE)"
            )
        }
        metrics.status.setReady()
        onReady()
        while !stop.isSet { try turns.turn() }
        try turns.finish()
    }

    /// Detection latencies above a minute are recorded as a minute.
    static let detectionMaxMicros: UInt64 = 60_000_000
}

/// `serve` cannot start: a clear message for the operator.
public struct ServeError: Error, CustomStringConvertible {
    public var description: String
}

/// Whether the pipeline has loaded its state (`/readyz`): `/healthz` answers as soon as HTTP is up, this only once
/// the snapshot and the journal after it are read and the sockets are served.
public final class PipelineStatus: Sendable {
    private let ready = Atomic<Bool>(false)
    private let poked = Atomic<Bool>(false)
    public init() {}
    /// Another part of the process (the HTTP API) wrote something for the pipeline to publish: look at once rather
    /// than within the second.
    public func poke() { poked.store(true, ordering: .releasing) }
    func takePoke() -> Bool { poked.exchange(false, ordering: .acquiringAndReleasing) }
    public var isReady: Bool { ready.load(ordering: .acquiring) }
    public func setReady() { ready.store(true, ordering: .releasing) }
}

/// The ingest thread's sockets.
struct ServeSockets {
    let pull: ZMQSocket
    let router: ZMQSocket
    /// A PUB socket; with CURVE an XPUB in manual mode, its subscriptions applied by `gate`.
    let pub: ZMQSocket
    let gate: SubscriberGate?
    /// The ZAP domains of the three endpoints (and the `endpoint` label of the refused count).
    static let domains = ["ingest", "reliable", "alerts"]

    init(_ ctx: ZMQContext, config: ServeConfig, inProcess: String?, zap: ZAPHandler? = nil) throws {
        pull = try ZMQSocket(ctx, .pull)
        router = try ZMQSocket(ctx, .router)
        pub = try ZMQSocket(ctx, zap == nil ? .pub : .xpub)
        try pull.setHighWaterMarks(send: 100_000, receive: 100_000)
        try pub.setHighWaterMarks(send: 100_000, receive: 1000)
        if let zap {
            let secret = zap.keys.serverSecret
            for (socket, domain) in zip([pull, router, pub], Self.domains) {
                try socket.makeCurveServer(secretKey: secret, zapDomain: domain)
                try zap.monitor(socket, domain: domain)
            }
            try pub.setManualSubscriptions()
            gate = SubscriberGate(queues: zap.keys.queues)
        } else {
            gate = nil
        }
        try Self.bind(pull, config.ingestEndpoint, option: "--ingest")
        try Self.bind(router, config.reliableEndpoint, option: "--reliable")
        try Self.bind(pub, config.alertsEndpoint, option: "--alerts")
        if let inProcess { try pub.bind(inProcess) }
    }

    static func bind(_ socket: ZMQSocket, _ endpoint: String, option: String) throws {
        do {
            try socket.bind(endpoint)
        } catch {
            var hint = ""
            if error.code == EADDRINUSE { hint = ": is another seinhuis serve running? Choose another with \(option)" }
            throw ServeError(description: "cannot bind \(endpoint) (\(error.message))\(hint)")
        }
    }
}
