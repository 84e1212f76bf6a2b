import SeinhuisCore
import SeinhuisStore

/// The result of a replay.
public struct ReplaySummary: Sendable {
    public var counts = IngestCounts()
    public var alertsRaised = 0
    public var alertsCleared = 0
    public var escalations = 0
    public var bytes = 0
    public var seconds = 0.0

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
        return o.finish()
    }
}

/// `seinhuis replay`: runs an NDJSON event file through the same decoding, journal and rules as `serve`, in
/// event time and offline (PROTOCOL 2.1, 4.1). Deterministic: the same file into a fresh database gives the
/// same alerts, ids included.
public struct Replay {
    public var eventsPerCommit = 65_536
    public var policy = RoutingPolicy.v1
    public var rules = RuleConfig()

    public init() {}

    /// Replays `path` into `store`. `progress` is called after every commit with the counts so far and bytes read.
    public func run(
        path: String, store: Store, catalog: DossierCatalog,
        progress: (IngestCounts, Int) -> Void = { _, _ in }
    ) throws -> ReplaySummary {
        let started = WallClock.monotonicNanos()
        var engine = RuleEngine(config: rules)
        var bootChanges: [BreachChange] = []
        engine.load(catalog.dossiers, at: Timestamp.distantPast, into: &bootChanges)
        let known = catalog.devices
        let ingest = Ingestor(store: store, isKnownDevice: { known.contains($0) })
        try ingest.register(known)
        _ = try ingest.rebuild()
        var sequencer = ReplaySequencer(engine: engine)
        var book = AlertBook(policy: policy, nextNumber: try store.nextAlertNumber())
        book.radex = catalog.radexByDossier
        var summary = ReplaySummary()
        var changes: [TimedBreachChange] = []
        var toSave: [String: Alert] = [:]
        var order: [String] = []
        var sinceCommit = 0

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
        func commit(final: Bool) throws {
            let at = Timestamp(milliseconds: sequencer.clock.milliseconds)
            try store.transaction {
                try ingest.writeBatch(receivedAt: at)
                for id in order { try store.save(toSave[id]!, at: at) }
            }
            toSave.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            sinceCommit = 0
            var c = ingest.counts
            c.late = sequencer.counts.late
            c.notEvaluated = sequencer.counts.notEvaluated
            progress(c, summary.bytes)
        }

        summary.bytes = try LineReader(path: path).forEachLine { line in
            if LineReader.isBlank(line) {
                ingest.counts.blank += 1
                return true
            }
            if let (e, ruleIndex) = try ingest.take(
                line, source: "replay", ruleIndex: { sequencer.engine.deviceIndex(of: $0) })
            {
                sequencer.push(e, deviceIndex: ruleIndex, into: &changes)
                if !changes.isEmpty { collect() }
            }
            sinceCommit += 1
            if sinceCommit >= eventsPerCommit { try commit(final: false) }
            return true
        }
        sequencer.finish(into: &changes)
        collect()
        // At the end of the file, escalations due before its highest ts go out, later ones do not.
        for a in book.escalate(dueBy: sequencer.clock - 1, isResponded: { _ in false }) {
            summary.escalations += 1
            keep(a)
        }
        try commit(final: true)
        summary.counts = ingest.counts
        summary.counts.late = sequencer.counts.late
        summary.counts.notEvaluated = sequencer.counts.notEvaluated
        summary.seconds = Double(WallClock.monotonicNanos() - started) / 1e9
        return summary
    }
}
