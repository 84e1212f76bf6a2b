import SeinhuisCore
import SeinhuisStore

/// The result of a replay.
public struct ReplaySummary: Sendable {
    public var counts = IngestCounts()
    public var alertsRaised = 0
    public var alertsCleared = 0
    public var escalations = 0
    public var bytes = 0
    /// The replay itself: from the rule engine's setup to the last commit (what `lines_per_s` is over).
    public var seconds = 0.0
    /// CPU time of the main thread (reordering, rules, alerts, commits) and of the reader thread (lines, decoding,
    /// duplicates, journal block) during the replay. On a shared machine the wall time depends on the others' load;
    /// these much less, and `lines / max(both)` is the ceiling with two free cores (the threads overlapping fully).
    public var mainCPUSeconds = 0.0
    public var readerCPUSeconds = 0.0
    /// Lines per second of the busier thread's CPU time (see `mainCPUSeconds`).
    public var cpuBoundLinesPerSecond: Double {
        let busiest = max(mainCPUSeconds, readerCPUSeconds)
        return busiest > 0 ? Double(counts.frames) / busiest : 0
    }
    /// Loading the dossier catalog before it (parsing every stored dossier), counted apart; set by the caller.
    public var catalogSeconds = 0.0

    public var eventsPerSecond: Double { seconds > 0 ? Double(counts.frames) / seconds : 0 }

    public var json: String {
        var o = JSONObjectWriter()
        o.raw("counts", counts.json)
        o.int("alerts_raised", alertsRaised)
        o.int("alerts_cleared", alertsCleared)
        o.int("escalations", escalations)
        o.int("bytes", bytes)
        o.double("seconds", (seconds * 1000).rounded() / 1000)
        o.double("lines_per_s", eventsPerSecond.rounded())
        o.double("catalog_seconds", (catalogSeconds * 1000).rounded() / 1000)
        o.double("main_cpu_seconds", (mainCPUSeconds * 1000).rounded() / 1000)
        o.double("reader_cpu_seconds", (readerCPUSeconds * 1000).rounded() / 1000)
        return o.finish()
    }
}

/// `seinhuis replay`: runs an NDJSON event file through the same pipeline as `serve` (PROTOCOL 2.1, 4.1), in
/// event time and offline: a `ReplayPipeline`, whose order of judging is the replay sequencer. Deterministic: the
/// same file into a fresh database gives the same alerts, ids included.
public struct Replay {
    public var eventsPerCommit = 65_536
    /// Lines per chunk handed from the reader thread to the main thread (at most `eventsPerCommit`).
    public var linesPerHandOver = 8192
    public var policy = RoutingPolicy.v1
    public var rules = RuleConfig()

    public init() {}

    /// Replays `path` into `store`. `progress` is called after every commit with the counts so far and bytes read.
    ///
    /// Two threads: the reader (`ReplayReader`: lines, and the pipeline's intake: decoding, duplicates, journal
    /// block) and this one (the rest of the pipeline: reordering, rules, alerts; and the commits).
    public func run(
        path: String, store: Store, dossiers: DossierSet,
        progress: (IngestCounts, Int) -> Void = { _, _ in }
    ) throws -> ReplaySummary {
        let started = WallClock.monotonicNanos()
        let startedCPU = threadCPUSeconds()
        var settings = PipelineSettings()
        settings.rules = rules
        settings.policy = policy
        let freshJournal = try store.lastJournalBlock() == 0
        let pipeline = ReplayPipeline(
            settings: settings, dossiers: dossiers, journalIDs: try store.journalIDs(dossiers.devices),
            nextAlertNumber: try store.nextAlertNumber())
        // The duplicate filter knows what the journal holds already (PROTOCOL 2.1: across the whole history).
        try store.forEachJournalEvent(afterBlock: 0) { _, e, _, _ in pipeline.intake.markSeen(e.device, seq: e.seq) }
        var ruleIndex: [String: Int32] = [:]
        for d in dossiers.devices { if let i = pipeline.order.engine.deviceIndex(of: d) { ruleIndex[d] = Int32(i) } }
        let reader = ReplayReader(
            path: path, ingest: pipeline.intake, ruleIndex: ruleIndex, eventsPerCommit: eventsPerCommit,
            linesPerHandOver: linesPerHandOver)
        reader.start()
        var summary = ReplaySummary()

        func commit(_ batch: IngestBatch, counts: IngestCounts, snapshot: Bool = false) throws {
            let at = pipeline.clock
            // Every publication is saved and takes the next `rev`, as in serve, so the revs do not depend on where
            // the commits fall.
            let alerts = pipeline.alerts
            try store.transaction {
                try store.write(batch.block, rejections: batch.rejections, receivedAt: at)
                for a in alerts {
                    var stored = a
                    try store.save(&stored, at: at)
                }
                if snapshot { try saveSnapshot(pipeline, store: store) }
            }
            _ = pipeline.alertsStored()
            var c = counts
            c.late = pipeline.order.counts.late
            c.notEvaluated = pipeline.order.counts.notEvaluated
            progress(c, summary.bytes)
        }

        var last: ReplayChunk?
        var ended = false
        do {
            loop: while true {
                switch reader.next() {
                case .end:
                    ended = true
                    break loop
                case .failed(let message):
                    throw ReplayReadError(description: message)
                case .chunk(let chunk):
                    // The commit after every `eventsPerCommit` lines, where one thread made it: after the chunk's
                    // events, before the next's. The file's last chunk is committed after the end of the file.
                    if let prev = last, prev.endsCommit { try commit(prev.batch, counts: prev.counts) }
                    for k in chunk.events.indices {
                        let r = chunk.ruleIndex[k]
                        pipeline.judge(chunk.events[k], deviceIndex: r >= 0 ? Int(r) : nil, receivedAt: .distantPast)
                    }
                    last = chunk
                }
            }
            reader.join()
        } catch {
            if !ended { reader.cancel() }
            throw error
        }
        let final = last ?? ReplayChunk(capacity: 0)
        summary.bytes = final.bytes
        pipeline.finish()
        // Into a fresh journal, the replay's end state is a snapshot `serve` can start from (PROTOCOL 2.4).
        try commit(final.batch, counts: final.counts, snapshot: freshJournal)
        summary.counts = final.counts
        summary.counts.late = pipeline.order.counts.late
        summary.counts.notEvaluated = pipeline.order.counts.notEvaluated
        summary.alertsRaised = pipeline.tally.raised
        summary.alertsCleared = pipeline.tally.cleared
        summary.escalations = pipeline.tally.escalations
        summary.seconds = Double(WallClock.monotonicNanos() - started) / 1e9
        summary.mainCPUSeconds = threadCPUSeconds() - startedCPU
        summary.readerCPUSeconds = final.cpuSeconds
        return summary
    }

    /// The replay's end state as `serve`'s starting point: its dossiers as a load before the first block, and a
    /// snapshot covering the whole journal (inside the last commit's transaction).
    private func saveSnapshot(_ pipeline: ReplayPipeline, store: Store) throws {
        let load = try store.recordDossierLoad(
            afterBlock: 0, at: .distantPast, versions: pipeline.dossiers.versionKey)
        try store.saveSnapshot(
            pipeline.snapshot().bytes, format: PipelineSnapshot.format, takenAt: pipeline.clock,
            journalThrough: try store.lastJournalBlock(), dossierLoad: load)
    }
}
