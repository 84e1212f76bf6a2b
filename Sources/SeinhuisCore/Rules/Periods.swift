/// The continuous periods of a curfew or a zone schedule, as instants, computed lazily around the times asked for.
///
/// Windows that overlap or touch in local time form one period (PROTOCOL 4.1); their ends are then turned into
/// instants with the zone's DST rules (`LocalClock`), and periods that overlap or touch as instants are merged too.
/// A schedule that covers the whole week is one endless period. The table covers about five weeks of local days
/// around the last time asked for and is recomputed when asked outside them, so `Calendar` work happens once per
/// schedule per five weeks of stream time, and a lookup is a binary search over a few dozen integers.
public struct PeriodTable: Sendable {
    public let windows: [TimeWindow]
    public let clock: LocalClock
    /// The instants covered, [from, to).
    private(set) var coveredFrom: Int64 = 0
    private(set) var coveredTo: Int64 = 0
    /// Sorted, disjoint, non-touching periods [starts[i], ends[i]) that meet the covered range.
    private(set) var starts: [Int64] = []
    private(set) var ends: [Int64] = []

    /// Bounds for periods without a start or an end (a schedule covering the whole week).
    public static let never: Int64 = Int64.max / 4
    public static let always: Int64 = Int64.min / 4

    static let daysBefore: Int64 = 2
    static let daysAfter: Int64 = 35

    public init(windows: [TimeWindow], clock: LocalClock) {
        self.windows = windows
        self.clock = clock
    }

    /// Whether a period is open at `t`, and the next instant after `t` where that may change (a period's start or
    /// end, or the end of the computed range, where nothing changes but the table is looked at again).
    public mutating func lookup(_ t: Int64) -> (active: Bool, next: Int64) {
        if t < coveredFrom || t >= coveredTo { compute(around: t) }
        // Last period whose start <= t.
        var lo = 0
        var hi = starts.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if starts[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        let i = lo - 1
        if i >= 0, t < ends[i] { return (true, ends[i]) }
        if lo < starts.count { return (false, starts[lo]) }
        return (false, coveredTo)
    }

    /// The periods meeting [from, to), for tests and reports.
    public mutating func periods(from: Int64, to: Int64) -> [(start: Int64, end: Int64)] {
        var out: [(Int64, Int64)] = []
        var t = from
        while t < to {
            let (active, next) = lookup(t)
            if active {
                let i = starts.lastIndex(where: { $0 <= t })!
                if out.last?.0 != starts[i] { out.append((starts[i], ends[i])) }
            }
            guard next < Self.never else { break }
            t = next
        }
        return out
    }

    private mutating func compute(around t: Int64) {
        let d = clock.localDay(at: t)
        let lo = d - Self.daysBefore
        let hi = d + Self.daysAfter
        let local = Self.localPeriods(windows, fromDay: lo, toDay: hi)
        var s: [Int64] = []
        var e: [Int64] = []
        for p in local {
            let a = p.start == Self.always ? Self.always : clock.instant(localMilliseconds: p.start * 60_000)
            let b = p.end == Self.never ? Self.never : clock.instant(localMilliseconds: p.end * 60_000)
            guard b > a else { continue }  // a window swallowed by a spring-forward gap
            if let last = e.last, a <= last {  // overlapping or touching as instants
                e[e.count - 1] = max(last, b)
            } else {
                s.append(a)
                e.append(b)
            }
        }
        starts = s
        ends = e
        coveredFrom = clock.instant(day: lo, minutes: 0)
        coveredTo = clock.instant(day: hi, minutes: 0)
    }

    /// Merged local periods, in minutes since 1970-01-01 local midnight, meeting the local days [fromDay, toDay).
    /// A period running through the margin of ten days on either side runs through a whole week, so it never ends
    /// (or never started): it gets `always` / `never` as that bound.
    static func localPeriods(_ windows: [TimeWindow], fromDay: Int64, toDay: Int64) -> [(start: Int64, end: Int64)] {
        let margin: Int64 = 10
        var spans: [(Int64, Int64)] = []
        var day = fromDay - margin
        while day < toDay + margin {
            let wd = Weekday(daysSinceEpoch: day)
            for w in windows where w.starts(on: wd) {
                let (a, b) = w.span
                spans.append((day * 1440 + Int64(a), day * 1440 + Int64(b)))
            }
            day += 1
        }
        spans.sort { $0.0 < $1.0 }
        var merged: [(start: Int64, end: Int64)] = []
        for (a, b) in spans {
            if let last = merged.last, a <= last.end {
                merged[merged.count - 1].end = max(last.end, b)
            } else {
                merged.append((a, b))
            }
        }
        let low = fromDay * 1440
        let high = toDay * 1440
        var out: [(start: Int64, end: Int64)] = []
        for var p in merged where p.end > low && p.start < high {
            if p.start < (fromDay - margin + 1) * 1440 { p.start = always }
            if p.end > (toDay + margin - 1) * 1440 { p.end = never }
            out.append(p)
        }
        return out
    }
}
