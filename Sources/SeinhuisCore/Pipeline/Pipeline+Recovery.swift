/// What the rules did while start-up read the journal after the snapshot: the alerts of those changes were stored
/// when they happened, so they are only tracked, to reconcile with the stored alerts at the end.
struct RecoveryLog {
    /// Breaches raised during recovery and still open, with when they were raised.
    var raised: [BreachKey: Timestamp] = [:]
    /// When each breach was last cleared during recovery.
    var lastCleared: [BreachKey: Timestamp] = [:]
    var events = 0
    var notEvaluated = 0

    mutating func track(_ c: BreachChange) {
        switch c {
        case .raised(let k, let at): raised[k] = at
        case .cleared(let k, let at):
            raised[k] = nil
            lastCleared[k] = at
        }
    }
}

/// How start-up went: for the log line and `/readyz`.
public struct RecoverySummary: Sendable, Equatable {
    /// Journal events read after the snapshot, and of those how many were stored without being evaluated.
    public var events = 0
    public var notEvaluated = 0
    /// Stored alerts re-attached to their open breach, cleared (their breach ended while the server was down, or
    /// the alert was never stored as cleared), and breaches raised at start (a timer that expired while down).
    public var reattached = 0
    public var cleared = 0
    public var raised = 0
}

extension Pipeline where Order == LiveOrder {
    /// Starts reading the journal after the snapshot (or from its start, without one): the rules' changes are
    /// tracked, not turned into alerts.
    public func beginRecovery() {
        if recovery == nil { recovery = RecoveryLog() }
    }

    /// An event of the journal, judged exactly as it was on arrival (PROTOCOL 2.4): at the receive clock it was
    /// taken at, or not at all if it was not evaluated then (clock-skewed, late, outside its dossier's period).
    /// Blocks written before contract 1.1 say neither: their events count as evaluated, at the block's time.
    public func recover(_ e: DeviceEvent, evaluated: Bool, receivedAt: Timestamp) {
        intake.markSeen(e.device, seq: e.seq)
        recovery!.events += 1
        guard evaluated else {
            recovery!.notEvaluated += 1
            return
        }
        order.advance(to: receivedAt, into: &changes)
        let judged = order.push(
            e, deviceIndex: order.engine.deviceIndex(of: e.device), receivedAt: receivedAt, into: &changes)
        if judged == .notEvaluated { recovery!.notEvaluated += 1 }
        if !changes.isEmpty { collect() }
    }

    /// A dossier load the journal recorded, applied where it was (after the block it names, at its time).
    public func recoverLoad(_ set: DossierSet, journalIDs: [String: Int64], at: Timestamp) {
        order.advance(to: at, into: &changes)
        load(set, journalIDs: journalIDs, at: at)
    }

    /// Ends recovery at `startedAt`: timers that expired while the server was down fire (with their own
    /// `event_ts`), then the stored alerts are re-attached. `stored` holds every alert that may be live: those open
    /// in the database, and those the snapshot's book held or raised after it (the caller reads them). An alert
    /// whose breach is still open is re-attached; one whose breach has ended is cleared (at the clearing the journal
    /// gave, else at start); a breach open with no alert is raised. Returns the alerts to store and publish.
    public func endRecovery(stored: [Alert], nextAlertNumber: Int64, at startedAt: Timestamp) -> (
        alerts: [Alert], summary: RecoverySummary
    ) {
        order.advance(to: startedAt, into: &changes)
        if !changes.isEmpty { collect() }
        let log = recovery ?? RecoveryLog()
        recovery = nil
        var summary = RecoverySummary(events: log.events, notEvaluated: log.notEvaluated)
        book = AlertBook(policy: settings.policy, nextNumber: max(nextAlertNumber, book.nextNumber))
        book.use(dossiers)
        var openNow = Set(order.engine.openBreaches)
        var out: [Alert] = []
        // Newest first: should the store hold two open alerts of one breach, the newest is the one re-attached.
        var seen = Set<String>()
        for a in stored.sorted(by: { $0.id > $1.id }) where seen.insert(a.id).inserted {
            guard let key = a.breachKey else { continue }  // review notices: not the book's
            if a.clearedAt != nil {
                book.adopt(a, key: nil)  // its escalation may be pending
            } else if openNow.remove(key) != nil {
                book.adopt(a, key: key)
                summary.reattached += 1
            } else {
                var cleared = a
                cleared.clearedAt = max(log.lastCleared[key] ?? startedAt, a.eventTs)
                out.append(cleared)
                book.adopt(cleared, key: nil)
                summary.cleared += 1
            }
        }
        let recovered = Dictionary(
            out.filter { $0.kind == .breach(.communication_loss) }.compactMap { a in a.clearedAt.map { (a.device!, $0) } },
            uniquingKeysWith: { a, b in max(a, b) })
        let incidents = stored.filter { if case .incident = $0.kind { true } else { false } }
        out += book.adoptIncidents(incidents, recoveredAt: recovered, at: startedAt)
        let toRaise = openNow.map { ($0, log.raised[$0] ?? startedAt) }.sorted {
            ($0.1, $0.0.description) < ($1.1, $1.0.description)
        }
        for (key, at) in toRaise {
            let before = out.count
            book.apply(.raised(key, at: at), detectedAt: startedAt, into: &out)
            if out.count > before { summary.raised += 1 }
        }
        // One publication per alert, its latest (an incident may change more than once here).
        var latest: [String: Alert] = [:]
        for a in out { latest[a.id] = a }
        return (latest.values.sorted { $0.id < $1.id }, summary)
    }
}

extension Alert {
    /// The breach an alert is of (nil for review notices and kinds the rules do not raise).
    public var breachKey: BreachKey? {
        guard let device, let kind = self.kind.breachKind else { return nil }
        return BreachKey(dossier: dossier, device: device, kind: kind, zone: zone, protected: protected)
    }
}
