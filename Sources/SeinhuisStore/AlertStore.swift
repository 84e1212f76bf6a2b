import SeinhuisCore

extension Store {
    /// The next alert number (ids are `A-` and this number; a fresh database starts at 1, so replays repeat ids).
    public func nextAlertNumber() throws -> Int64 {
        (try db.scalarInt("SELECT COALESCE(MAX(number), 0) FROM alert") ?? 0) + 1
    }

    /// The change feed of one queue (PROTOCOL 4.3, 1.1): every alert that has reached `queue` and whose latest rev is
    /// above `afterRev`, in its latest state, by rev, at most `limit`.
    public func alerts(reached queue: Queue, afterRev: Int64, limit: Int) throws -> [Alert] {
        let s = try db.cached(
            "SELECT \(Self.alertColumns) FROM alert WHERE rev > ? AND instr(',' || queues || ',', ?) > 0 ORDER BY rev LIMIT ?"
        )
        try s.bind([.integer(afterRev), .text(",\(queue.rawValue),"), .integer(Int64(limit))])
        var out: [Alert] = []
        try s.forEach { out.append(try Self.alert($0)) }
        return out
    }

    /// The columns an `Alert` is read from (`Store.alert(_:)`), in order.
    static let alertColumns = """
        id, dossier, device, breach, severity, radex, queues, zone, event_ts, detected_at, cleared_at, state,
        escalation, policy, deadline, queues_at_once, escalated_at, rev, handling, protected, incident, network, devices
        """

    /// The highest rev given so far (0: none).
    public func lastRev() throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(MAX(rev), 0) FROM alert") ?? 0
    }

    /// Stores a new alert or updates it by id, as published with a new rev (call inside a transaction: an alert is
    /// stored before it is published). Sets `a.rev` and `a.handling` to what is stored. The pipeline owns queues,
    /// clearing and escalation; each queue's handling belongs to its operators (`act`): an update keeps what they
    /// recorded and adds the queues the alert reached since. Revs are given by `serve` (and `replay`), one process
    /// at a time, from `nextRev`.
    public func save(_ a: inout Alert, at: Timestamp) throws {
        if let stored = try storedHandling(alertID: a.id) { a.handling = a.handling.merged(into: stored) }
        a.rev = try takeRev()
        let number = Int64(a.id.dropFirst(2)) ?? 0
        let s = try db.cached(
            """
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, zone, event_ts, detected_at,
                cleared_at, state, escalation, policy, deadline, updated_at, queues_at_once, escalated_at, rev,
                handling, acknowledged_at, responded_at, closed_at, protected, incident, network, devices)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                ?22, ?23, ?24, ?25, ?26, ?27, ?28)
            ON CONFLICT(id) DO UPDATE SET queues = excluded.queues, cleared_at = excluded.cleared_at,
                escalation = excluded.escalation, escalated_at = excluded.escalated_at, updated_at = excluded.updated_at,
                rev = excluded.rev, handling = excluded.handling, state = excluded.state,
                incident = excluded.incident, devices = excluded.devices
            """)
        try s.bind([
            .integer(number), .text(a.id), .text(a.dossier), SQLValue(a.device), .text(a.kind.rawValue),
            .text(a.severity.rawValue),
            .integer(a.radex ? 1 : 0), .text(a.queues.map(\.rawValue).joined(separator: ",")), SQLValue(a.zone),
            .integer(a.eventTs.milliseconds), .integer(a.detectedAt.milliseconds),
            SQLValue(a.clearedAt?.milliseconds), .text(a.state.rawValue), .integer(Int64(a.escalation)),
            .text(a.policy), SQLValue(a.deadline), .integer(at.milliseconds),
            .text(a.queuesAtOnce.map(\.rawValue).joined(separator: ",")), SQLValue(a.escalatedAt?.milliseconds),
            .integer(a.rev), .text(a.handling.stored), SQLValue(a.handling.firstAcknowledged?.milliseconds),
            SQLValue(a.handling.firstMeasure?.milliseconds), SQLValue(a.handling.closedAt?.milliseconds),
            SQLValue(a.protected), SQLValue(a.incident), SQLValue(a.network),
            SQLValue(a.devices?.joined(separator: ",")),
        ])
        try s.run()
        try db.cached("DELETE FROM alert_pending WHERE alert_id = ?").run([.text(a.id)])
    }

    /// `save` of a copy; returns it as stored (with its rev).
    @discardableResult
    public func save(_ a: Alert, at: Timestamp) throws -> Alert {
        var copy = a
        try save(&copy, at: at)
        return copy
    }

    /// The next rev (the store remembers the last one it gave; the first call reads the database's highest).
    func takeRev() throws -> Int64 {
        if revGiven == 0 { revGiven = try lastRev() }
        revGiven += 1
        return revGiven
    }

    /// An alert's handling as stored (nil: no such alert).
    func storedHandling(alertID: String) throws -> Handling? {
        let s = try db.cached("SELECT handling, queues FROM alert WHERE id = ?")
        try s.bind([.text(alertID)])
        var out: Handling?
        try s.forEach { r in out = Self.handling(r.text(0), queues: r.text(1)) }
        return out
    }

    /// A stored handling; an empty or damaged one is every queue reached, open (a row of an older shape).
    static func handling(_ text: String, queues: String) -> Handling {
        if !text.isEmpty, let h = Handling(stored: text) { return h }
        return Handling(reached: queues.split(separator: ",").compactMap { Queue(rawValue: String($0)) })
    }

    /// A filter for alert listings.
    public struct AlertFilter: Sendable {
        public var queue: Queue?
        public var state: AlertState?
        public var dossier: String?
        public var afterID: String?
        public var limit: Int?
        public var openBreachesOnly = false
        /// (1.1) Only the members of this network incident (PROTOCOL 4.5).
        public var incident: String?
        /// Only alerts not yet closed (the console's working list); with `queue`, not closed by that queue.
        public var activeOnly = false
        /// Newest first (the console) instead of oldest first (catch-up).
        public var newestFirst = false
        public init(
            queue: Queue? = nil, state: AlertState? = nil, dossier: String? = nil, afterID: String? = nil,
            limit: Int? = nil
        ) {
            self.queue = queue
            self.state = state
            self.dossier = dossier
            self.afterID = afterID
            self.limit = limit
        }
    }

    /// Alerts in id order.
    public func alerts(_ f: AlertFilter = AlertFilter()) throws -> [Alert] {
        var sql = "SELECT \(Self.alertColumns) FROM alert WHERE 1 = 1"
        var b: [SQLValue] = []
        if let q = f.queue {
            sql += " AND (',' || queues || ',') LIKE ?"
            b.append(.text("%,\(q.rawValue),%"))
        }
        if let s = f.state {
            sql += " AND state = ?"
            b.append(.text(s.rawValue))
        }
        if let d = f.dossier {
            sql += " AND dossier = ?"
            b.append(.text(d))
        }
        if let a = f.afterID {
            sql += " AND number > ?"
            b.append(.integer(Int64(a.drop(while: { !$0.isNumber })) ?? 0))
        }
        if f.openBreachesOnly { sql += " AND cleared_at IS NULL" }
        if let i = f.incident {
            sql += " AND incident = ?"
            b.append(.text(i))
        }
        if f.activeOnly {
            // With a queue: not closed by that queue (its own handling, PROTOCOL 4.4), whatever the others did.
            if let q = f.queue {
                sql += " AND (';' || handling) NOT LIKE ?"
                b.append(.text("%;\(q.rawValue) closed %"))
            } else {
                sql += " AND state != 'closed'"
            }
        }
        sql += f.newestFirst ? " ORDER BY number DESC" : " ORDER BY number"
        if let l = f.limit {
            sql += " LIMIT ?"
            b.append(.integer(Int64(l)))
        }
        let s = try db.prepare(sql)
        try s.bind(b)
        var out: [Alert] = []
        try s.forEach { r in out.append(try Self.alert(r)) }
        return out
    }

    public func alert(id: String) throws -> Alert? {
        let s = try db.cached("SELECT \(Self.alertColumns) FROM alert WHERE id = ?")
        try s.bind([.text(id)])
        var out: Alert?
        try s.forEach { out = try Self.alert($0) }
        return out
    }

    /// An alert row (the columns of `alerts`); a kind or severity this version does not know is a
    /// `StoredAlertError`.
    static func alert(_ r: Row) throws(StoredAlertError) -> Alert {
        let id = r.text(0)
        return Alert(
            id: id, dossier: r.text(1), device: r.optionalText(2), kind: try r.alertKind(3, alert: id),
            severity: try r.severity(4, alert: id), radex: r.int(5) != 0,
            queues: r.text(6).split(separator: ",").compactMap { Queue(rawValue: String($0)) },
            zone: r.optionalText(7), eventTs: Timestamp(milliseconds: r.int(8)),
            detectedAt: Timestamp(milliseconds: r.int(9)), clearedAt: r.optionalInt(10).map(Timestamp.init),
            handling: handling(r.text(18), queues: r.text(6)), escalation: Int(r.int(12)), policy: r.text(13),
            deadline: r.optionalText(14),
            queuesAtOnce: r.optionalText(15).map {
                $0.split(separator: ",").compactMap { Queue(rawValue: String($0)) }
            },
            escalatedAt: r.optionalInt(16).map(Timestamp.init), rev: r.int(17), protected: r.optionalText(19),
            incident: r.optionalText(20), network: r.optionalText(21),
            devices: r.optionalText(22).map { $0.split(separator: ",").map(String.init) })
    }
}

/// A stored alert this version of Seinhuis cannot read: its kind (the `breach` column) or its severity is a name the
/// version does not know, so the database was written by a newer version (or edited by hand).
///
/// Reading such an alert is this error, never a crash and never a silent skip: a listing, the catch-up API or `serve`'s
/// start that left an alert out would tell operators and consumers that it does not exist. Read the database with the
/// version that wrote it.
public struct StoredAlertError: Error, Sendable, Equatable, CustomStringConvertible {
    public var alertID: String
    /// The column: `breach` or `severity`.
    public var column: String
    /// The name found in it.
    public var value: String

    public init(alertID: String, column: String, value: String) {
        self.alertID = alertID
        self.column = column
        self.value = value
    }

    public var description: String {
        "alert \(alertID) in the database has \(column) \"\(value)\", unknown to this version of seinhuis "
            + "(written by a newer version?); read the database with the version that wrote it"
    }
}

extension Row {
    /// The alert kind in column `i` of alert `id`'s row.
    func alertKind(_ i: Int32, alert id: String) throws(StoredAlertError) -> AlertKind {
        let name = text(i)
        guard let kind = AlertKind(rawValue: name) else {
            throw StoredAlertError(alertID: id, column: "breach", value: name)
        }
        return kind
    }

    /// The severity in column `i` of alert `id`'s row.
    func severity(_ i: Int32, alert id: String) throws(StoredAlertError) -> Severity {
        let name = text(i)
        guard let severity = Severity(rawValue: name) else {
            throw StoredAlertError(alertID: id, column: "severity", value: name)
        }
        return severity
    }
}
