import Histogram
import Logging
import SeinhuisCore
import SeinhuisStore
import ZeroMQ

/// The turns of `serve`'s ingest thread (see `IngestLoop`): its sockets, its write connection, the pipeline, and
/// what a turn remembers for the next (pending acks, the commit delay, the watch on other processes' writes).
final class ServeTurns {
    let config: ServeConfig
    let sockets: ServeSockets
    let store: Store
    let pipeline: LivePipeline
    let metrics: PipelineMetrics
    let logger: Logger

    struct PendingAck {
        var identity: [UInt8]
        var batchID: [UInt8]
        var accepted = 0, duplicates = 0, rejected = 0
    }

    var poller: ZMQPoller
    var acks: [PendingAck] = []
    /// The dossier load in force (snapshots name it).
    var loadID: Int64
    var watch: OtherWriters
    /// Commits of PULL-only turns are grouped (`pullCommitDelayMs`): when the first uncommitted event was taken
    /// (0: nothing pending).
    var pendingSince: UInt64 = 0
    /// When the last turn found both ingest sockets empty; under overload (a turn ended at `maxBatch`), that turn's
    /// start instead: the frames behind a full batch then count from it (the backlog's age is unknown).
    var lastDrained = WallClock.monotonicNanos()
    var lastSnapshot = WallClock.monotonicNanos()
    let commitDelay: UInt64
    var frames = 0
    var arrival: UInt64 = 0
    var accepted = (pull: 0, reliable: 0)
    // What the run did, for the log line at its end (`simulator loadrun` reads it).
    var turns = 0
    var totals = IngestCounts()
    var detection = Histogram<UInt64>(
        highestTrackableValue: IngestLoop.detectionMaxMicros, numberOfSignificantValueDigits: .three)
    var commitTimes = Histogram<UInt64>(
        highestTrackableValue: IngestLoop.detectionMaxMicros, numberOfSignificantValueDigits: .two)

    init(
        config: ServeConfig, sockets: ServeSockets, store: Store, outcome: Startup.Outcome, metrics: PipelineMetrics,
        logger: Logger
    ) throws {
        self.config = config
        self.sockets = sockets
        self.store = store
        store.fixWriteIntervalMs = 1000  // the map's fixes: once a second, not with every commit
        pipeline = outcome.pipeline
        loadID = outcome.loadID
        self.metrics = metrics
        self.logger = logger
        poller = ZMQPoller([sockets.pull, sockets.router] + (sockets.gate != nil ? [sockets.pub] : []))
        commitDelay = UInt64(max(0, config.pullCommitDelayMs)) * 1_000_000
        watch = try OtherWriters(store)
        try loadReviews()
        // Changes made while serve was down (the command line's actions) are published now.
        try publishPending()
    }

    /// One turn of the loop.
    func turn() throws {
        var timeout = 50
        let now0 = WallClock.now()
        if let d = pipeline.order.engine.nextDeadline { timeout = Int(max(0, min(Int64(timeout), d - now0))) }
        if let d = pipeline.book.nextEscalation { timeout = Int(max(0, min(Int64(timeout), d - now0))) }
        if pendingSince > 0 {
            let due = pendingSince + commitDelay
            let mono = WallClock.monotonicNanos()
            timeout = min(timeout, due > mono ? Int((due - mono + 999_999) / 1_000_000) : 0)
        }
        // Frames already waiting came in after the previous turn emptied the sockets: their detection latency
        // counts from then (an upper bound), not from this turn's start. Otherwise from the poll's return.
        let waiting = sockets.pull.hasInput || sockets.router.hasInput
        let ready = try poller.poll(timeoutMs: timeout)
        let turnStart = WallClock.monotonicNanos()
        arrival = waiting ? lastDrained : turnStart
        turns += 1
        if let gate = sockets.gate, ready.count > 2, ready[2] { try gate.serve(sockets.pub) }
        pipeline.advance(to: WallClock.now())
        frames = 0
        try readFrames(pullReady: ready[0], reliableReady: ready[1])
        lastDrained = frames < config.maxBatch ? WallClock.monotonicNanos() : turnStart
        // Escalation on the receive clock; the database says how each queue has handled the alerts meanwhile.
        let due = pipeline.dueEscalations
        if !due.isEmpty { pipeline.escalate(current: try due.compactMap { try store.alert(id: $0) }) }
        pipeline.raiseReviewNotices()

        let snapshotDue = isSnapshotDue
        if !pipeline.alerts.isEmpty || !acks.isEmpty || pipeline.intake.block.count >= config.maxBatch
            || snapshotDue
        {
            try commitAndPublish(snapshot: snapshotDue)
        } else if pipeline.intake.hasPending {
            if pendingSince == 0 { pendingSince = arrival }
            if WallClock.monotonicNanos() >= pendingSince + commitDelay { try commitAndPublish(snapshot: false) }
        }
        recordCounts()
        try store.writeLatestFixesIfDue(at: WallClock.now())
        if let change = try watch.check(store, poked: metrics.status.takePoke()) { try follow(change) }
    }

    /// Whether this turn's commit should carry a snapshot: after `snapshotEvents` events, or `snapshotIntervalMs`
    /// after the last one if any event came since.
    var isSnapshotDue: Bool {
        let n = pipeline.eventsSinceSnapshot
        guard n > 0 else { return false }
        if n >= config.snapshotEvents { return true }
        return WallClock.monotonicNanos() - lastSnapshot >= UInt64(max(0, config.snapshotIntervalMs)) * 1_000_000
    }

    /// Commits, then acknowledges the reliable batches and publishes the alerts.
    func commitAndPublish(snapshot: Bool) throws {
        let alerts = commit(snapshot: snapshot)
        try acknowledge()
        try publish(alerts)
    }

    /// Commits the batch (journal block, quarantine) with the alerts, and a snapshot if asked; returns the alerts to
    /// publish. On failure nothing of it is stored or acknowledged: reliable clients resend (the duplicate filter
    /// forgets the batch so the resend is accepted); PULL frames are lost, as PROTOCOL 2.3 allows for the
    /// unacknowledged endpoint; the alerts wait for the next commit.
    func commit(snapshot: Bool) -> [Alert] {
        let t0 = WallClock.monotonicNanos()
        let intake = pipeline.intake
        let batchEvents = intake.block.count
        let at = pipeline.clock
        var published: [Alert] = []
        var saved = pipeline.alerts
        do {
            try store.transaction {
                try store.write(intake.block, rejections: intake.rejections, receivedAt: at)
                // Each publication gets its rev here, in the order it will be published.
                for k in saved.indices { try store.save(&saved[k], at: at) }
                if snapshot {
                    try store.saveSnapshot(
                        pipeline.snapshot().bytes, format: PipelineSnapshot.format, takenAt: at,
                        journalThrough: try store.lastJournalBlock(), dossierLoad: loadID)
                }
            }
            if snapshot { lastSnapshot = WallClock.monotonicNanos() }
            _ = pipeline.stored()
            published = saved
        } catch {
            logger.error(
                "batch not stored; not acknowledged",
                metadata: ["error": "\(error)", "events": "\(batchEvents)", "alerts": "\(pipeline.alerts.count)"])
            pipeline.storeFailed()
            acks.removeAll(keepingCapacity: true)
        }
        pendingSince = 0
        let nanos = WallClock.monotonicNanos() - t0
        metrics.commitSeconds.recordNanoseconds(Int64(nanos))
        commitTimes.record(min(nanos / 1000, IngestLoop.detectionMaxMicros))
        if batchEvents > 0 { metrics.batchEvents.record(Double(batchEvents)) }
        return published
    }

    func acknowledge() throws {
        let router = sockets.router
        for a in acks {
            try router.send(a.identity, more: true)
            let frames = ReliableFraming.ack(
                batchID: a.batchID, accepted: a.accepted, duplicates: a.duplicates, rejected: a.rejected)
            for (k, f) in frames.enumerated() { try router.send(f, more: k < frames.count - 1) }
        }
        acks.removeAll(keepingCapacity: true)
    }

    /// Publishes stored alerts on the PUB socket, once per queue they reached (topic = queue name).
    func publish(_ alerts: [Alert]) throws {
        for a in alerts {
            let json = a.json
            for q in a.queues {
                try sockets.pub.send(q.rawValue, more: true)
                try sockets.pub.send(json)
                metrics.alertsPublished.increment()
            }
            if a.clearedAt == nil && a.state == .open && a.escalation == 0 && a.escalatedAt == nil {
                metrics.alertsRaised.increment()
                if frames > 0 {
                    let nanos = WallClock.monotonicNanos() - arrival
                    metrics.detectionSeconds.recordNanoseconds(Int64(nanos))
                    detection.record(min(nanos / 1000, IngestLoop.detectionMaxMicros))
                }
            }
        }
    }

    func recordCounts() {
        let c = pipeline.takeCounts()
        metrics.record(c, accepted: accepted)
        accepted = (0, 0)
        totals.add(c)
    }

    /// A graceful stop: what is held is committed, with a snapshot, so the next start reads no journal.
    func finish() throws {
        try commitAndPublish(snapshot: true)
        store.fixWriteIntervalMs = 0  // the map's pending fixes too
        try store.writeLatestFixesIfDue(at: WallClock.now())
        recordCounts()
        logger.info(
            "pipeline stopped",
            metadata: [
                "turns": "\(turns)", "commits": "\(commitTimes.totalCount)",
                "commit.p50_us": "\(commitTimes.valueAtPercentile(50))",
                "commit.p99_us": "\(commitTimes.valueAtPercentile(99))",
                "accepted": "\(totals.accepted)", "duplicates": "\(totals.duplicates)",
                "rejected": "\(totals.rejected)", "detection.alerts": "\(detection.totalCount)",
                "detection.p50_us": "\(detection.valueAtPercentile(50))",
                "detection.p99_us": "\(detection.valueAtPercentile(99))",
                "detection.p999_us": "\(detection.valueAtPercentile(99.9))",
            ])
    }
}
