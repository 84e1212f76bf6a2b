/// The measures an operator records (PROTOCOL 4.4).
public enum Measure: String, Sendable, CaseIterable {
    case phone_call, field_visit, police_dispatched, seining_issued, judicial_report, false_alarm, other
}

/// What an operator does to an alert.
public enum AlertAction: Sendable, Equatable {
    case acknowledge
    /// Records a measure; on an open alert it also acknowledges it at that moment.
    case respond(Measure, note: String?)
    /// Closes the alert; needs a measure, recorded before or given here (`false_alarm` is one).
    case close(Measure?, note: String?)
}

/// One entry of an alert's action log.
public struct ActionRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case acknowledge, respond, close }
    public var kind: Kind
    public var measure: Measure?
    public var note: String?

    public init(kind: Kind, measure: Measure? = nil, note: String? = nil) {
        self.kind = kind
        self.measure = measure
        self.note = note
    }
}

/// An action that does not apply to the alert as it stands.
public struct AlertActionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The alert never reached the queue the action is for (the HTTP API answers 409 with this reason).
    public var isNotReached = false
    public init(_ d: String) { description = d }
    public init(notReached d: String) {
        description = d
        isNotReached = true
    }
}

/// The rules of PROTOCOL 4.4 for acting on an alert, pure: the caller stores the result.
public enum AlertWorkflow {
    /// Applies `action` for `queue` at `at`: that queue's handling changes, no other's. Returns the alert's new
    /// handling and the log entries to record (empty when the action changes nothing, like acknowledging an
    /// acknowledged alert). Throws if the alert never reached the queue, or the queue has closed it.
    public static func apply(_ action: AlertAction, for queue: Queue, to handling: Handling, at: Timestamp)
        throws(AlertActionError) -> (Handling, [ActionRecord])
    {
        guard let h = handling[queue] else {
            throw AlertActionError(
                notReached: "the alert never reached queue \(queue.rawValue) (it reached \(handling.queues.map(\.rawValue).joined(separator: ", ")))")
        }
        let (after, log) = try apply(action, to: h, at: at)
        var out = handling
        out[queue] = after
        return (out, log)
    }

    /// Applies `action` at `at` to one queue's handling.
    public static func apply(_ action: AlertAction, to p: QueueHandling, at: Timestamp) throws(AlertActionError)
        -> (QueueHandling, [ActionRecord])
    {
        if p.state == .closed {
            throw AlertActionError(
                "the alert was closed at \(p.closedAt?.rfc3339 ?? "?"); nothing more can be recorded")
        }
        var n = p
        switch action {
        case .acknowledge:
            guard p.acknowledgedAt == nil else { return (p, []) }
            n.acknowledgedAt = at
            if n.state == .open { n.state = .acknowledged }
            return (n, [ActionRecord(kind: .acknowledge)])
        case .respond(let m, let note):
            var log: [ActionRecord] = []
            if n.acknowledgedAt == nil {
                n.acknowledgedAt = at
                log.append(ActionRecord(kind: .acknowledge))
            }
            if n.firstMeasureAt == nil {
                n.firstMeasureAt = at
                n.measure = m
            }
            n.state = .responded
            log.append(ActionRecord(kind: .respond, measure: m, note: note))
            return (n, log)
        case .close(let m, let note):
            var log: [ActionRecord] = []
            if let m {
                let (r, l) = try apply(.respond(m, note: note), to: n, at: at)
                n = r
                log = l
            }
            guard n.firstMeasureAt != nil else {
                throw AlertActionError(
                    "closing an alert needs a measure: record one first, or give one when closing (false_alarm is one)")
            }
            n.state = .closed
            n.closedAt = at
            log.append(ActionRecord(kind: .close, note: m == nil ? note : nil))
            return (n, log)
        }
    }
}
