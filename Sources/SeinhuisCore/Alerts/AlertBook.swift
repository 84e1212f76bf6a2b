import Collections

/// Turns the rule engine's breach changes into alerts, and escalates alerts nobody responds to (PROTOCOL 4.2).
///
/// Pure bookkeeping (no I/O, time passed in): the caller stores the alerts it returns, then publishes them. An alert
/// stays in the book while its breach is open or it may still escalate; escalation stops at the first measure,
/// at closing, or after the policy's maximum. `serve` and `replay` each keep one (in their `Pipeline`).
public struct AlertBook: Sendable {
    public var policy: RoutingPolicy
    /// Policies by version, for alerts routed by an earlier policy (they escalate by the rules that routed them).
    var policies: [String: RoutingPolicy]
    public private(set) var nextNumber: Int64
    /// Alerts that are live: breach open, or escalation pending.
    private(set) var alerts: [String: Alert] = [:]
    /// The open alert of each breach that is still open.
    private(set) var open: [BreachKey: String] = [:]
    /// Alerts whose escalation is pending, by due time (lazy: entries are checked against the alert when popped).
    private var escalations = Heap<Due>()
    /// Dossier id → radex.
    public var radex: [String: Bool] = [:]

    struct Due: Comparable, Sendable {
        var at: Int64
        var id: String
        static func < (a: Due, b: Due) -> Bool { (a.at, a.id) < (b.at, b.id) }
    }

    public init(policy: RoutingPolicy, nextNumber: Int64) {
        self.policy = policy
        self.nextNumber = nextNumber
        // The current policy wins if it reuses a version name.
        policies = Dictionary([(RoutingPolicy.v1.version, .v1), (policy.version, policy)], uniquingKeysWith: { $1 })
    }

    /// A new alert id from the shared sequence (review notices are alerts too).
    public mutating func issueID() -> String {
        defer { nextNumber += 1 }
        return Alert.id(forNumber: nextNumber)
    }

    /// The open alert of a breach.
    public func openAlert(_ key: BreachKey) -> Alert? { open[key].flatMap { alerts[$0] } }

    public var openCount: Int { open.count }

    /// The ids of the alerts in the book (live: breach open, or escalation pending), sorted.
    public var liveIDs: [String] { alerts.keys.sorted() }

    /// The next escalation's due time (so `serve` can sleep until it).
    public var nextEscalation: Timestamp? { escalations.min.map { Timestamp(milliseconds: $0.at) } }

    /// The alerts whose escalation is due at or before `now`: the caller asks the store whether anyone responded to
    /// them meanwhile (an operator in another process), then calls `escalate`.
    public func dueEscalations(by now: Timestamp) -> [String] {
        guard let first = escalations.min, first.at <= now.milliseconds else { return [] }
        return escalations.unordered.filter { $0.at <= now.milliseconds }.map(\.id).sorted()
    }

    private func route(of a: Alert) -> Route {
        (policies[a.policy] ?? policy).route(radex: a.radex, severity: a.severity)
    }

    private func maxEscalations(of a: Alert) -> Int { (policies[a.policy] ?? policy).maxEscalations }

    /// Whether the alert may escalate again: no measure that stops it (PROTOCOL 4.4: any queue's, or one of the
    /// route's `stops_on`), not closed, and below the policy's maximum.
    private func canEscalate(_ a: Alert) -> Bool {
        !a.handling.stopsEscalation(stopsOn: route(of: a).stopsOn) && a.escalation < maxEscalations(of: a)
    }

    /// Schedules the alert's next escalation, if it can still escalate.
    private mutating func schedule(_ a: Alert) {
        guard canEscalate(a) else { return }
        let from = a.escalatedAt ?? a.detectedAt
        escalations.insert(Due(at: from.milliseconds + route(of: a).escalateAfterSeconds * 1000, id: a.id))
    }

    /// Takes the queues' handling of an alert as the store has it (operators act in other processes) into the
    /// book: later publications carry it, and a measure that stops it or closing ends its escalation.
    public mutating func refresh(_ a: Alert) {
        guard let mine = alerts[a.id] else { return }
        alerts[a.id]?.handling = mine.handling.merged(into: a.handling)
        forgetIfDone(a.id)
    }

    /// The book's copy of a live alert.
    public func alert(id: String) -> Alert? { alerts[id] }

    /// Re-attaches an alert that was live in the database when the process started: its open breach (if `key`),
    /// and its pending escalation.
    public mutating func adopt(_ a: Alert, key: BreachKey?) {
        alerts[a.id] = a
        if let key { open[key] = a.id }
        schedule(a)
        forgetIfDone(a.id)
    }

    /// Applies one breach change detected at `detectedAt` (pipeline clock); returns the alert to store and publish.
    public mutating func apply(_ change: BreachChange, detectedAt: Timestamp) -> Alert? {
        switch change {
        case .raised(let key, let at):
            guard open[key] == nil else { return nil }
            let severity = key.kind.severity
            let isRadex = radex[key.dossier] ?? false
            let route = policy.route(radex: isRadex, severity: severity)
            let a = Alert(
                id: Alert.id(forNumber: nextNumber), dossier: key.dossier, device: key.device, kind: .breach(key.kind),
                severity: severity, radex: isRadex, queues: route.queues.sorted(), zone: key.zone, eventTs: at,
                detectedAt: detectedAt, policy: policy.version, protected: key.protected)
            nextNumber += 1
            open[key] = a.id
            alerts[a.id] = a
            schedule(a)
            return a
        case .cleared(let key, let at):
            guard let id = open.removeValue(forKey: key), alerts[id] != nil else { return nil }
            alerts[id]?.clearedAt = at
            let a = alerts[id]!
            forgetIfDone(id)
            return a
        }
    }

    /// Escalations due at or before `now`: each is one more escalation of a live alert whose handling has no
    /// measure that stops it. Refresh the due alerts first (`dueEscalations`, then `refresh`): the database is the
    /// authority, an operator may have acted a moment ago.
    public mutating func escalate(dueBy now: Timestamp) -> [Alert] {
        var out: [Alert] = []
        while let due = escalations.min, due.at <= now.milliseconds {
            escalations.removeMin()
            guard var a = alerts[due.id], canEscalate(a),
                (a.escalatedAt ?? a.detectedAt).milliseconds + route(of: a).escalateAfterSeconds * 1000 == due.at
            else {
                forgetIfDone(due.id)
                continue  // stale entry, or stopped
            }
            a.escalation += 1
            a.escalatedAt = Timestamp(milliseconds: due.at)
            a.queues = Array(Set(a.queues).union(route(of: a).escalateTo)).sorted()
            a.handling.reach(a.queues)
            alerts[a.id] = a
            schedule(a)
            forgetIfDone(a.id)
            out.append(a)
        }
        return out
    }

    /// Drops an alert from the book once its breach is cleared and it can no longer escalate.
    private mutating func forgetIfDone(_ id: String) {
        guard let a = alerts[id], a.clearedAt != nil else { return }
        if !canEscalate(a) { alerts[id] = nil }
    }
}
