import Foundation

/// A day of the week, Monday first (the contract's `"mon"` ... `"sun"`).
public enum Weekday: Int, Sendable, CaseIterable, Comparable {
    case mon = 0
    case tue, wed, thu, fri, sat, sun

    /// The contract's three-letter name.
    public var name: String {
        switch self {
        case .mon: "mon"
        case .tue: "tue"
        case .wed: "wed"
        case .thu: "thu"
        case .fri: "fri"
        case .sat: "sat"
        case .sun: "sun"
        }
    }

    public init?(name: String) {
        guard let d = Weekday.allCases.first(where: { $0.name == name }) else { return nil }
        self = d
    }

    /// The weekday of a day counted from 1970-01-01 (a Thursday).
    @inlinable public init(daysSinceEpoch d: Int64) {
        let r = Int(((d % 7) + 7 + 3) % 7)
        self = Weekday(rawValue: r)!
    }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
}

/// Wall-clock time in one IANA time zone, turned into instants by the contract's rules (PROTOCOL 4.1): a local time
/// in the spring-forward gap moves forward by the gap (02:30 becomes 03:30), a local time of the fall-back hour means
/// the first of its two occurrences.
///
/// It asks Foundation's `TimeZone` for UTC offsets, so it is for computing periods ahead of time, never per event.
/// "Local milliseconds" below are a wall-clock reading written as if it were UTC: days since 1970-01-01 times
/// 86 400 000 plus the milliseconds since local midnight.
public struct LocalClock: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) { self.zone = zone }

    public init?(identifier: String) {
        guard let z = TimeZone(identifier: identifier) else { return nil }
        zone = z
    }

    /// The zone's UTC offset at an instant, in milliseconds.
    public func offset(at t: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(Self.floorDiv(t, 1000)))
        return Int64(zone.secondsFromGMT(for: date)) * 1000
    }

    /// The instant of a local wall-clock reading.
    public func instant(localMilliseconds local: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let before = offset(at: local - day)
        let after = offset(at: local + day)
        if before == after, offset(at: local - before) == before { return local - before }  // no change nearby
        let tBefore = local - before
        let tAfter = local - after
        let validBefore = offset(at: tBefore) == before
        let validAfter = offset(at: tAfter) == after
        switch (validBefore, validAfter) {
        case (true, true): return min(tBefore, tAfter)  // the fall-back hour: its first occurrence
        case (true, false): return tBefore
        case (false, true): return tAfter
        case (false, false): return tBefore  // the gap: read with the offset before it, i.e. moved forward by the gap
        }
    }

    /// The instant of `minutes` after local midnight starting `day` (days since 1970-01-01); 1440 is 24:00.
    public func instant(day: Int64, minutes: Int) -> Int64 {
        instant(localMilliseconds: day * 86_400_000 + Int64(minutes) * 60_000)
    }

    /// The local day (days since 1970-01-01) an instant falls on.
    public func localDay(at t: Int64) -> Int64 {
        Self.floorDiv(t + offset(at: t), 86_400_000)
    }

    @inlinable static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
