import Foundation
import SeinhuisCore

/// A curfew or zone-schedule window as the dossier states it (PROTOCOL 3): weekdays it starts on, local from/to.
struct Window {
    /// 0 = Monday ... 6 = Sunday.
    var days: [Int]
    /// Minutes after local midnight; `to` may be 1440 (`24:00`).
    var from: Int
    var to: Int

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static func hhmm(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    var json: String {
        var o = JSONObjectWriter()
        o.strings("days", days.map { Window.dayNames[$0] })
        o.string("from", Window.hhmm(from))
        o.string("to", Window.hhmm(to))
        return o.finish()
    }
}

/// A half-open interval of UTC milliseconds, [start, end).
struct Period: Equatable {
    var start: Int64
    var end: Int64
    func contains(_ t: Int64) -> Bool { t >= start && t < end }
}

/// Local wall-clock time in a dossier's IANA zone, turned into UTC the way PROTOCOL 4.1 reads it.
struct LocalClock {
    let zone: TimeZone

    init?(identifier: String) {
        guard let z = TimeZone(identifier: identifier) else { return nil }
        zone = z
    }

    private func offsetMs(atUTC ms: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000
    }

    /// The UTC instant of local `day` (days since 1970-01-01) at `minutes` after midnight (may be 1440).
    /// A time in the spring-forward gap moves forward by the gap; a time of the fall-back hour means the first one.
    func utc(day: Int64, minutes: Int) -> Int64 {
        let local = (day * 1440 + Int64(minutes)) * 60_000
        let before = offsetMs(atUTC: local - 86_400_000), after = offsetMs(atUTC: local + 86_400_000)
        var best: Int64?
        for off in [before, after] {
            let u = local - off
            if offsetMs(atUTC: u) == off { best = min(best ?? u, u) }
        }
        // In the gap neither offset reproduces the local time: read it with the offset in force before the jump,
        // which lands the same distance after the jump (02:30 becomes 03:30).
        return best ?? (local - before)
    }

    /// The local day (days since 1970-01-01) of a UTC instant.
    func localDay(ofUTC ms: Int64) -> Int64 {
        let l = ms + offsetMs(atUTC: ms)
        return l >= 0 ? l / 86_400_000 : (l - 86_399_999) / 86_400_000
    }

    /// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(ofDay d: Int64) -> Int { Int(((d % 7) + 7 + 3) % 7) }

    /// The periods of a set of windows (PROTOCOL 4.1: windows that overlap or touch form one period) that meet
    /// the UTC range [from, to], computed over a few days' slack on both sides.
    func periods(of windows: [Window], from: Int64, to: Int64) -> [Period] {
        guard !windows.isEmpty else { return [] }
        let d0 = localDay(ofUTC: from) - 3, d1 = localDay(ofUTC: to) + 2
        var raw: [Period] = []
        var d = d0
        while d <= d1 {
            let wd = LocalClock.weekday(ofDay: d)
            for w in windows where w.days.contains(wd) {
                let s = utc(day: d, minutes: w.from)
                let e = w.to > w.from ? utc(day: d, minutes: w.to) : utc(day: d + 1, minutes: w.to)
                if e > s { raw.append(Period(start: s, end: e)) }
            }
            d += 1
        }
        raw.sort { $0.start < $1.start }
        var merged: [Period] = []
        for p in raw {
            if let last = merged.last, p.start <= last.end {
                merged[merged.count - 1].end = max(last.end, p.end)
            } else {
                merged.append(p)
            }
        }
        return merged
    }
}

extension Array where Element == Period {
    /// The period containing `t`, if any.
    func containing(_ t: Int64) -> Period? { first { $0.contains(t) } }

    /// Whether any boundary (start or end) lies in [a, b].
    func hasBoundary(in a: Int64, _ b: Int64) -> Bool {
        contains { ($0.start >= a && $0.start <= b) || ($0.end >= a && $0.end <= b) }
    }

    /// Whether [a, b] lies entirely outside every period.
    func isFree(_ a: Int64, _ b: Int64) -> Bool { !contains { $0.start < b && $0.end > a } }
}
