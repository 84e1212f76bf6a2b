import SeinhuisCore

extension Store {
    /// The alerts detected in [from, to) with the moments the latency report needs (review notices excluded).
    /// `target` gives the response target of an alert's route from its policy version, radex flag and severity.
    public func latencyRecords(
        from: Timestamp, to: Timestamp, target: (_ policy: String, _ radex: Bool, _ severity: Severity) -> Int64?
    ) throws -> [LatencyRecord] {
        let s = try db.prepare(
            """
            SELECT id, breach, severity, radex, queues, policy, escalation, detected_at, acknowledged_at, responded_at,
                handling
            FROM alert WHERE detected_at >= ? AND detected_at < ? AND device IS NOT NULL ORDER BY number
            """)
        try s.bind([.integer(from.milliseconds), .integer(to.milliseconds)])
        var out: [LatencyRecord] = []
        try s.forEach { r in
            let id = r.text(0)
            let radex = r.int(3) != 0
            let policy = r.text(5)
            let severity = try r.severity(2, alert: id)
            var record =
                LatencyRecord(
                    alertID: id, kind: try r.alertKind(1, alert: id), severity: severity, radex: radex,
                    queues: r.text(4).split(separator: ",").compactMap { Queue(rawValue: String($0)) }, policy: policy,
                    escalation: Int(r.int(6)), detectedAt: Timestamp(milliseconds: r.int(7)),
                    acknowledgedAt: r.optionalInt(8).map(Timestamp.init),
                    respondedAt: r.optionalInt(9).map(Timestamp.init),
                    targetSeconds: target(policy, radex, severity))
            record.handling = Self.handling(r.text(10), queues: r.text(4))
            out.append(record)
        }
        return out
    }
}
