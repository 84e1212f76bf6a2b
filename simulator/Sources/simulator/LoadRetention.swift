import Foundation
import SeinhuisCore
import SeinhuisStore

/// `loadrun --old-events N [--purge]` (docs/PERFORMANCE.md, "Ingest during a purge"): a database that already holds
/// N events older than the retention period, and serve's own purge of them running while the load is measured.
struct OldEvents {
    let count: Int
    let purge: Bool
    /// Devices of the old events: none is in a dossier, so start-up reads them without raising anything.
    static let devices = 1000
    static let perBlock = 4096
    static let perTransaction = 1_048_576

    /// serve's options: the purge a moment after ready (while the load runs), or none during the run.
    var serveArguments: [String] {
        guard count > 0 || purge else { return [] }
        return ["--retention-first-run-ms", purge ? "1500" : "86400000"]
    }

    /// Fills `db` (its dossiers imported) with the old events, written directly through the store: blocks of
    /// 4096 events, a transaction per million, the latest event 400 days ago.
    func fill(db: String, note: (String) -> Void) throws {
        guard count > 0 else { return }
        let t0 = Date()
        let store = try Store(path: db)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let first = now - 400 * 86_400_000 - Int64(count) * 10
        var ids: [Int64] = []
        try store.transaction {
            for d in 0..<Self.devices { ids.append(try store.deviceID("OLD-\(d)")) }
        }
        var block = JournalBlockBuilder(reserve: Self.perBlock * 40)
        var written = 0
        while written < count {
            try store.transaction {
                let end = min(count, written + Self.perTransaction)
                while written < end {
                    let d = written % Self.devices
                    let ts = Timestamp(milliseconds: first + Int64(written) * 10)
                    let e = DeviceEvent(
                        device: "", seq: UInt64(written / Self.devices), ts: ts,
                        reading: .position(lat: 51 + Double(d) * 1e-4, lon: 3.7, acc: 8))
                    block.append(deviceID: ids[d], e)
                    written += 1
                    if block.count == Self.perBlock || written == end {
                        try store.appendJournal(block, receivedAt: ts)
                        block.reset()
                    }
                }
            }
        }
        note("old events: \(count) written in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
    }

    /// serve's "retention purge" log line's counts (`retention.purged`, `retention.ms`, ...), if it purged.
    static func purgeCounts(log: String) -> [String: Int] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.contains("retention purge") })
        else { return [:] }
        var out: [String: Int] = [:]
        for key in ["purged", "evidence", "deferred", "remaining", "ms"] {
            guard let r = line.range(of: "retention.\(key)=") else { continue }
            out[key] = Int(line[r.upperBound...].prefix { $0.isNumber })
        }
        return out
    }

    /// The run's JSON line with the old events and the purge's counts added.
    func annotate(_ json: String, log: String) -> String {
        guard count > 0 || purge, json.hasSuffix("}") else { return json }
        let c = Self.purgeCounts(log: log)
        let fields = [
            "\"old_events\":\(count)", "\"purge\":\(purge)", "\"purged\":\(c["purged"].map(String.init) ?? "null")",
            "\"purge_ms\":\(c["ms"].map(String.init) ?? "null")",
        ]
        return String(json.dropLast()) + "," + fields.joined(separator: ",") + "}"
    }
}
