/// What a pipeline is told beyond its dossiers; defaults are the contract's.
public struct PipelineSettings: Sendable {
    public var rules = RuleConfig()
    public var policy = RoutingPolicy.v1
    /// `serve`: an event more than this far ahead of the receive clock is stored, not evaluated (PROTOCOL 2.1).
    public var maxClockSkewMs: Int64 = 5 * 60 * 1000
    /// Which dossiers get review notices (PROTOCOL 5).
    public var reviewScope = ReviewScope.radex
    /// Rejected frames are kept in the quarantine up to this size.
    public var quarantineFrameBytes = 4096

    public init() {}
}

/// The pipeline: a frame's whole way from bytes to alerts, with no socket, no database and no clock.
///
/// It owns the intake (decoder, device directory, duplicate filter, the batch's journal block), the rules in their
/// order of judging (`EventOrder`: `serve`'s on arrival, `replay`'s reordering sequencer), the alert book (routing,
/// escalation) and the review-notice clock. It is driven by the frames it is given with their receive time
/// (`take`) and by time passing (`advance`); what a turn must store it holds (`intake.block`,
/// `intake.rejections`, `alerts`) until the caller has committed it and says so (`stored`), and then the caller
/// publishes the alerts. Its state is snapshotted and restored whole (`Pipeline+Snapshot`), and start-up judges the
/// journal after a snapshot as it was judged on arrival (`Pipeline+Recovery`).
///
/// `serve` drives a `LivePipeline` on its ingest thread. `replay` drives a `ReplayPipeline` on two threads: its
/// reader thread runs the intake (handed over at the start), its main thread the rest (`judge`), in the same order.
public final class Pipeline<Order: EventOrder> {
    public let settings: PipelineSettings
    public let intake: Intake
    public internal(set) var order: Order
    public internal(set) var book: AlertBook
    public var reviewNotices: ReviewNoticeClock
    /// The dossiers in force.
    public internal(set) var dossiers: DossierSet
    /// The alerts of the turn (raised, cleared, escalated, review notices), in the order they came about: the caller
    /// stores them with the batch, then publishes them.
    public internal(set) var alerts: [Alert] = []
    @exclusivity(unchecked) var changes: [TimedBreachChange] = []
    /// Start-up (`Pipeline+Recovery`): changes are tracked, not turned into alerts (those are stored already).
    var recovery: RecoveryLog?
    /// Events taken since the last snapshot (the caller's cadence of snapshots).
    public internal(set) var eventsSinceSnapshot = 0
    /// Alerts raised and cleared, and escalations, over the pipeline's life (replay's summary).
    public internal(set) var tally = (raised: 0, cleared: 0, escalations: 0)

    public init(
        settings: PipelineSettings, order: Order, dossiers: DossierSet, journalIDs: [String: Int64],
        nextAlertNumber: Int64, journalFormat: JournalFormat
    ) {
        self.settings = settings
        self.order = order
        intake = Intake(format: journalFormat, quarantineFrameBytes: settings.quarantineFrameBytes)
        book = AlertBook(policy: settings.policy, nextNumber: nextAlertNumber)
        reviewNotices = ReviewNoticeClock(scope: settings.reviewScope, policy: settings.policy.version)
        self.dossiers = .empty
        load(dossiers, journalIDs: journalIDs, at: .distantPast)
        changes.removeAll()
    }

    /// The pipeline clock: the receive clock in `serve`, the stream's in `replay`.
    public var clock: Timestamp { order.clock }

    /// Time passes: period boundaries and timers up to `now`.
    public func advance(to now: Timestamp) {
        order.advance(to: now, into: &changes)
        if !changes.isEmpty { collect() }
    }

    /// Takes one frame received at `receivedAt` (PROTOCOL 2): decoded, checked, deduplicated, appended to the
    /// journal block, and judged (or held, in replay). Counts are in `intake.counts`.
    @inline(__always)
    public func take(_ frame: UnsafeRawBufferPointer, source: String, receivedAt: Timestamp) {
        // The rule index is looked up only when a device is new to the intake or the dossiers changed.
        guard
            let (e, index) = intake.take(
                frame, source: source, receivedAt: receivedAt, ruleIndex: { self.order.engine.deviceIndex(of: $0) })
        else { return }
        eventsSinceSnapshot &+= 1
        if order.push(e, deviceIndex: index, receivedAt: receivedAt, into: &changes) == .notEvaluated {
            intake.markLastNotEvaluated()
        }
        if !changes.isEmpty { collect() }
    }

    /// Judges an event another thread's intake took (replay's reader thread), with its device's index in the
    /// engine as `order.engine.deviceIndex(of:)` gave it.
    @inline(__always)
    public func judge(_ e: DeviceEvent, deviceIndex: Int?, receivedAt: Timestamp) {
        eventsSinceSnapshot &+= 1
        _ = order.push(e, deviceIndex: deviceIndex, receivedAt: receivedAt, into: &changes)
        if !changes.isEmpty { collect() }
    }

    /// Turns the rules' changes into alerts. In replay, escalations due before a change's moment go out first (on
    /// stream time, nobody responds in a replay).
    func collect() {
        if recovery != nil {
            for c in changes { recovery!.track(c.change) }
        } else {
            for c in changes {
                if Order.escalatesOnItsOwn { escalate(dueBy: c.detectedAt - 1) }
                let before = alerts.count
                book.apply(c.change, detectedAt: c.detectedAt, into: &alerts)
                guard alerts.count > before else { continue }
                if c.change.isRaised { tally.raised += 1 } else { tally.cleared += 1 }
            }
        }
        changes.removeAll(keepingCapacity: true)
    }

    /// The alerts whose escalation is due on the pipeline clock: the caller reads them from the store (someone in
    /// another process may have acted on them meanwhile), then calls `escalate(current:)`.
    public var dueEscalations: [String] { book.dueEscalations(by: clock) }

    /// Escalates what is due (PROTOCOL 4.2), judging each alert by its handling in `current` (the store's).
    public func escalate(current: [Alert] = []) {
        for a in current { book.refresh(a) }
        escalate(dueBy: clock)
    }

    func escalate(dueBy t: Timestamp) {
        let escalated = book.escalate(dueBy: t)
        tally.escalations += escalated.count
        alerts += escalated
    }

    /// Raises the review notices owed on the pipeline clock (PROTOCOL 5: `serve` only).
    public func raiseReviewNotices() {
        var book = self.book
        alerts += reviewNotices.notices(now: clock) { book.issueID() }
        self.book = book
    }

    /// The dossiers in force change at the pipeline clock (a re-import; PROTOCOL 3).
    public func load(_ set: DossierSet, journalIDs: [String: Int64]) {
        load(set, journalIDs: journalIDs, at: clock)
    }

    func load(_ set: DossierSet, journalIDs: [String: Int64], at: Timestamp) {
        dossiers = set
        intake.useDevices(journalIDs)
        book.use(set)
        order.load(set.dossiers, at: at, into: &changes)
        if !changes.isEmpty { collect() }
    }

    /// An operator changed an alert (its state): later publications carry it, a measure stops its escalation.
    public func refresh(_ a: Alert) { book.refresh(a) }

    /// Whether the turn holds anything to store.
    public var hasPending: Bool { intake.hasPending || !alerts.isEmpty }

    /// The turn's batch and alerts were stored: returns the alerts to publish, and starts the next turn.
    public func stored() -> [Alert] {
        intake.batchStored()
        return alertsStored()
    }

    /// The turn's alerts were stored (replay: its batches are taken out of the intake on the reader thread, which
    /// this must not touch): returns them to publish.
    public func alertsStored() -> [Alert] {
        defer { alerts.removeAll(keepingCapacity: true) }
        return alerts
    }

    /// The turn could not be stored: its events are forgotten by the duplicate filter (a reliable client resends
    /// them), its alerts are kept for the next commit (their changes are in the rules already).
    public func storeFailed() {
        intake.batchFailed()
    }

    /// The end of the stream (replay): what is held is judged, timers due before the clock fire, and (replay)
    /// escalations due before the clock go out.
    public func finish() {
        order.finish(into: &changes)
        collect()
        if Order.escalatesOnItsOwn { escalate(dueBy: clock - 1) }
    }
}

/// `serve`'s pipeline.
public typealias LivePipeline = Pipeline<LiveOrder>
/// `replay`'s pipeline.
public typealias ReplayPipeline = Pipeline<ReplaySequencer>

extension Pipeline where Order == LiveOrder {
    /// A live pipeline that has seen nothing yet (the first start on a database; start-up restores one otherwise).
    public convenience init(
        settings: PipelineSettings, dossiers: DossierSet, journalIDs: [String: Int64], nextAlertNumber: Int64
    ) {
        self.init(
            settings: settings, order: LiveOrder(rules: settings.rules, maxClockSkewMs: settings.maxClockSkewMs),
            dossiers: dossiers, journalIDs: journalIDs, nextAlertNumber: nextAlertNumber, journalFormat: .v2)
    }

    /// The counts of the frames taken since the last call (what was not evaluated, and why, included).
    public func takeCounts() -> IngestCounts {
        var c = intake.counts
        let o = order.takeCounts()
        c.late += o.late
        c.notEvaluated += o.notEvaluated
        c.clockSkewed += o.clockSkewed
        intake.counts = IngestCounts()
        return c
    }
}

extension Pipeline where Order == ReplaySequencer {
    /// A replay pipeline over `dossiers`, numbering alerts from `nextAlertNumber`.
    public convenience init(
        settings: PipelineSettings, dossiers: DossierSet, journalIDs: [String: Int64], nextAlertNumber: Int64
    ) {
        var rules = settings.rules
        rules.timersFollowDeviceLag = false
        self.init(
            settings: settings, order: ReplaySequencer(engine: RuleEngine(config: rules)), dossiers: dossiers,
            journalIDs: journalIDs, nextAlertNumber: nextAlertNumber, journalFormat: .v1)
    }
}
