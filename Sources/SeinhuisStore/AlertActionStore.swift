import SeinhuisCore

/// An entry of an alert's action log as stored.
public struct StoredAction: Sendable, Equatable {
    public var id: Int64
    public var alertID: String
    public var at: Timestamp
    public var actor: String
    public var record: ActionRecord

    /// The entry as JSON: `{"at","by","action","measure","note"}` (the CLI's `alert show` and the HTTP API).
    public var json: String {
        var w = JSONObjectWriter()
        w.string("at", at.rfc3339)
        w.string("by", actor)
        w.string("action", record.kind.rawValue)
        w.string("measure", record.measure?.rawValue)
        w.string("note", record.note)
        return w.finish()
    }
}

extension Store {
    /// The handling progress of an alert.
    public func progress(alertID: String) throws -> AlertProgress? {
        let s = try db.cached("SELECT state, acknowledged_at, responded_at, closed_at FROM alert WHERE id = ?")
        try s.bind([.text(alertID)])
        var p: AlertProgress?
        try s.forEach { r in
            p = AlertProgress(
                state: AlertState(rawValue: r.text(0)) ?? .open, acknowledgedAt: r.optionalInt(1).map(Timestamp.init),
                respondedAt: r.optionalInt(2).map(Timestamp.init), closedAt: r.optionalInt(3).map(Timestamp.init))
        }
        return p
    }

    /// Applies an operator's action to an alert in one transaction: the alert's state, the action log and the audit
    /// trail land together or not at all. Returns the alert as it now stands and the entries recorded (none when the
    /// action changed nothing).
    public func act(_ action: AlertAction, on alertID: String, by actor: String, at: Timestamp) throws
        -> (Alert, [ActionRecord])
    {
        try db.transaction {
            guard let before = try progress(alertID: alertID) else {
                throw AlertActionError("no alert \(alertID)")
            }
            let (after, log) = try AlertWorkflow.apply(action, to: before, at: at)
            for entry in log {
                try db.cached(
                    "INSERT INTO alert_action(alert_id, at, actor, kind, measure, note) VALUES (?, ?, ?, ?, ?, ?)"
                ).run([
                    .text(alertID), .integer(at.milliseconds), .text(actor), .text(entry.kind.rawValue),
                    SQLValue(entry.measure?.rawValue), SQLValue(entry.note),
                ])
                var detail = entry.measure.map { "measure \($0.rawValue)" } ?? ""
                if let note = entry.note { detail += (detail.isEmpty ? "" : "; ") + "note: \(note)" }
                try audit(
                    actor: actor, action: "alert.\(entry.kind.rawValue)", subject: alertID, detail: detail, at: at)
            }
            if !log.isEmpty {
                try db.cached(
                    """
                    UPDATE alert SET state = ?, acknowledged_at = ?, responded_at = ?, closed_at = ?, updated_at = ?
                    WHERE id = ?
                    """
                ).run([
                    .text(after.state.rawValue), SQLValue(after.acknowledgedAt?.milliseconds),
                    SQLValue(after.respondedAt?.milliseconds), SQLValue(after.closedAt?.milliseconds),
                    .integer(at.milliseconds), .text(alertID),
                ])
            }
            guard let alert = try self.alert(id: alertID) else { throw AlertActionError("no alert \(alertID)") }
            return (alert, log)
        }
    }

    /// The action log of one alert, or every action after `afterID` (the pipeline follows this to republish).
    public func actions(alertID: String? = nil, afterID: Int64 = 0) throws -> [StoredAction] {
        let s = try db.prepare(
            """
            SELECT id, alert_id, at, actor, kind, measure, note FROM alert_action
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
                        measure: r.optionalText(5).flatMap(Measure.init(rawValue:)), note: r.optionalText(6))))
        }
        return out
    }

    /// The id of the latest action (where the pipeline starts following).
    public func lastActionID() throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM alert_action") ?? 0
    }
}
