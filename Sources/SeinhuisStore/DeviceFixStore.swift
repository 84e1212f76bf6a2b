import SeinhuisCore

/// Each device's latest qualifying fix (`device_fix`, schema 10), for the console's map: written with every journal
/// block, read in one query.
extension Store {
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
