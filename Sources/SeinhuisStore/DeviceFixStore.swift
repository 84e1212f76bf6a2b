import SeinhuisCore

/// Each device's latest qualifying fix (`device_fix`, schema 10), for the console's map: written with every journal
/// block, read in one query.
extension Store {
    /// Takes a block's fixes; writes every pending one if `fixWriteIntervalMs` has passed (inside the block's
    /// transaction: if it rolls back, the pending fixes are lost with it, and each device's next fix restores them).
    func takeLatestFixes(_ fixes: [Int64: LatestFix], at: Timestamp) throws {
        for (device, fix) in fixes where fix.ts >= pendingFixes[device]?.ts ?? .min { pendingFixes[device] = fix }
        guard !pendingFixes.isEmpty, fixesDue(at) else { return }
        for (device, fix) in pendingFixes { try saveLatestFix(device: device, fix) }
        pendingFixes.removeAll(keepingCapacity: true)
        fixesWrittenAt = at.milliseconds
    }

    /// Writes the pending fixes in a transaction of their own once they are due (serve's loop calls it every turn,
    /// so the last fixes of a burst reach the map within `fixWriteIntervalMs` even if no other block follows).
    public func writeLatestFixesIfDue(at: Timestamp) throws {
        guard !pendingFixes.isEmpty, fixesDue(at) else { return }
        try transaction { try takeLatestFixes([:], at: at) }
    }

    /// Never written yet, the interval passed, or the clock went back.
    private func fixesDue(_ at: Timestamp) -> Bool {
        guard let w = fixesWrittenAt else { return true }
        return at.milliseconds - w >= fixWriteIntervalMs || at.milliseconds < w
    }

    /// Keeps `fix` if it is newer (by event time) than the one stored (call inside the journal's transaction).
    func saveLatestFix(device: Int64, _ fix: LatestFix) throws {
        try db.cached(
            """
            INSERT INTO device_fix(device, ts, lat, lon, acc) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(device) DO UPDATE SET ts = excluded.ts, lat = excluded.lat, lon = excluded.lon,
                acc = excluded.acc WHERE excluded.ts >= device_fix.ts
            """
        ).run([.integer(device), .integer(fix.ts), .real(fix.lat), .real(fix.lon), .real(fix.acc)])
    }

    /// The latest qualifying fix of each named device that has one: one query (the names as a JSON array).
    public func latestFixes(devices: [String]) throws -> [String: LatestFix] {
        guard !devices.isEmpty else { return [:] }
        let names = "[" + devices.map { JSONObjectWriter.quoted($0) }.joined(separator: ",") + "]"
        let s = try db.cached(
            """
            SELECT device.name, f.ts, f.lat, f.lon, f.acc FROM device_fix f JOIN device ON device.id = f.device
            WHERE device.name IN (SELECT value FROM json_each(?))
            """)
        try s.bind([.text(names)])
        var out: [String: LatestFix] = [:]
        try s.forEach { r in
            out[r.text(0)] = LatestFix(ts: r.int(1), lat: r.double(2), lon: r.double(3), acc: r.double(4))
        }
        return out
    }

    /// Drops fixes older than `cutoff` (with the journal's retention: a map shows no position the journal forgot).
    func purgeDeviceFixes(before cutoff: Int64) throws -> Int64 {
        try db.cached("DELETE FROM device_fix WHERE ts < ?").run([.integer(cutoff)])
        return Int64(db.changes)
    }

    /// Schema 10: every device's latest qualifying fix from the journal as it stands (once, at the migration).
    func fillDeviceFixes() throws {
        var latest: [Int64: LatestFix] = [:]
        try forEachJournalEvent { device, e in
            guard case .position(let lat, let lon, let acc) = e.reading, acc <= LatestFix.qualifyingMetres,
                e.ts.milliseconds >= latest[device]?.ts ?? .min
            else { return }
            latest[device] = LatestFix(ts: e.ts.milliseconds, lat: lat, lon: lon, acc: acc)
        }
        for (device, fix) in latest { try saveLatestFix(device: device, fix) }
    }
}
