import CSQLite
import SeinhuisCore

/// The audit trail (PROTOCOL 7, docs/AUDIT.md): appends chained to the recorded head, the head, and listings.
extension Store {
    /// Records a human action, chained to the head of the audit trail. Inside the action's transaction, so the action
    /// and its record land together; outside of one it opens its own. `dossier`: the dossier the entry concerns (if
    /// nil: the alert's dossier when `subject` is an alert id, `subject` itself when it is a dossier id).
    public func audit(
        actor: String, action: String, subject: String, detail: String, at: Timestamp, queue: Queue? = nil,
        role: String? = nil, dossier: String? = nil
    ) throws {
        var e = AuditRecord(
            id: 0, at: at, actor: actor, role: role, queue: queue?.rawValue, action: action, subject: subject,
            dossier: dossier, detail: detail)
        if sqlite3_get_autocommit(db.handle) != 0 {
            try db.transaction { try appendAudit(&e) }
        } else {
            try appendAudit(&e)
        }
    }

    /// The record of someone opening what the contract counts as a view (PROTOCOL 7): the details of a Radex
    /// dossier (`dossier.view`) or a review report (`review.report_view`). `via`: where (`console`, `api`, `cli`).
    public func auditView(
        _ action: String, dossier: String, actor: String, role: String?, via: String, detail: String, at: Timestamp
    ) throws {
        try audit(
            actor: actor, action: action, subject: dossier, detail: "\(detail) (\(via))", at: at, role: role,
            dossier: dossier)
    }

    private func appendAudit(_ e: inout AuditRecord) throws {
        // The recorded head, not the table's last row: after a removal of the tail the next entry still links to
        // the head, so the gap stays visible. Without a head (a new or pre-chain database) the table's last row.
        let head = try auditHead() ?? lastAuditRow()
        let maxID = try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM audit") ?? 0
        e.id = max(head?.id ?? 0, maxID) + 1
        if e.dossier == nil { e.dossier = try auditDossier(of: e.subject) }
        e.hash = AuditHasher().hash(prev: head?.hash, e)
        try db.cached(
            """
            INSERT INTO audit(id, at, actor, role, queue, action, subject, dossier, detail, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(e.id), .integer(e.at.milliseconds), .text(e.actor), SQLValue(e.role), SQLValue(e.queue),
            .text(e.action), .text(e.subject), SQLValue(e.dossier), .text(e.detail), .text(e.hash),
        ])
        try setMeta(Self.auditHeadKey, AuditHead(id: e.id, hash: e.hash, at: e.at).metaValue)
    }

    static let auditHeadKey = "audit.head"

    /// The head recorded in meta `audit.head` (nil: none recorded, or unreadable).
    public func auditHead() throws -> AuditHead? {
        try meta(Self.auditHeadKey).flatMap(AuditHead.init(metaValue:))
    }

    /// Whether meta holds an `audit.head` at all (readable or not).
    func hasAuditHeadKey() throws -> Bool { try meta(Self.auditHeadKey) != nil }

    /// The table's last entry as a head.
    func lastAuditRow() throws -> AuditHead? {
        let s = try db.cached("SELECT id, hash, at FROM audit ORDER BY id DESC LIMIT 1")
        var found: AuditHead?
        try s.forEach { found = AuditHead(id: $0.int(0), hash: $0.text(1), at: Timestamp(milliseconds: $0.int(2))) }
        return found
    }

    func auditDossier(of subject: String) throws -> String? {
        if subject.hasPrefix("A-") {
            let s = try db.cached("SELECT dossier FROM alert WHERE id = ?")
            try s.bind([.text(subject)])
            var d: String?
            try s.forEach { d = $0.text(0) }
            return d
        }
        return try db.scalarInt("SELECT COUNT(*) FROM dossier WHERE id = ?", [.text(subject)]) == 1 ? subject : nil
    }

    /// Schema 9: chains the entries made before the chain, in id order, and records the head.
    func chainExistingAudit() throws {
        let hasher = AuditHasher()
        var prev: String?
        var last: AuditHead?
        let update = try db.prepare("UPDATE audit SET hash = ? WHERE id = ?")
        for e in try auditRecords(AuditQuery(limit: nil)) {
            let h = hasher.hash(prev: prev, e)
            try update.run([.text(h), .integer(e.id)])
            prev = h
            last = AuditHead(id: e.id, hash: h, at: e.at)
        }
        if let last { try setMeta(Self.auditHeadKey, last.metaValue) }
    }

    // MARK: reading

    /// Entries of the trail, oldest first (`AuditQuery` filters and pages).
    public func auditRecords(_ q: AuditQuery) throws -> [AuditRecord] {
        var clauses: [String] = []
        var values: [SQLValue] = []
        func add(_ clause: String, _ v: SQLValue...) {
            clauses.append(clause)
            values.append(contentsOf: v)
        }
        if let a = q.actor { add("actor = ?", .text(a)) }
        if let d = q.dossier { add("dossier = ?", .text(d)) }
        if let s = q.subject { add("subject = ?", .text(s)) }
        // `alert` lists every `alert.*` action; `alert.close` only that one.
        if let a = q.action { add("(action = ? OR action LIKE ? ESCAPE '\\')", .text(a), .text(Self.likePrefix(a))) }
        if let f = q.from { add("at >= ?", .integer(f.milliseconds)) }
        if let t = q.to { add("at < ?", .integer(t.milliseconds)) }
        if let a = q.afterID { add("id > ?", .integer(a)) }
        if let b = q.beforeID { add("id < ?", .integer(b)) }
        var sql = "SELECT \(AuditRecord.columns) FROM audit"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += q.newestFirst ? " ORDER BY id DESC" : " ORDER BY id"
        if let limit = q.limit { sql += " LIMIT \(max(0, limit))" }
        let s = try db.prepare(sql)
        try s.bind(values)
        var out: [AuditRecord] = []
        try s.forEach { out.append(AuditRecord($0)) }
        return out
    }

    static func likePrefix(_ action: String) -> String {
        var p = ""
        for c in action {
            if c == "%" || c == "_" || c == "\\" { p.append("\\") }
            p.append(c)
        }
        return p + ".%"
    }

    public func auditCount() throws -> Int64 { try db.scalarInt("SELECT COUNT(*) FROM audit") ?? 0 }

    public struct AuditEntry: Sendable, Equatable {
        public var queue: String? = nil
        public var role: String? = nil
        public var at: Timestamp
        public var actor: String
        public var action: String
        public var subject: String
        public var detail: String
    }

    public func auditTrail(subject: String? = nil, limit: Int = 1000) throws -> [AuditEntry] {
        try auditRecords(AuditQuery(subject: subject, limit: limit)).map {
            AuditEntry(
                queue: $0.queue, role: $0.role, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject,
                detail: $0.detail)
        }
    }
}

/// What `audit list`, `GET /api/v1/audit` and the console's audit page ask for.
public struct AuditQuery: Sendable, Equatable {
    public var actor: String?
    public var dossier: String?
    public var subject: String?
    /// An action (`alert.close`) or a family of them (`alert`).
    public var action: String?
    /// `from <= at < to`.
    public var from: Timestamp?
    public var to: Timestamp?
    public var afterID: Int64?
    public var beforeID: Int64?
    public var newestFirst = false
    public var limit: Int? = 1000

    public init(
        actor: String? = nil, dossier: String? = nil, subject: String? = nil, action: String? = nil,
        from: Timestamp? = nil, to: Timestamp? = nil, limit: Int? = 1000
    ) {
        (self.actor, self.dossier, self.subject, self.action) = (actor, dossier, subject, action)
        (self.from, self.to, self.limit) = (from, to, limit)
    }
}

extension AuditQuery {
    /// A moment of `--from`/`--to` (and `from`/`to` of the API): RFC 3339, or a day `YYYY-MM-DD` (its start, UTC).
    public static func time(_ text: String) -> Timestamp? {
        if let t = Timestamp(rfc3339: text) { return t }
        guard text.utf8.count == 10, let d = LocalDate(text) else { return nil }
        return Timestamp(milliseconds: d.daysSinceEpoch * 86_400_000)
    }
}
