import SeinhuisCore

extension Store {
    /// Records a review in one transaction with its audit entry; the dossier's open review notices are cleared at
    /// the same moment (the cycle they belong to is over). Throws `ReviewError` for an unknown dossier.
    @discardableResult
    public func recordReview(_ r: Review, by actor: String, role: String? = nil, at: Timestamp) throws
        -> RecordedReview
    {
        try db.transaction {
            guard try db.scalarInt("SELECT 1 FROM dossier WHERE id = ?", [.text(r.dossier)]) != nil else {
                throw ReviewError(dossier: r.dossier, ["no dossier \(r.dossier)"])
            }
            try db.cached(
                """
                INSERT INTO review(dossier, reviewed_on, reviewer, findings, decision, recorded_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(r.dossier), .text(r.date.description), .text(r.reviewer), .text(r.findings),
                .text(r.decision.rawValue), .integer(at.milliseconds), .text(actor),
            ])
            let id = db.lastInsertRowID
            try db.cached(
                "UPDATE alert SET cleared_at = ?, updated_at = ? WHERE dossier = ? AND device IS NULL AND cleared_at IS NULL"
            ).run([.integer(at.milliseconds), .integer(at.milliseconds), .text(r.dossier)])
            try audit(
                actor: actor, action: "review.record", subject: r.dossier,
                detail: "review \(id) of \(r.date) by \(r.reviewer): \(r.decision.rawValue)", at: at, role: role)
            return RecordedReview(id: id, review: r, recordedAt: at, recordedBy: actor)
        }
    }

    /// Changes whenever a review is recorded or dossiers are imported: `serve` reloads its review calendar then.
    public func reviewChangeKey() throws -> String {
        let reviews = try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM review") ?? 0
        let versions = try db.scalarInt("SELECT COUNT(*) FROM dossier_version") ?? 0
        return "\(reviews)/\(versions)"
    }

    /// The recorded reviews of one dossier (or all), oldest review date first.
    public func reviews(dossier: String? = nil) throws -> [RecordedReview] {
        let s = try db.prepare(
            """
            SELECT id, dossier, reviewed_on, reviewer, findings, decision, recorded_at, recorded_by FROM review
            WHERE (?1 IS NULL OR dossier = ?1) ORDER BY dossier, reviewed_on, id
            """)
        try s.bind([SQLValue(dossier)])
        var out: [RecordedReview] = []
        try s.forEach { r in
            guard let date = LocalDate(r.text(2)), let decision = ReviewDecision(rawValue: r.text(5)) else { return }
            out.append(
                RecordedReview(
                    id: r.int(0),
                    review: Review(
                        dossier: r.text(1), reviewer: r.text(3), date: date, findings: r.text(4), decision: decision),
                    recordedAt: Timestamp(milliseconds: r.int(6)), recordedBy: r.text(7)))
        }
        return out
    }

    /// Already parsed dossiers with their stored reviews, as the review calendar sees them (`serve` has its catalog:
    /// parsing 10k dossiers again takes seconds).
    public func reviewSubjects(of dossiers: [Dossier]) throws -> [(Dossier, ReviewSubject)] {
        var byDossier: [String: [(date: LocalDate, ended: Bool)]] = [:]
        for r in try reviews() {
            byDossier[r.review.dossier, default: []].append((r.review.date, r.review.decision == .end))
        }
        return dossiers.map { ($0, ReviewSubject($0, reviews: byDossier[$0.id] ?? [])) }
    }

    /// The latest recorded review of a dossier (by review date).
    public func latestReview(dossier: String) throws -> RecordedReview? {
        try reviews(dossier: dossier).last
    }

    /// What review notices were raised, per cycle (dossier and deadline): read at start so nothing is raised twice.
    public func reviewNoticeMarks() throws -> [ReviewNoticeMarks.Key: ReviewNoticeMarks] {
        let s = try db.prepare(
            """
            SELECT dossier, breach, deadline, MAX(event_ts) FROM alert
            WHERE device IS NULL AND deadline IS NOT NULL GROUP BY dossier, breach, deadline
            """)
        var out: [ReviewNoticeMarks.Key: ReviewNoticeMarks] = [:]
        try s.forEach { r in
            guard let deadline = LocalDate(r.text(2)) else { return }
            let key = ReviewNoticeMarks.Key(dossier: r.text(0), deadline: deadline)
            switch ReviewNotice.Kind(rawValue: r.text(1)) {
            case .due: out[key, default: ReviewNoticeMarks()].dueRaised = true
            case .overdue: out[key, default: ReviewNoticeMarks()].lastOverdue = Timestamp(milliseconds: r.int(3))
            case nil: break
            }
        }
        return out
    }

    /// The handling moments of a dossier's breach alerts (review notices excluded), for the review report.
    public func latencyRecords(dossier: String) throws -> [LatencyRecord] {
        let s = try db.prepare(
            """
            SELECT id, breach, severity, radex, queues, policy, escalation, detected_at, acknowledged_at, responded_at
            FROM alert WHERE dossier = ? AND device IS NOT NULL ORDER BY number
            """)
        try s.bind([.text(dossier)])
        var out: [LatencyRecord] = []
        try s.forEach { r in
            let id = r.text(0)
            out.append(
                LatencyRecord(
                    alertID: id, kind: try r.alertKind(1, alert: id), severity: try r.severity(2, alert: id),
                    radex: r.int(3) != 0,
                    queues: r.text(4).split(separator: ",").compactMap { Queue(rawValue: String($0)) },
                    policy: r.text(5), escalation: Int(r.int(6)), detectedAt: Timestamp(milliseconds: r.int(7)),
                    acknowledgedAt: r.optionalInt(8).map(Timestamp.init),
                    respondedAt: r.optionalInt(9).map(Timestamp.init), targetSeconds: nil))
        }
        return out
    }

    /// Every measure recorded on a dossier's alerts, in order.
    public func measures(dossier: String) throws -> [(alertID: String, measure: Measure, at: Timestamp)] {
        let s = try db.prepare(
            """
            SELECT x.alert_id, x.measure, x.at FROM alert_action x JOIN alert a ON a.id = x.alert_id
            WHERE a.dossier = ? AND x.measure IS NOT NULL ORDER BY x.id
            """)
        try s.bind([.text(dossier)])
        var out: [(alertID: String, measure: Measure, at: Timestamp)] = []
        try s.forEach { r in
            guard let m = Measure(rawValue: r.text(1)) else { return }
            out.append((r.text(0), m, Timestamp(milliseconds: r.int(2))))
        }
        return out
    }

    /// Per dossier: alerts not yet closed (breaches and notices).
    public func openAlertCounts() throws -> [String: Int] {
        let s = try db.prepare("SELECT dossier, COUNT(*) FROM alert WHERE state != 'closed' GROUP BY dossier")
        var out: [String: Int] = [:]
        try s.forEach { out[$0.text(0)] = Int($0.int(1)) }
        return out
    }

    /// The last contact of each device: the latest event time in the most recently received journal block that
    /// holds the device, among the blocks with events at or after `since`. Reads those blocks newest first and stops
    /// once every device asked for is found; `since` bounds the work for devices that fell silent long ago.
    public func lastContact(devices: Set<String>, since: Timestamp = .distantPast) throws -> [String: Timestamp] {
        var wanted: [Int64: String] = [:]
        for d in devices {
            if let id = try db.scalarInt("SELECT id FROM device WHERE name = ?", [.text(d)]) { wanted[id] = d }
        }
        var out: [String: Timestamp] = [:]
        guard !wanted.isEmpty else { return out }
        let s = try db.prepare("SELECT data, format FROM journal_block WHERE last_ts >= ? ORDER BY id DESC")
        try s.bind(since.milliseconds, at: 1)
        defer { s.reset() }
        while try s.step() {
            var found: [Int64: Int64] = [:]
            let row = Row(handle: s.handle)
            let format = JournalFormat(rawValue: row.int(1)) ?? .v1
            row.withBlob(0) { bytes in
                var r = JournalBlockReader(bytes, format: format)
                while let (id, e) = r.next(deviceName: { _ in "" }) {
                    guard wanted[id] != nil, e.ts >= since else { continue }
                    found[id] = max(found[id] ?? .min, e.ts.milliseconds)
                }
            }
            for (id, ts) in found {
                if let name = wanted.removeValue(forKey: id) { out[name] = Timestamp(milliseconds: ts) }
            }
            if wanted.isEmpty { break }
        }
        return out
    }
}
