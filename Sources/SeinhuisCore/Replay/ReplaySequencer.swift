import Collections

/// A breach change with the pipeline clock at which it was detected (`detected_at`).
public struct TimedBreachChange: Sendable, Equatable {
    public var change: BreachChange
    /// In `replay`: the highest `ts` read so far when the change was made (see docs/RULES.md).
    public var detectedAt: Timestamp

    public init(change: BreachChange, detectedAt: Timestamp) {
        self.change = change
        self.detectedAt = detectedAt
    }
}

/// The event-time sequencing of `seinhuis replay` (PROTOCOL 2.1 and 4.1), driving a `RuleEngine`.
///
/// Takes accepted events (valid, new, of a known device) in the order they are read and:
/// - holds them back by 10 s of stream time and evaluates them in `ts` order (ties: read order);
/// - counts as late, and does not evaluate, an event more than 10 s older than the latest event of its device read
///   before it, and (the engine's rule) one older than its device's latest evaluated event;
/// - runs timers and period boundaries on the watermark, the highest `ts` read so far less the hold;
/// - at `finish()`, evaluates what is still held and fires the timers due before the highest `ts`.
///
/// The replay clock is the highest `ts` read so far: it is every change's `detectedAt`, so a replay is
/// deterministic.
///
/// Give it an engine with `RuleConfig.timersFollowDeviceLag` off (the default): replay's timers run on the watermark
/// itself (PROTOCOL 4.1), which is already event time; the per-device lag is for `serve`'s receive clock.
public struct ReplaySequencer: Sendable {
    /// Counts of events that were accepted but not evaluated.
    public struct Counts: Sendable, Equatable {
        /// Late (PROTOCOL 2.1): stored, changing no state.
        public var late = 0
        /// Of a device whose dossier is not active at the event's `ts` (or named by no dossier).
        public var notEvaluated = 0
        /// Judged by the rules.
        public var evaluated = 0
        public init() {}
    }

    public private(set) var engine: RuleEngine
    public private(set) var counts = Counts()
    /// The stream time held back to reorder events (PROTOCOL 2.1: 10 s).
    public let holdMilliseconds: Int64
    /// The replay clock: the highest `ts` read so far (`distantPast` before the first event).
    public private(set) var clock: Timestamp = .distantPast

    /// The hold, in two parts that together give every held event in (`ts`, read order): the events that came in
    /// `ts` order (nearly all) in a FIFO, sorted by construction (O(1) in and out), and the few that came behind a
    /// newer one in a heap (a binary heap of all of them cost 10 % of a replay: 17 levels for 100k events).
    private var inOrder = Deque<Held>()
    private var outOfOrder = Heap<Held>()
    private var readOrder: UInt64 = 0
    /// Per device index: latest `ts` read.
    private var latestRead: [Int64] = []
    private var scratch: [BreachChange] = []

    public init(engine: RuleEngine, holdMilliseconds: Int64 = 10_000) {
        self.engine = engine
        self.holdMilliseconds = holdMilliseconds
        latestRead = [Int64](repeating: .min, count: engine.deviceCount)
    }

    /// The watermark: timers and boundaries have run up to here.
    public var watermark: Timestamp { clock - holdMilliseconds }

    /// Events read but not yet evaluated.
    public var heldCount: Int { inOrder.count + outOfOrder.count }

    /// Takes the next accepted event of the file; appends the changes it lets through.
    public mutating func push(_ event: DeviceEvent, into changes: inout [TimedBreachChange]) {
        push(event, deviceIndex: engine.deviceIndex(of: event.device), into: &changes)
    }

    /// `push(_:into:)` with the device's index from `engine.deviceIndex(of:)` (nil: none), looked up by the caller.
    public mutating func push(_ event: DeviceEvent, deviceIndex: Int?, into changes: inout [TimedBreachChange]) {
        guard let d = deviceIndex else {
            counts.notEvaluated += 1
            return
        }
        if d >= latestRead.count {
            latestRead.append(contentsOf: repeatElement(.min, count: d - latestRead.count + 1))
        }
        let t = event.ts.milliseconds
        let latest = latestRead[d]
        if latest != .min, t < latest - holdMilliseconds {
            counts.late += 1
            return
        }
        if t > latest { latestRead[d] = t }
        if event.ts > clock { clock = event.ts }
        let h = Held(ts: t, order: readOrder, device: Int32(d), event: event)
        if let last = inOrder.last, last.ts > t { outOfOrder.insert(h) } else { inOrder.append(h) }
        readOrder &+= 1
        release(through: watermark.milliseconds, into: &changes)
    }

    /// Loads dossiers into the engine (replay loads them once, before the first event).
    public mutating func loadDossiers(_ dossiers: [Dossier], at: Timestamp, into changes: inout [TimedBreachChange]) {
        engine.load(dossiers, at: at, into: &scratch)
        if engine.deviceCount > latestRead.count {
            latestRead.append(contentsOf: repeatElement(.min, count: engine.deviceCount - latestRead.count))
        }
        flush(into: &changes)
    }

    /// The end of the file: evaluates every held event and fires the timers due before the highest `ts`
    /// (later ones do not fire).
    public mutating func finish(into changes: inout [TimedBreachChange]) {
        release(through: .max, into: &changes)
        engine.advance(to: clock, into: &scratch)
        flush(into: &changes)
    }

    private mutating func release(through limit: Int64, into changes: inout [TimedBreachChange]) {
        while let h = next(through: limit) {
            engine.advance(to: h.event.ts, into: &scratch)
            switch engine.process(h.event, deviceIndex: Int(h.device), into: &scratch) {
            case .evaluated: counts.evaluated += 1
            case .late: counts.late += 1
            case .outsidePeriod, .noDossier: counts.notEvaluated += 1
            }
        }
        if limit != .max { engine.advance(to: Timestamp(milliseconds: limit), into: &scratch) }
        flush(into: &changes)
    }

    /// Takes the first held event in (`ts`, read order) if its `ts` is at most `limit`.
    @inline(__always) private mutating func next(through limit: Int64) -> Held? {
        if let o = outOfOrder.min, o.ts <= limit, inOrder.first.map({ o < $0 }) ?? true {
            return outOfOrder.removeMin()
        }
        if let f = inOrder.first, f.ts <= limit { return inOrder.removeFirst() }
        return nil
    }

    private mutating func flush(into changes: inout [TimedBreachChange]) {
        guard !scratch.isEmpty else { return }
        for c in scratch { changes.append(TimedBreachChange(change: c, detectedAt: clock)) }
        scratch.removeAll(keepingCapacity: true)
    }
}

/// An event waiting in the reordering hold.
private struct Held: Comparable, Sendable {
    var ts: Int64
    var order: UInt64
    var device: Int32
    var event: DeviceEvent
    static func < (a: Held, b: Held) -> Bool { (a.ts, a.order) < (b.ts, b.order) }
    static func == (a: Held, b: Held) -> Bool { a.ts == b.ts && a.order == b.order }
}
