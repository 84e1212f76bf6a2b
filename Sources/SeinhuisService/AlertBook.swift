import SeinhuisCore

/// Turns the rule engine's breach changes into alerts: numbering, routing by the policy, clearing.
///
/// Pure bookkeeping (no I/O): the caller stores the alerts it returns and then publishes them.
struct AlertBook {
    var policy: RoutingPolicy
    var nextNumber: Int64
    /// The open alert of each breach that is still open.
    private(set) var open: [BreachKey: Alert] = [:]
    /// Dossier id → radex.
    var radex: [String: Bool] = [:]

    init(policy: RoutingPolicy, nextNumber: Int64) {
        self.policy = policy
        self.nextNumber = nextNumber
    }

    /// Takes an operator's change of an alert (its state) into the open alert's copy, so later publications of it
    /// (clearing, escalation) carry the current state.
    mutating func refresh(_ a: Alert) {
        guard let key = open.first(where: { $0.value.id == a.id })?.key else { return }
        open[key]?.state = a.state
    }

    /// Re-attaches an alert that was open in the database when the process started.
    mutating func adopt(_ a: Alert, key: BreachKey) { open[key] = a }

    /// Applies one breach change detected at `detectedAt` (pipeline clock); returns the alert to store and publish.
    mutating func apply(_ change: BreachChange, detectedAt: Timestamp) -> Alert? {
        switch change {
        case .raised(let key, let at):
            if let existing = open[key] { return existing.clearedAt == nil ? nil : nil }
            let severity = key.kind.severity.rawValue
            let isRadex = radex[key.dossier] ?? false
            let route = policy.route(radex: isRadex, severity: severity)
            let a = Alert(
                id: Alert.id(forNumber: nextNumber), dossier: key.dossier, device: key.device,
                breach: key.kind.rawValue,
                severity: severity, radex: isRadex, queues: route.queues.sorted(), zone: key.zone, eventTs: at,
                detectedAt: detectedAt, policy: policy.version)
            nextNumber += 1
            open[key] = a
            return a
        case .cleared(let key, let at):
            guard var a = open.removeValue(forKey: key) else { return nil }
            a.clearedAt = at
            return a
        }
    }
}
