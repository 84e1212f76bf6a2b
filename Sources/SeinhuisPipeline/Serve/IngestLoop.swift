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

/// The live pipeline on one thread: it owns the PULL, ROUTER and PUB sockets, the write connection, the rule
/// engine and the alert book. Each turn takes a batch of frames, evaluates them on arrival, commits journal,
/// quarantine and alerts in one transaction, then acks reliable batches and publishes the alerts (PROTOCOL 2.3:
/// acks only after the events are durable; 4.3: alerts stored before they are published).
public final class IngestLoop: @unchecked Sendable {
    // @unchecked: configured on the lifecycle task before the ingest thread starts, then used by that thread only
    // (its mutable state lives in `run`'s locals); `metrics` is Sendable.
    let config: ServeConfig
    let metrics: PipelineMetrics
    let logger: Logger
    /// Called once the sockets are bound and state is rebuilt (tests and the CLI wait for it).
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

    private struct PendingAck {
        var identity: [UInt8]
        var batchID: [UInt8]
        var accepted = 0, duplicates = 0, rejected = 0
    }

    public func run(stop: StopFlag) throws {
        let ctx = try context ?? ZMQContext()
        let pull = try ZMQSocket(ctx, .pull)
        let router = try ZMQSocket(ctx, .router)
        let pub = try ZMQSocket(ctx, .pub)
        try pull.setHighWaterMarks(send: 100_000, receive: 100_000)
        try pub.setHighWaterMarks(send: 100_000, receive: 1000)
        try Self.bind(pull, config.ingestEndpoint, option: "--ingest")
        try Self.bind(router, config.reliableEndpoint, option: "--reliable")
        try Self.bind(pub, config.alertsEndpoint, option: "--alerts")
        if context != nil { try pub.bind(Self.liveEndpoint) }

        let store = try Store(path: config.databasePath, durability: config.durability)
        // Checkpoints on their own thread: never an fsync inside an ingest commit.
        try store.db.execute("PRAGMA wal_autocheckpoint=0")
        let checkpointer = Checkpointer(path: config.databasePath, logger: logger)
        defer { checkpointer.finish() }
        var catalog = try DossierCatalog.load(from: store)
        let known = DeviceSet(catalog.devices)
        // Live timers follow each device's reporting lag, so a store-and-forward upload is judged in event time
        // without timers firing between its events (docs/RULES.md, "Timers in serve").
        var rules = config.rules
        rules.timersFollowDeviceLag = true
        var engine = RuleEngine(config: rules)
        var changes: [BreachChange] = []
        let startedAt = WallClock.now()
        engine.load(catalog.dossiers, at: Timestamp.distantPast, into: &changes)
        let ingest = Ingestor(store: store, isKnownDevice: { known.contains($0) })
        try ingest.register(catalog.devices)
        var book = AlertBook(policy: config.policy, nextNumber: try store.nextAlertNumber())
        book.radex = catalog.radexByDossier

        // Rebuild: the duplicate filter and the rule state from the journal, then reconcile with stored alerts.
        var openAtStart: [BreachKey: Timestamp] = [:]
        var lastCleared: [BreachKey: Timestamp] = [:]
        func track(_ cs: [BreachChange]) {
            for c in cs {
                switch c {
                case .raised(let k, let at): openAtStart[k] = at
                case .cleared(let k, let at):
                    openAtStart[k] = nil
                    lastCleared[k] = at
                }
            }
        }
        track(changes)
        changes.removeAll()
        let replayed = try ingest.rebuild { e in
            engine.advance(to: e.ts, into: &changes)
            _ = engine.process(e, into: &changes)
            track(changes)
            changes.removeAll(keepingCapacity: true)
        }
        engine.advance(to: startedAt, into: &changes)
        track(changes)
        changes.removeAll()
        var recovered: [Alert] = []
        for a in try store.alerts(Store.AlertFilter(state: nil)) where a.device != nil {
            guard let kind = a.kind.breachKind else { continue }
            let key = BreachKey(dossier: a.dossier, device: a.device!, kind: kind, zone: a.zone)
            if a.clearedAt != nil {
                book.adopt(a, key: nil)  // pending escalation, if any
            } else if openAtStart.removeValue(forKey: key) != nil {
                book.adopt(a, key: key)
            } else {
                var cleared = a
                cleared.clearedAt = lastCleared[key] ?? startedAt
                recovered.append(cleared)
                book.adopt(cleared, key: nil)
            }
        }
        for (key, at) in openAtStart.sorted(by: { $0.value < $1.value }) {
            if let a = book.apply(.raised(key, at: at), detectedAt: startedAt) { recovered.append(a) }
        }
        if !recovered.isEmpty {
            try store.transaction { for a in recovered { try store.save(a, at: startedAt) } }
        }
        ingest.counts = IngestCounts()
        var reviewNotices = ReviewNoticeTimer(scope: config.reviewScope, policy: config.policy.version)
        reviewNotices.use(catalog.dossiers)
        try reviewNotices.load(store)  // before the sockets are served, not on the first turn
        logger.info(
            "pipeline ready",
            metadata: [
                "ingest": "\(config.ingestEndpoint)", "reliable": "\(config.reliableEndpoint)",
                "alerts": "\(config.alertsEndpoint)", "db": "\(config.databasePath)",
                "dossiers": "\(catalog.dossiers.count)", "journal.events": "\(replayed)",
                "alerts.open": "\(book.openCount)",
            ])
        if catalog.dossiers.isEmpty {
            logger.warning(
                "no dossiers in the database: every event is rejected as unknown_device until dossiers are imported (seinhuis dossier import FILE)"
            )
        }
        onReady()

        // Exact percentiles of the same detection latency (µs) for the log line at the end of the run (the metric's
        // buckets are coarse); `simulator loadrun` reads them.
        var detection = Histogram<UInt64>(
            highestTrackableValue: Self.detectionMaxMicros, numberOfSignificantValueDigits: .three)
        var poller = ZMQPoller([pull, router])
        var acks: [PendingAck] = []
        var alerts: [Alert] = []
        var counts = IngestCounts()
        var lastVersion = try store.db.dataVersion()
        var lastDossierStamp = try store.dossierChangeKey()
        var lastActionID = try store.lastActionID()
        var lastCheck = WallClock.monotonicNanos()
        var now = WallClock.now()
        // Commits of PULL-only turns are grouped (`pullCommitDelayMs`): when the first uncommitted event was taken
        // (0: nothing pending), and what the run did, for the log line at its end.
        var pendingSince: UInt64 = 0
        /// When the last turn found both ingest sockets empty; under overload (a turn ended at `maxBatch`), that
        /// turn's start instead: the frames behind a full batch then count from it (the backlog's age is unknown).
        var lastDrained = WallClock.monotonicNanos()
        let commitDelay = UInt64(max(0, config.pullCommitDelayMs)) * 1_000_000
        var turns = 0
        var commitTimes = Histogram<UInt64>(
            highestTrackableValue: Self.detectionMaxMicros, numberOfSignificantValueDigits: .two)

        /// Commits the batch (journal block, quarantine) with the alerts to publish; on failure nothing of it is
        /// stored or acknowledged.
        func commit() {
            let t0 = WallClock.monotonicNanos()
            let batchEvents = ingest.block.count
            do {
                try store.transaction {
                    try ingest.writeBatch(receivedAt: now)
                    for a in alerts { try store.save(a, at: now) }
                }
            } catch {
                // Nothing of the batch is stored, so nothing is acked: reliable clients resend, and the
                // duplicate filter forgets the batch so the resend is accepted. PULL frames are lost, as
                // PROTOCOL 2.3 allows for the unacknowledged endpoint.
                logger.error(
                    "batch not stored; not acknowledged",
                    metadata: ["error": "\(error)", "events": "\(batchEvents)", "alerts": "\(alerts.count)"])
                ingest.discardBatch()
                acks.removeAll(keepingCapacity: true)
                alerts.removeAll(keepingCapacity: true)
            }
            pendingSince = 0
            let nanos = WallClock.monotonicNanos() - t0
            metrics.commitSeconds.recordNanoseconds(Int64(nanos))
            commitTimes.record(min(nanos / 1000, Self.detectionMaxMicros))
            if batchEvents > 0 { metrics.batchEvents.record(Double(batchEvents)) }
        }

        func handle(_ frame: UnsafeRawBufferPointer, source: String) throws {
            guard let (e, ruleIndex) = try ingest.take(frame, source: source, ruleIndex: { engine.deviceIndex(of: $0) })
            else { return }
            if e.ts.milliseconds > now.milliseconds + config.maxClockSkewMs {
                ingest.counts.clockSkewed += 1
                return
            }
            guard let ruleIndex else {
                ingest.counts.notEvaluated += 1
                return
            }
            switch engine.process(e, deviceIndex: ruleIndex, into: &changes) {
            case .late: ingest.counts.late += 1
            case .outsidePeriod, .noDossier: ingest.counts.notEvaluated += 1
            case .evaluated: break
            }
        }

        while !stop.isSet {
            now = WallClock.now()
            var timeout = 50
            if let d = engine.nextDeadline { timeout = Int(max(0, min(Int64(timeout), d - now))) }
            if let d = book.nextEscalation { timeout = Int(max(0, min(Int64(timeout), d - now))) }
            if pendingSince > 0 {
                let due = pendingSince + commitDelay
                let mono = WallClock.monotonicNanos()
                timeout = min(timeout, due > mono ? Int((due - mono + 999_999) / 1_000_000) : 0)
            }
            // Frames already waiting came in after the previous turn emptied the sockets: their detection latency
            // counts from then (an upper bound), not from this turn's start. Otherwise from the poll's return.
            let waiting = pull.hasInput || router.hasInput
            let ready = try poller.poll(timeoutMs: timeout)
            let turnStart = WallClock.monotonicNanos()
            let arrival = waiting ? lastDrained : turnStart
            turns += 1
            now = WallClock.now()
            engine.advance(to: now, into: &changes)
            var frames = 0
            var pullCounts = IngestCounts()
            if ready[0] {
                while frames < config.maxBatch {
                    let got: Bool? = try pull.receive(dontWait: true) { bytes, _ in
                        try handle(bytes, source: "pull")
                        return true
                    }
                    if got == nil { break }
                    frames += 1
                }
                pullCounts = ingest.counts
                ingest.counts = IngestCounts()
            }
            if ready[1] {
                while frames < config.maxBatch {
                    guard let identity = try router.receive(dontWait: true, { bytes, more in (Array(bytes), more) })
                    else { break }
                    guard identity.1 else { continue }
                    var ack = PendingAck(identity: identity.0, batchID: [])
                    var more = true
                    var first = true
                    let before = ingest.counts
                    while more {
                        _ = try router.receive { bytes, m in
                            if first { ack.batchID = Array(bytes) } else { try handle(bytes, source: "reliable") }
                            more = m
                        }
                        if !first { frames += 1 }
                        first = false
                    }
                    ack.accepted = ingest.counts.accepted - before.accepted
                    ack.duplicates = ingest.counts.duplicates - before.duplicates
                    ack.rejected = ingest.counts.rejected - before.rejected
                    acks.append(ack)
                }
            }
            lastDrained = frames < config.maxBatch ? WallClock.monotonicNanos() : turnStart
            for c in changes { if let a = book.apply(c, detectedAt: now) { alerts.append(a) } }
            changes.removeAll(keepingCapacity: true)
            // Escalation on the receive clock; the database says whether someone responded meanwhile.
            alerts += try book.escalate(dueBy: now) { id in
                guard let p = try store.progress(alertID: id) else { return true }
                return p.respondedAt != nil || p.state == .closed
            }
            alerts += try reviewNotices.notices(now: now, store: store) { book.issueID() }

            if !alerts.isEmpty || !acks.isEmpty || ingest.block.count >= config.maxBatch {
                commit()
            } else if ingest.hasPending {
                if pendingSince == 0 { pendingSince = arrival }
                if WallClock.monotonicNanos() >= pendingSince + commitDelay { commit() }
            }
            for a in acks {
                try router.send(a.identity, more: true)
                try router.send(a.batchID, more: true)
                try router.send("ok", more: true)
                try router.send(String(a.accepted), more: true)
                try router.send(String(a.duplicates), more: true)
                try router.send(String(a.rejected))
            }
            acks.removeAll(keepingCapacity: true)
            for a in alerts {
                let json = a.json
                for q in a.queues {
                    try pub.send(q.rawValue, more: true)
                    try pub.send(json)
                    metrics.alertsPublished.increment()
                }
                if a.clearedAt == nil && a.state == .open && a.escalation == 0 && a.escalatedAt == nil {
                    metrics.alertsRaised.increment()
                    if frames > 0 {
                        let nanos = WallClock.monotonicNanos() - arrival
                        metrics.detectionSeconds.recordNanoseconds(Int64(nanos))
                        detection.record(min(nanos / 1000, Self.detectionMaxMicros))
                    }
                }
            }
            alerts.removeAll(keepingCapacity: true)
            metrics.record(pullCounts, source: "pull")
            metrics.record(ingest.counts, source: "reliable")
            counts.add(pullCounts)
            counts.add(ingest.counts)
            ingest.counts = IngestCounts()

            // About once a second: notice other processes' writes (dossier imports by the CLI).
            let mono = WallClock.monotonicNanos()
            if mono - lastCheck > 1_000_000_000 {
                lastCheck = mono
                let v = try store.db.dataVersion()
                if v != lastVersion {
                    lastVersion = v
                    reviewNotices.invalidate()  // a review recorded or dossiers imported by another process
                    // Operators' actions (the CLI or the API in another process): publish the new state.
                    let actions = try store.actions(afterID: lastActionID)
                    lastActionID = actions.last?.id ?? lastActionID
                    var seen = Set<String>()
                    for action in actions where seen.insert(action.alertID).inserted {
                        guard let a = try store.alert(id: action.alertID) else { continue }
                        book.refresh(a)
                        let json = a.json
                        for q in a.queues {
                            try pub.send(q.rawValue, more: true)
                            try pub.send(json)
                            metrics.alertsPublished.increment()
                        }
                    }
                    let stamp = try store.dossierChangeKey()
                    if stamp != lastDossierStamp {
                        lastDossierStamp = stamp
                        catalog = try DossierCatalog.load(from: store)
                        known.replace(catalog.devices)
                        ingest.devicesChanged()
                        try ingest.register(catalog.devices)
                        book.radex = catalog.radexByDossier
                        reviewNotices.use(catalog.dossiers)
                        engine.load(catalog.dossiers, at: now, into: &changes)
                        logger.info("dossiers reloaded", metadata: ["dossiers": "\(catalog.dossiers.count)"])
                    }
                }
            }
        }
        if ingest.hasPending { commit() }
        logger.info(
            "pipeline stopped",
            metadata: [
                "turns": "\(turns)", "commits": "\(commitTimes.totalCount)",
                "commit.p50_us": "\(commitTimes.valueAtPercentile(50))",
                "commit.p99_us": "\(commitTimes.valueAtPercentile(99))",
                "accepted": "\(counts.accepted)", "duplicates": "\(counts.duplicates)",
                "rejected": "\(counts.rejected)", "detection.alerts": "\(detection.totalCount)",
                "detection.p50_us": "\(detection.valueAtPercentile(50))",
                "detection.p99_us": "\(detection.valueAtPercentile(99))",
                "detection.p999_us": "\(detection.valueAtPercentile(99.9))",
            ])
    }

    /// Detection latencies above a minute are recorded as a minute.
    static let detectionMaxMicros: UInt64 = 60_000_000
}

/// `serve` cannot start: a clear message for the operator.
public struct ServeError: Error, CustomStringConvertible {
    public var description: String
}

extension IngestLoop {
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

/// The devices named by dossiers, replaceable when dossiers are re-imported (touched by the ingest thread only).
final class DeviceSet {
    private var devices: Set<String>
    init(_ d: Set<String>) { devices = d }
    func contains(_ d: String) -> Bool { devices.contains(d) }
    func replace(_ d: Set<String>) { devices = d }
}
