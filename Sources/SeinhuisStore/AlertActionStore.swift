import SeinhuisCore

/// An entry of an alert's action log as stored.
public struct StoredAction: Sendable, Equatable {
    public var id: Int64
    public var alertID: String
    public var at: Timestamp
    public var actor: String
    public var record: ActionRecord
    /// The queue acted for, and the actor's role (nil on entries from before contract 1.1).
    public var queue: Queue?
    public var role: String?

    /// The entry as JSON: `{"at","by","role","queue","action","measure","note"}` (the CLI's `alert show` and the
    /// HTTP API).
    public var json: String {
        var w = JSONObjectWriter()
        w.string("at", at.rfc3339)
        w.string("by", actor)
        w.string("role", role)
        w.string("queue", queue?.rawValue)
        w.string("action", record.kind.rawValue)
        w.string("measure", record.measure?.rawValue)
        w.string("note", record.note)
        return w.finish()
    }
}

/// Who acts, and for which queue (PROTOCOL 4.4: an action is taken for a queue).
public struct ActingUser: Sendable, Equatable {
    public var name: String
    /// The role's name (`operator`, `police`, ...): the account's, console or command line (`cli` in entries from
    /// before the command line acted as accounts, and for direct writers of the store such as `simulator respond`).
    public var role: String
    public var queue: Queue

    public init(name: String, role: String, queue: Queue) {
        self.name = name
        self.role = role
        self.queue = queue
    }
}

extension Store {
    /// Applies an operator's action for one queue to an alert, in one transaction: that queue's handling, the
    /// action log and the audit trail land together or not at all, and the alert is queued for `serve` to publish
    /// with a new rev (`alert_pending`). Returns the alert as it now stands and the entries recorded (none when the
    /// action changed nothing). Throws `AlertActionError` for an unknown alert, a queue the alert never reached
    /// (`isNotReached`) or an action that does not apply.
    public func act(_ action: AlertAction, on alertID: String, as actor: ActingUser, at: Timestamp) throws
        -> (Alert, [ActionRecord])
    {
        try db.transaction { try actWithin(action, on: alertID, as: actor, at: at) }
    }

    /// (1.1) One action for a whole network incident (PROTOCOL 4.5; docs/API.md): the action on the incident and on
    /// each of its member alerts of a non-Radex dossier that the actor's queue has reached and not closed, in one
    /// transaction, each recorded and audited as if taken on its own. Radex members are left to be handled one by
    /// one. Returns the incident and the members acted on, each with what was recorded.
    public func actOnIncident(_ action: AlertAction, incident id: String, as actor: ActingUser, at: Timestamp) throws
        -> [(Alert, [ActionRecord])]
    {
        try db.transaction {
            guard let incident = try alert(id: id), case .incident = incident.kind else {
                throw AlertActionError("\(id) is no network incident")
            }
            var out = [try actWithin(action, on: id, as: actor, at: at)]
            var f = AlertFilter()
            f.incident = id
            for m in try alerts(f) where !m.radex && m.handling.queues.contains(actor.queue) {
                guard m.handling.byQueue[actor.queue]?.state != .closed else { continue }
                out.append(try actWithin(action, on: m.id, as: actor, at: at))
            }
            return out
        }
    }

    private func actWithin(_ action: AlertAction, on alertID: String, as actor: ActingUser, at: Timestamp) throws
        -> (Alert, [ActionRecord])
    {
        do {
            guard let before = try storedHandling(alertID: alertID) else {
                throw AlertActionError("no alert \(alertID)")
            }
            let (after, log) = try AlertWorkflow.apply(action, for: actor.queue, to: before, at: at)
            for entry in log {
                try db.cached(
                    """
                    INSERT INTO alert_action(alert_id, at, actor, kind, measure, note, queue, role)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).run([
                    .text(alertID), .integer(at.milliseconds), .text(actor.name), .text(entry.kind.rawValue),
                    SQLValue(entry.measure?.rawValue), SQLValue(entry.note), .text(actor.queue.rawValue),
                    .text(actor.role),
                ])
                var detail = "queue \(actor.queue.rawValue)"
                if let m = entry.measure { detail += "; measure \(m.rawValue)" }
                if let note = entry.note { detail += "; note: \(note)" }
                try audit(
                    actor: actor.name, action: "alert.\(entry.kind.rawValue)", subject: alertID, detail: detail,
                    at: at, queue: actor.queue, role: actor.role)
            }
            if !log.isEmpty { try store(after, of: alertID, at: at) }
            guard let alert = try self.alert(id: alertID) else { throw AlertActionError("no alert \(alertID)") }
            return (alert, log)
        }
    }

    /// `act` for `queue` (default `vcet`) by `name` with no account behind it (role `cli`): tests and the simulator.
    public func act(_ action: AlertAction, on alertID: String, by name: String, queue: Queue = .vcet, at: Timestamp)
        throws -> (Alert, [ActionRecord])
    {
        try act(action, on: alertID, as: ActingUser(name: name, role: "cli", queue: queue), at: at)
    }

    /// Writes a changed handling (and the summary columns), and queues the alert for publication.
    func store(_ handling: Handling, of alertID: String, at: Timestamp) throws {
        try db.cached(
            """
            UPDATE alert SET handling = ?, state = ?, acknowledged_at = ?, responded_at = ?, closed_at = ?,
                updated_at = ? WHERE id = ?
            """
        ).run([
            .text(handling.stored), .text(handling.summary.rawValue),
            SQLValue(handling.firstAcknowledged?.milliseconds), SQLValue(handling.firstMeasure?.milliseconds),
            SQLValue(handling.closedAt?.milliseconds), .integer(at.milliseconds), .text(alertID),
        ])
        try db.cached("INSERT INTO alert_pending(alert_id, since) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .run([.text(alertID), .integer(at.milliseconds)])
    }

    /// The alerts changed by another process and not yet published, oldest change first (serve publishes them
    /// with a new rev: `save`, which also takes them off the list).
    public func pendingAlerts(limit: Int = 10_000) throws -> [Alert] {
        let s = try db.prepare("SELECT alert_id FROM alert_pending ORDER BY since, alert_id LIMIT ?")
        try s.bind([.integer(Int64(limit))])
        var ids: [String] = []
        try s.forEach { ids.append($0.text(0)) }
        var out: [Alert] = []
        for id in ids {
            if let a = try alert(id: id) {
                out.append(a)
            } else {
                try db.cached("DELETE FROM alert_pending WHERE alert_id = ?").run([.text(id)])
            }
        }
        return out
    }

    /// Whether any alert waits to be published (cheap: for `serve`'s check once a second).
    public func hasPendingAlerts() throws -> Bool {
        (try db.scalarInt("SELECT EXISTS (SELECT 1 FROM alert_pending)") ?? 0) != 0
    }

    /// The action log of one alert, or every action after `afterID`.
    public func actions(alertID: String? = nil, afterID: Int64 = 0) throws -> [StoredAction] {
        let s = try db.prepare(
            """
            SELECT id, alert_id, at, actor, kind, measure, note, queue, role FROM alert_action
            WHERE (?1 IS NULL OR alert_id = ?1) AND id > ?2 ORDER BY id
            """)
        try s.bind([SQLValue(alertID), .integer(afterID)])
        var out: [StoredAction] = []
        try s.forEach { r in
            out.append(
                StoredAction(
                    id: r.int(0), alertID: r.text(1), at: Timestamp(milliseconds: r.int(2)), actor: r.text(3),
                    record: ActionRecord(
                        kind: ActionRecord.Kind(rawValue: r.text(4)) ?? .acknowledge,
                        measure: r.optionalText(5).flatMap(Measure.init(rawValue:)), note: r.optionalText(6)),
                    queue: r.optionalText(7).flatMap(Queue.init(rawValue:)), role: r.optionalText(8)))
        }
        return out
    }

    /// The id of the latest action.
    public func lastActionID() throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM alert_action") ?? 0
    }

    // MARK: - Migration (schema 8)

    /// Gives every alert its handling and a rev (schema 8). An action of the old log is taken for the queue of its
    /// actor's role when the actor is a console user and the alert reached that queue, else for `vcet` (the command
    /// line's default) when it reached it, else for the first queue it reached; actions that no longer apply to that
    /// queue are skipped. Revs follow the alerts' numbers.
    func migrateHandling() throws {
        var roles: [String: String] = [:]
        try db.prepare("SELECT name, role FROM user").forEach { roles[$0.text(0)] = $0.text(1) }
        var alerts: [(id: String, queues: [Queue])] = []
        try db.prepare("SELECT id, queues FROM alert ORDER BY number").forEach { r in
            alerts.append((r.text(0), r.text(1).split(separator: ",").compactMap { Queue(rawValue: String($0)) }))
        }
        let log = try actions()
        let byAlert = Dictionary(grouping: log, by: \.alertID)
        for (k, a) in alerts.enumerated() {
            var handling = Handling(reached: a.queues)
            for entry in byAlert[a.id] ?? [] {
                let role = roles[entry.actor].flatMap(Role.init(rawValue:))
                let queue =
                    role.flatMap { r in r.queues.count == 1 && a.queues.contains(r.queues[0]) ? r.queues[0] : nil }
                    ?? (a.queues.contains(.vcet) ? .vcet : a.queues.first)
                guard let queue, var h = handling[queue] else { continue }
                let action: AlertAction
                switch entry.record.kind {
                case .acknowledge: action = .acknowledge
                case .respond: action = .respond(entry.record.measure ?? .other, note: nil)
                case .close: action = .close(nil, note: nil)
                }
                if let (after, _) = try? AlertWorkflow.apply(action, to: h, at: entry.at) { h = after }
                handling[queue] = h
                try db.cached("UPDATE alert_action SET queue = ?, role = ? WHERE id = ?")
                    .run([.text(queue.rawValue), SQLValue(roles[entry.actor]), .integer(entry.id)])
            }
            try db.cached("UPDATE alert SET handling = ?, state = ?, rev = ? WHERE id = ?")
                .run([.text(handling.stored), .text(handling.summary.rawValue), .integer(Int64(k + 1)), .text(a.id)])
        }
    }
}
