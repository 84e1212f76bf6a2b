import SeinhuisCore

/// A dossier's line in the console's overview.
public struct DossierSummary: Sendable, Equatable {
    public var record: DossierRecord
    public var openAlerts: Int
    public var lastAlertAt: Timestamp?
    /// The latest event of any of its devices within the look-back window; nil: none that recent.
    public var lastContact: Timestamp?
}

extension Store {
    /// Every dossier with its open (not closed) alerts, its latest alert and its latest contact. Contact is read
    /// from the journal's newest blocks, at most `lookBack` back from `now`, and the scan stops as soon as every
    /// device has been seen: on a live system that is the last few seconds of blocks.
    public func dossierSummaries(now: Timestamp, lookBack: Int64 = 3_600_000) throws -> [DossierSummary] {
        let records = try dossiers()
        var open: [String: Int] = [:]
        var last: [String: Timestamp] = [:]
        try db.prepare(
            """
            SELECT dossier, SUM(state != 'closed'), MAX(detected_at) FROM alert WHERE device IS NOT NULL
            GROUP BY dossier
            """
        ).forEach { r in
            open[r.text(0)] = Int(r.int(1))
            last[r.text(0)] = Timestamp(milliseconds: r.int(2))
        }
        try reloadDevices()
        let names = deviceNamesSnapshot
        var wanted = Set(records.flatMap(\.devices))
        var contact: [String: Timestamp] = [:]
        let s = try db.prepare("SELECT data FROM journal_block WHERE last_ts >= ? ORDER BY id DESC")
        try s.bind([.integer(now.milliseconds - lookBack)])
        try s.forEach { row in
            guard !wanted.isEmpty else { return }
            try row.withBlob(0) { bytes in
                var reader = JournalBlockReader(bytes)
                while let (_, e) = reader.next(deviceName: { names[$0] ?? "#\($0)" }) {
                    if e.ts > (contact[e.device] ?? .distantPast) { contact[e.device] = e.ts }
                }
            }
            for d in contact.keys { wanted.remove(d) }
        }
        return records.map { rec in
            DossierSummary(
                record: rec, openAlerts: open[rec.id] ?? 0, lastAlertAt: last[rec.id],
                lastContact: rec.devices.compactMap { contact[$0] }.max())
        }
    }
}
