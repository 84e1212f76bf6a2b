import SeinhuisCore

/// The evidence a purge keeps (PROTOCOL 7): for every alert of a device, the time window of `evidenceWindowMs` on
/// either side of its `event_ts`, for its device and its dossier's other devices (a curfew breach is judged on the
/// tag's fixes and the home unit's presence alike). Review notices (no device) have no evidence. Only the alerts
/// whose window reaches before the cutoff matter.
struct EvidenceWindows {
    /// Journal device id → merged windows `[lo, hi]` (inclusive), sorted.
    private var byDevice: [Int64: [ClosedRange<Int64>]] = [:]
    /// Every window of every device, merged: a block none of them overlaps has no evidence.
    private var all: [ClosedRange<Int64>] = []

    init(store: Store, plan: RetentionPlan) throws {
        let w = plan.evidenceWindowMs
        var ids: [String: Int64] = [:]
        for (id, name) in store.deviceNamesSnapshot { ids[name] = id }
        var devicesOf: [String: [String]] = [:]
        try store.db.prepare("SELECT dossier_id, device FROM dossier_device").forEach { r in
            devicesOf[r.text(0), default: []].append(r.text(1))
        }
        var raw: [Int64: [ClosedRange<Int64>]] = [:]
        let s = try store.db.prepare(
            "SELECT device, dossier, event_ts FROM alert WHERE device IS NOT NULL AND event_ts - ? < ?")
        try s.bind([.integer(w), .integer(plan.cutoff.milliseconds)])
        try s.forEach { r in
            let ts = r.int(2)
            let window = (ts - w)...(ts + w)
            var names = Set(devicesOf[r.text(1)] ?? [])
            names.insert(r.text(0))
            for name in names {
                guard let id = ids[name] else { continue }
                raw[id, default: []].append(window)
            }
        }
        for (id, windows) in raw { byDevice[id] = Self.merged(windows) }
        all = Self.merged(raw.values.flatMap { $0 })
    }

    var isEmpty: Bool { all.isEmpty }

    static func merged(_ windows: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var out: [ClosedRange<Int64>] = []
        for w in windows.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, w.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, w.upperBound)
            } else {
                out.append(w)
            }
        }
        return out
    }

    /// The first window whose upper bound is at least `t` (binary search), if any.
    private static func firstEnding(atOrAfter t: Int64, in windows: [ClosedRange<Int64>]) -> ClosedRange<Int64>? {
        var lo = 0
        var hi = windows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if windows[mid].upperBound < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < windows.count ? windows[lo] : nil
    }

    /// Whether any device's evidence overlaps `[from, to]`.
    func anyOverlaps(from: Int64, to: Int64) -> Bool {
        guard let w = Self.firstEnding(atOrAfter: from, in: all) else { return false }
        return w.lowerBound <= to
    }

    /// Whether an event of `device` at `ts` is evidence.
    func contains(device: Int64, ts: Int64) -> Bool {
        guard let windows = byDevice[device], let w = Self.firstEnding(atOrAfter: ts, in: windows) else {
            return false
        }
        return w.lowerBound <= ts
    }
}
