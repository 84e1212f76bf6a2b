import SeinhuisCore

extension Store {
    /// The next alert number (ids are `A-` and this number; a fresh database starts at 1, so replays repeat ids).
    public func nextAlertNumber() throws -> Int64 {
        (try db.scalarInt("SELECT COALESCE(MAX(number), 0) FROM alert") ?? 0) + 1
    }

    /// Stores a new alert or updates it by id (call inside a transaction: an alert is stored before it is published).
    /// The pipeline owns queues, clearing and escalation; the state belongs to the operators (`act`), so an update
    /// never overwrites it.
    public func save(_ a: Alert, at: Timestamp) throws {
        let number = Int64(a.id.dropFirst(2)) ?? 0
        let s = try db.cached(
            """
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, zone, event_ts, detected_at,
                cleared_at, state, escalation, policy, deadline, updated_at, queues_at_once, escalated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
            ON CONFLICT(id) DO UPDATE SET queues = excluded.queues, cleared_at = excluded.cleared_at,
                escalation = excluded.escalation, escalated_at = excluded.escalated_at, updated_at = excluded.updated_at
            """)
        try s.bind([
            .integer(number), .text(a.id), .text(a.dossier), SQLValue(a.device), .text(a.kind.rawValue),
            .text(a.severity.rawValue),
            .integer(a.radex ? 1 : 0), .text(a.queues.map(\.rawValue).joined(separator: ",")), SQLValue(a.zone),
            .integer(a.eventTs.milliseconds), .integer(a.detectedAt.milliseconds),
            SQLValue(a.clearedAt?.milliseconds), .text(a.state.rawValue), .integer(Int64(a.escalation)),
            .text(a.policy), SQLValue(a.deadline), .integer(at.milliseconds),
            .text(a.queuesAtOnce.map(\.rawValue).joined(separator: ",")), SQLValue(a.escalatedAt?.milliseconds),
        ])
        try s.run()
    }

    /// A filter for alert listings.
    public struct AlertFilter: Sendable {
        public var queue: Queue?
        public var state: AlertState?
        public var dossier: String?
        public var afterID: String?
        public var limit: Int?
        public var openBreachesOnly = false
        /// Only alerts not yet closed (the console's working list).
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
        var sql = """
            SELECT id, dossier, device, breach, severity, radex, queues, zone, event_ts, detected_at, cleared_at, state,
                escalation, policy, deadline, queues_at_once, escalated_at FROM alert WHERE 1 = 1
            """
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
        if f.activeOnly { sql += " AND state != 'closed'" }
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
        let s = try db.prepare(
            """
            SELECT id, dossier, device, breach, severity, radex, queues, zone, event_ts, detected_at, cleared_at, state,
                escalation, policy, deadline, queues_at_once, escalated_at FROM alert WHERE id = ?
            """)
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
            state: AlertState(rawValue: r.text(11)) ?? .open, escalation: Int(r.int(12)), policy: r.text(13),
            deadline: r.optionalText(14),
            queuesAtOnce: r.optionalText(15).map {
                $0.split(separator: ",").compactMap { Queue(rawValue: String($0)) }
            },
            escalatedAt: r.optionalInt(16).map(Timestamp.init))
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
