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

/// `seinhuis replay`: runs an NDJSON event file through the same decoding, journal and rules as `serve`, in
/// event time and offline (PROTOCOL 2.1, 4.1). Deterministic: the same file into a fresh database gives the
/// same alerts, ids included.
public struct Replay {
    public var eventsPerCommit = 65_536
    /// Lines per chunk handed from the reader thread to the main thread (at most `eventsPerCommit`).
    public var linesPerHandOver = 8192
    public var policy = RoutingPolicy.v1
    public var rules = RuleConfig()

    public init() {}

    /// Replays `path` into `store`. `progress` is called after every commit with the counts so far and bytes read.
    ///
    /// Two threads: a reader (`ReplayReader`: lines, decoding, duplicates, journal block) and this one (reordering,
    /// rules, alerts, commits). The reader uses a connection of its own, so `store` must be a database file.
    public func run(
        path: String, store: Store, catalog: DossierCatalog,
        progress: (IngestCounts, Int) -> Void = { _, _ in }
    ) throws -> ReplaySummary {
        guard store.db.path != ":memory:", !store.db.path.isEmpty else {
            throw ReplayReadError(description: "replay needs a database file, not an in-memory database")
        }
        let started = WallClock.monotonicNanos()
        let startedCPU = threadCPUSeconds()
        var engine = RuleEngine(config: rules)
        var bootChanges: [BreachChange] = []
        engine.load(catalog.dossiers, at: Timestamp.distantPast, into: &bootChanges)
        let known = catalog.devices
        try Ingestor(store: store, isKnownDevice: { _ in false }).register(known)
        // The reader's own connection, opened after `register`: it knows every dossier device's journal id, so it
        // only reads (and the duplicate filter is rebuilt from the journal before its thread starts).
        let ingest = Ingestor(store: try Store(path: store.db.path), isKnownDevice: { known.contains($0) })
        _ = try ingest.rebuild()
        var ruleIndex: [String: Int32] = [:]
        for d in known { if let i = engine.deviceIndex(of: d) { ruleIndex[d] = Int32(i) } }
        let reader = ReplayReader(
            path: path, ingest: ingest, ruleIndex: ruleIndex, eventsPerCommit: eventsPerCommit,
            linesPerHandOver: linesPerHandOver)
        reader.start()

        var sequencer = ReplaySequencer(engine: engine)
        var book = AlertBook(policy: policy, nextNumber: try store.nextAlertNumber())
        book.radex = catalog.radexByDossier
        var summary = ReplaySummary()
        var changes: [TimedBreachChange] = []
        var toSave: [String: Alert] = [:]
        var order: [String] = []

        func keep(_ a: Alert) { if toSave.updateValue(a, forKey: a.id) == nil { order.append(a.id) } }
        func collect() {
            for c in changes {
                // Escalations due before this change's moment go out first (stream time; nobody responds in a
                // replay, so every alert escalates up to the policy's limit).
                for a in book.escalate(dueBy: c.detectedAt - 1, isResponded: { _ in false }) {
                    summary.escalations += 1
                    keep(a)
                }
                guard let a = book.apply(c.change, detectedAt: c.detectedAt) else { continue }
                if case .raised = c.change { summary.alertsRaised += 1 } else { summary.alertsCleared += 1 }
                keep(a)
            }
            changes.removeAll(keepingCapacity: true)
        }
        func commit(_ batch: IngestBatch, counts: IngestCounts) throws {
            let at = Timestamp(milliseconds: sequencer.clock.milliseconds)
            try store.transaction {
                try batch.write(to: store, receivedAt: at)
                for id in order { try store.save(toSave[id]!, at: at) }
            }
            toSave.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            var c = counts
            c.late = sequencer.counts.late
            c.notEvaluated = sequencer.counts.notEvaluated
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
                        sequencer.push(chunk.events[k], deviceIndex: r >= 0 ? Int(r) : nil, into: &changes)
                        if !changes.isEmpty { collect() }
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
        sequencer.finish(into: &changes)
        collect()
        // At the end of the file, escalations due before its highest ts go out, later ones do not.
        for a in book.escalate(dueBy: sequencer.clock - 1, isResponded: { _ in false }) {
            summary.escalations += 1
            keep(a)
        }
        try commit(final.batch, counts: final.counts)
        summary.counts = final.counts
        summary.counts.late = sequencer.counts.late
        summary.counts.notEvaluated = sequencer.counts.notEvaluated
        summary.seconds = Double(WallClock.monotonicNanos() - started) / 1e9
        summary.mainCPUSeconds = threadCPUSeconds() - startedCPU
        summary.readerCPUSeconds = final.cpuSeconds
        return summary
    }
}
