/// What became of an accepted event when it was handed to the rules.
public enum Judgement: Sendable, Equatable {
    /// Judged by the rules now.
    case evaluated
    /// Stored and not evaluated: clock-skewed, late, or outside its dossier's period (PROTOCOL 2.1). The journal says
    /// so, and start-up does not evaluate it either (2.4).
    case notEvaluated
    /// Held back to be judged later (replay's reordering hold); the sequencer counts what becomes of it.
    case held
}

/// In what order, and on which clock, accepted events reach the rules: `serve`'s (on arrival, on the receive
/// clock) or `replay`'s (`ReplaySequencer`: reordered in event time, timers on the watermark). The pipeline is the
/// same around either.
public protocol EventOrder: Sendable {
    /// The rules, as judged so far.
    var engine: RuleEngine { get }
    /// The pipeline clock: every change's `detected_at`.
    var clock: Timestamp { get }
    /// Whether the order escalates alerts on its own clock with nobody responding (replay), rather than on the
    /// receive clock after asking the store (serve).
    static var escalatesOnItsOwn: Bool { get }
    /// Hands over an accepted event, taken at `receivedAt`, with its device's index in the engine (nil: none);
    /// appends the changes it lets through.
    mutating func push(
        _ event: DeviceEvent, deviceIndex: Int?, receivedAt: Timestamp, into changes: inout [TimedBreachChange]
    ) -> Judgement
    /// Time passes: period boundaries and timers up to `now` (serve: the receive clock; replay ignores it, its
    /// clock is the stream's).
    mutating func advance(to now: Timestamp, into changes: inout [TimedBreachChange])
    /// The dossiers in force change at `at` (PROTOCOL 3: a re-import applies from that moment).
    mutating func load(_ dossiers: [Dossier], at: Timestamp, into changes: inout [TimedBreachChange])
    /// No more events (replay's end of file): what is held is judged, timers due before the clock fire.
    mutating func finish(into changes: inout [TimedBreachChange])
}

/// `serve`'s order: every event is judged on arrival, on the receive clock; an event more than `maxClockSkew`
/// ahead of it is stored and not evaluated (PROTOCOL 2.1). Timers follow each device's reporting lag
/// (`RuleConfig.timersFollowDeviceLag`, docs/RULES.md).
public struct LiveOrder: EventOrder {
    public private(set) var engine: RuleEngine
    public private(set) var clock: Timestamp = .distantPast
    public let maxClockSkewMs: Int64
    public static var escalatesOnItsOwn: Bool { false }
    private var scratch: [BreachChange] = []

    /// Counts of what was not evaluated, by why (the pipeline adds them to its ingest counts).
    public private(set) var late = 0
    public private(set) var notEvaluated = 0
    public private(set) var clockSkewed = 0

    public init(engine: RuleEngine, maxClockSkewMs: Int64) {
        self.engine = engine
        self.maxClockSkewMs = maxClockSkewMs
    }

    public init(rules: RuleConfig, maxClockSkewMs: Int64) {
        var config = rules
        config.timersFollowDeviceLag = true
        self.init(engine: RuleEngine(config: config), maxClockSkewMs: maxClockSkewMs)
    }

    @inline(__always)
    public mutating func push(
        _ event: DeviceEvent, deviceIndex: Int?, receivedAt: Timestamp, into changes: inout [TimedBreachChange]
    ) -> Judgement {
        if event.ts.milliseconds > receivedAt.milliseconds &+ maxClockSkewMs {
            clockSkewed += 1
            return .notEvaluated
        }
        guard let deviceIndex else {
            notEvaluated += 1
            return .notEvaluated
        }
        let judged: Judgement
        switch engine.process(event, deviceIndex: deviceIndex, into: &scratch) {
        case .evaluated: judged = .evaluated
        case .late:
            late += 1
            judged = .notEvaluated
        case .outsidePeriod, .noDossier:
            notEvaluated += 1
            judged = .notEvaluated
        }
        if !scratch.isEmpty { flush(into: &changes) }
        return judged
    }

    public mutating func advance(to now: Timestamp, into changes: inout [TimedBreachChange]) {
        if now > clock { clock = now }
        engine.advance(to: clock, into: &scratch)
        if !scratch.isEmpty { flush(into: &changes) }
    }

    public mutating func load(_ dossiers: [Dossier], at: Timestamp, into changes: inout [TimedBreachChange]) {
        engine.load(dossiers, at: at, into: &scratch)
        if !scratch.isEmpty { flush(into: &changes) }
    }

    public mutating func finish(into changes: inout [TimedBreachChange]) {}

    /// Takes the counts out (the pipeline adds them to the turn's ingest counts).
    public mutating func takeCounts() -> (late: Int, notEvaluated: Int, clockSkewed: Int) {
        defer { (late, notEvaluated, clockSkewed) = (0, 0, 0) }
        return (late, notEvaluated, clockSkewed)
    }

    private mutating func flush(into changes: inout [TimedBreachChange]) {
        for c in scratch { changes.append(TimedBreachChange(change: c, detectedAt: clock)) }
        scratch.removeAll(keepingCapacity: true)
    }

    /// Restores a snapshotted engine (start-up).
    public mutating func restore(_ e: RuleEngine) {
        engine = e
        clock = max(clock, e.now)
    }
}

extension ReplaySequencer: EventOrder {
    public static var escalatesOnItsOwn: Bool { true }

    @inline(__always)
    public mutating func push(
        _ event: DeviceEvent, deviceIndex: Int?, receivedAt: Timestamp, into changes: inout [TimedBreachChange]
    ) -> Judgement {
        push(event, deviceIndex: deviceIndex, into: &changes)
        return .held
    }

    /// Replay's clock is the stream's own: the receive clock does not move it.
    public mutating func advance(to now: Timestamp, into changes: inout [TimedBreachChange]) {}

    public mutating func load(_ dossiers: [Dossier], at: Timestamp, into changes: inout [TimedBreachChange]) {
        loadDossiers(dossiers, at: at, into: &changes)
    }
}
