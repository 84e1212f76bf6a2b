/// How one queue has handled an alert (PROTOCOL 4.4, 1.1): each queue an alert reached acknowledges it, records
/// measures and closes it for itself.
public struct QueueHandling: Sendable, Equatable {
    public var state: AlertState
    public var acknowledgedAt: Timestamp?
    /// The queue's first recorded measure: its breach-to-response latency ends here.
    public var firstMeasureAt: Timestamp?
    /// That first measure.
    public var measure: Measure?
    public var closedAt: Timestamp?

    public init(
        state: AlertState = .open, acknowledgedAt: Timestamp? = nil, firstMeasureAt: Timestamp? = nil,
        measure: Measure? = nil, closedAt: Timestamp? = nil
    ) {
        self.state = state
        self.acknowledgedAt = acknowledgedAt
        self.firstMeasureAt = firstMeasureAt
        self.measure = measure
        self.closedAt = closedAt
    }

    public static let open = QueueHandling()

    /// The PROTOCOL 4.4 object: `{"state", "acknowledged_at", "first_measure_at", "measure", "closed_at"}`, the
    /// moments only when they happened.
    public var json: String {
        var o = JSONObjectWriter()
        o.string("state", state.rawValue)
        if let acknowledgedAt { o.string("acknowledged_at", acknowledgedAt.rfc3339) }
        if let firstMeasureAt { o.string("first_measure_at", firstMeasureAt.rfc3339) }
        if let measure { o.string("measure", measure.rawValue) }
        if let closedAt { o.string("closed_at", closedAt.rfc3339) }
        return o.finish()
    }
}

/// An alert's handling: one `QueueHandling` per queue it reached.
public struct Handling: Sendable, Equatable {
    public private(set) var byQueue: [Queue: QueueHandling]

    public init(_ byQueue: [Queue: QueueHandling] = [:]) { self.byQueue = byQueue }

    /// Every queue of `queues` open (a new alert).
    public init(reached queues: [Queue]) {
        byQueue = Dictionary(queues.map { ($0, .open) }, uniquingKeysWith: { a, _ in a })
    }

    public subscript(queue: Queue) -> QueueHandling? {
        get { byQueue[queue] }
        set { byQueue[queue] = newValue }
    }

    /// The queues, in canonical order.
    public var queues: [Queue] { byQueue.keys.sorted() }

    /// Adds an open entry for each queue it does not hold yet (the alert reached them by escalation).
    public mutating func reach(_ queues: [Queue]) {
        for q in queues where byQueue[q] == nil { byQueue[q] = .open }
    }

    /// Keeps what `other` holds (another process's actions), and adds the queues only this one reached.
    public func merged(into other: Handling) -> Handling {
        var out = other
        for (q, h) in byQueue where out.byQueue[q] == nil { out.byQueue[q] = h }
        return out
    }

    /// The alert's `state`, as PROTOCOL 4.4 sums it up: `closed` when `vcet` has closed it (an alert that never
    /// reached `vcet`: when every queue it reached has); otherwise `responded` when any queue has recorded a
    /// measure, `acknowledged` when any has acknowledged, else `open`.
    public var summary: AlertState {
        if let vcet = byQueue[.vcet] {
            if vcet.state == .closed { return .closed }
        } else if !byQueue.isEmpty, byQueue.values.allSatisfy({ $0.state == .closed }) {
            return .closed
        }
        if byQueue.values.contains(where: { $0.firstMeasureAt != nil }) { return .responded }
        if byQueue.values.contains(where: { $0.acknowledgedAt != nil }) { return .acknowledged }
        return .open
    }

    /// Whether a measure stops the alert's escalation (PROTOCOL 4.2, 4.4): the first measure of any queue, or of
    /// one of `stopsOn` when the route names them; or the alert is closed.
    public func stopsEscalation(stopsOn: Set<Queue>?) -> Bool {
        if summary == .closed { return true }
        return byQueue.contains { q, h in h.firstMeasureAt != nil && (stopsOn?.contains(q) ?? true) }
    }

    /// The first acknowledgement and the first measure of any queue (the alert's own moments, for reports that do
    /// not split by queue), and when it was closed.
    public var firstAcknowledged: Timestamp? { byQueue.values.compactMap(\.acknowledgedAt).min() }
    public var firstMeasure: Timestamp? { byQueue.values.compactMap(\.firstMeasureAt).min() }
    public var closedAt: Timestamp? { summary == .closed ? byQueue.values.compactMap(\.closedAt).max() : nil }

    /// `{"vcet": {...}, "police": {...}}`, queues in canonical order.
    public var json: String {
        var o = JSONObjectWriter()
        for q in queues { o.raw(q.rawValue, byQueue[q]!.json) }
        return o.finish()
    }

    // MARK: - Stored form

    /// A compact line for the database: `queue state ack first measure closed` per queue, `;` between queues,
    /// empty fields for what did not happen (`vcet responded 1795000000000 1795000060000 phone_call `).
    public var stored: String {
        queues.map { q -> String in
            let h = byQueue[q]!
            func t(_ x: Timestamp?) -> String { x.map { String($0.milliseconds) } ?? "" }
            return [
                q.rawValue, h.state.rawValue, t(h.acknowledgedAt), t(h.firstMeasureAt), h.measure?.rawValue ?? "",
                t(h.closedAt),
            ].joined(separator: " ")
        }.joined(separator: ";")
    }

    /// Reads `stored`; nil if it is damaged.
    public init?(stored: String) {
        var text = stored
        guard let h = text.withUTF8({ Handling(storedBytes: $0) }) else { return nil }
        self = h
    }

    /// Reads `stored` from its UTF-8 bytes (a database column read in place); nil if it is damaged.
    public init?(storedBytes b: UnsafeBufferPointer<UInt8>) {
        var out: [Queue: QueueHandling] = [:]
        var field = 0
        var start = 0
        var q: Queue?, state: AlertState?, measure: Measure?
        var times: [Timestamp?] = [nil, nil, nil]  // ack, first measure, closed
        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
        }
        // Milliseconds as `Int64(String)` reads them (a sign, digits, no overflow); empty: did not happen.
        func time(_ from: Int, _ to: Int) -> Timestamp?? {
            if from == to { return .some(nil) }
            let negative = b[from] == UInt8(ascii: "-")
            let digits = b[from] == UInt8(ascii: "-") || b[from] == UInt8(ascii: "+") ? from + 1 : from
            guard digits < to else { return nil }
            var v: Int64 = 0
            for i in digits..<to {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (n, o2) = negative ? m.subtractingReportingOverflow(Int64(b[i] - 48)) : m.addingReportingOverflow(Int64(b[i] - 48))
                guard !o1, !o2 else { return nil }
                v = n
            }
            return .some(Timestamp(milliseconds: v))
        }
        // Each item: six fields separated by single spaces; items by `;` (empty items skipped, as `split` does).
        var i = 0
        while i <= b.count {
            let end = i == b.count || b[i] == UInt8(ascii: ";")
            if end || b[i] == UInt8(ascii: " ") {
                switch field {
                case 0: q = Queue(rawValue: text(start, i))
                case 1: state = AlertState(rawValue: text(start, i))
                case 2, 3:
                    guard let t = time(start, i) else { return nil }
                    times[field - 2] = t
                case 4:
                    if start == i { measure = nil } else {
                        guard let m = Measure(rawValue: text(start, i)) else { return nil }
                        measure = m
                    }
                case 5:
                    guard let t = time(start, i) else { return nil }
                    times[2] = t
                default: return nil
                }
                if end {
                    if field == 0 && start == i {  // an empty item
                    } else {
                        guard field == 5, let q, let state else { return nil }
                        out[q] = QueueHandling(
                            state: state, acknowledgedAt: times[0], firstMeasureAt: times[1], measure: measure,
                            closedAt: times[2])
                    }
                    field = 0
                } else {
                    field += 1
                }
                start = i + 1
            }
            i += 1
        }
        byQueue = out
    }
}
