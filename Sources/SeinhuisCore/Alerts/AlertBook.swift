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
    /// (1.1) The networks' lost devices and open incidents (PROTOCOL 4.5).
    var outages = NetworkOutages()

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
        // PROTOCOL 4.5: an incident is for vcet alone; a non-Radex member of one does not escalate.
        if case .incident = a.kind { return false }
        if a.incident != nil && !a.radex { return false }
        return !a.handling.stopsEscalation(stopsOn: route(of: a).stopsOn) && a.escalation < maxEscalations(of: a)
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
        if let key {
            open[key] = a.id
            if key.kind == .communication_loss, let network = outages.networkOf[key.device] {
                _ = outages.lose(key.device, network: network, alert: a.id, eventTs: a.eventTs.milliseconds)
            }
        }
        schedule(a)
        forgetIfDone(a.id)
    }

    /// Start-up, after the breach alerts were adopted: the incidents open in the database (PROTOCOL 4.5). Each keeps
    /// its members still lost; one whose members changed while the server was down is republished, and one left
    /// under `min_devices` is cleared at the latest recovery among its members (`recoveredAt`, device → the clearing
    /// of its `communication_loss`), else at `startedAt`. Returns the alerts to store and publish.
    public mutating func adoptIncidents(
        _ incidents: [Alert], recoveredAt: [String: Timestamp], at startedAt: Timestamp
    ) -> [Alert] {
        var out: [Alert] = []
        for var a in incidents {
            guard let network = a.network, a.clearedAt == nil else { continue }
            let before = a.devices ?? []
            let still = before.filter { outages.lostAlert($0, network: network) != nil }
            if still.count >= outages.settings.minDevices {
                outages.adoptIncident(a.id, network: network, devices: still)
                a.devices = still
                alerts[a.id] = a
                if still != before { out.append(a) }
            } else {
                a.devices = still
                a.clearedAt = before.filter { !still.contains($0) }.compactMap { recoveredAt[$0] }.max() ?? startedAt
                out.append(a)
            }
        }
        return out
    }

    /// The dossiers in force: their radex flags, and their devices' networks (PROTOCOL 4.5).
    public mutating func use(_ set: DossierSet) {
        radex = set.radexByDossier
        outages.networkOf = set.networkByDevice
    }

    /// Applies one breach change detected at `detectedAt` (pipeline clock); returns the alert to store and publish
    /// (the breach's own; `apply(_:detectedAt:into:)` gives the incidents it changes too).
    public mutating func apply(_ change: BreachChange, detectedAt: Timestamp) -> Alert? {
        var out: [Alert] = []
        apply(change, detectedAt: detectedAt, into: &out)
        return out.first
    }

    /// Applies one breach change detected at `detectedAt` (pipeline clock): appends the alerts to store and publish,
    /// the breach's own first, then any network incident it raises, changes or clears and the members it links
    /// (PROTOCOL 4.5).
    public mutating func apply(_ change: BreachChange, detectedAt: Timestamp, into out: inout [Alert]) {
        switch change {
        case .raised(let key, let at):
            guard open[key] == nil else { return }
            raise(key, at: at, detectedAt: detectedAt, into: &out)
        case .cleared(let key, let at):
            guard let id = open.removeValue(forKey: key), alerts[id] != nil else { return }
            alerts[id]?.clearedAt = at
            out.append(alerts[id]!)
            forgetIfDone(id)
            if key.kind == .communication_loss { recovered(key.device, alert: id, at: at, into: &out) }
        }
    }

    private mutating func raise(_ key: BreachKey, at: Timestamp, detectedAt: Timestamp, into out: inout [Alert]) {
        let severity = key.kind.severity
        let isRadex = radex[key.dossier] ?? false
        var queues = policy.route(radex: isRadex, severity: severity).queues.sorted()
        let id = issueID()
        let network = key.kind == .communication_loss ? outages.networkOf[key.device] : nil
        var incident: String?
        var outbreak: (devices: [String], eventTs: Int64)?
        if let network {
            incident = outages.lose(key.device, network: network, alert: id, eventTs: at.milliseconds)
            if incident == nil { outbreak = outages.outbreak(of: network) }
        }
        let newIncident = outbreak.map { _ in issueID() }
        if let newIncident, outbreak!.devices.contains(key.device) { incident = newIncident }
        if incident != nil && !isRadex { queues = [.vcet] }
        let a = Alert(
            id: id, dossier: key.dossier, device: key.device, kind: .breach(key.kind), severity: severity,
            radex: isRadex, queues: queues, zone: key.zone, eventTs: at, detectedAt: detectedAt,
            policy: policy.version, protected: key.protected, incident: incident)
        open[key] = a.id
        alerts[a.id] = a
        schedule(a)
        out.append(a)
        if let network, let newIncident, let outbreak {
            begin(newIncident, network: network, outbreak: outbreak, detectedAt: detectedAt, into: &out)
        } else if let network, let incident {
            republish(incident, network: network, into: &out)
        }
    }

    /// A new `network_outage` incident over `outbreak`'s devices; their open alerts are linked to it.
    private mutating func begin(
        _ id: String, network: String, outbreak: (devices: [String], eventTs: Int64), detectedAt: Timestamp,
        into out: inout [Alert]
    ) {
        outages.begin(id, network: network, devices: outbreak.devices)
        let kind = IncidentKind.network_outage
        let incident = Alert(
            id: id, dossier: "", device: nil, kind: .incident(kind), severity: kind.severity, radex: false,
            queues: [.vcet], zone: nil, eventTs: Timestamp(milliseconds: outbreak.eventTs), detectedAt: detectedAt,
            policy: policy.version, network: network, devices: outbreak.devices)
        alerts[id] = incident
        out.append(incident)
        for device in outbreak.devices {
            guard let member = outages.lostAlert(device, network: network), alerts[member]?.incident != id else {
                continue
            }
            alerts[member]?.incident = id
            out.append(alerts[member]!)
            forgetIfDone(member)
        }
    }

    /// The incident with its devices as they are now (PROTOCOL 4.5: republished as devices join or recover).
    private mutating func republish(_ incident: String, network: String, into out: inout [Alert]) {
        guard alerts[incident] != nil else { return }
        alerts[incident]?.devices = outages.members(of: network)
        out.append(alerts[incident]!)
    }

    /// A lost device of a network recovered at `at`: its incident is republished, and cleared when fewer than
    /// `min_devices` of its devices are still lost.
    private mutating func recovered(_ device: String, alert: String, at: Timestamp, into out: inout [Alert]) {
        guard let network = outages.network(ofLost: device), outages.lostAlert(device, network: network) == alert,
            let (incident, ended) = outages.recover(device, network: network), var a = alerts[incident]
        else { return }
        a.devices = (a.devices ?? []).filter { $0 != device }
        if ended { a.clearedAt = at }
        alerts[incident] = ended ? nil : a
        out.append(a)
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
