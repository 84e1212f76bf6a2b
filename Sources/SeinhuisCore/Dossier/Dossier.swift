/// A calendar date without a time or zone (`2026-05-01`): a dossier's `start`, `end` and `last_review`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    public init(year: Int, month: Int, day: Int) {
        daysSinceEpoch = CivilDate.days(fromYear: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Parses `YYYY-MM-DD` (a real date of the proleptic Gregorian calendar); nil for anything else.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1,
            d <= CivilDate.daysInMonth(year: y, month: m)
        else { return nil }
        daysSinceEpoch = CivilDate.days(fromYear: y, month: m, day: d)
    }

    public var year: Int { Int(CivilDate.civil(fromDays: daysSinceEpoch).year) }
    public var month: Int { Int(CivilDate.civil(fromDays: daysSinceEpoch).month) }
    public var day: Int { Int(CivilDate.civil(fromDays: daysSinceEpoch).day) }
    public var weekday: Weekday { Weekday(daysSinceEpoch: daysSinceEpoch) }

    public func adding(days n: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + Int64(n)) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = CivilDate.civil(fromDays: daysSinceEpoch)
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// The legal basis of the monitoring.
public enum Mandate: String, Sendable, CaseIterable {
    /// Voorlopige hechtenis.
    case pretrial
    /// Strafuitvoering.
    case sentence
}

/// A recurring local-time window of a curfew or a zone schedule (PROTOCOL 4.1).
///
/// It is named by the day it starts on: `{"days":["mon"],"from":"21:00","to":"07:00"}` runs from Monday 21:00 to
/// Tuesday 07:00. `to` at or before `from` ends on the next day; `from == to` is 24 hours; `24:00` ends a day.
public struct TimeWindow: Sendable, Hashable {
    /// Stored in 5 bytes (a dossier's windows are kept for every tracked device): the days as a bit mask, the
    /// minutes as 16-bit numbers.
    private var dayMask: UInt8
    private var fromMinutes: Int16
    private var toMinutes: Int16

    /// The days it starts on, sorted, without repeats.
    public var days: [Weekday] {
        get { Weekday.allCases.filter { starts(on: $0) } }
        set { dayMask = newValue.reduce(0) { $0 | 1 << UInt8($1.rawValue) } }
    }
    /// Minutes after local midnight, 0-1439.
    public var from: Int {
        get { Int(fromMinutes) }
        set { fromMinutes = Int16(newValue) }
    }
    /// Minutes after local midnight, 0-1440 (1440 is `24:00`).
    public var to: Int {
        get { Int(toMinutes) }
        set { toMinutes = Int16(newValue) }
    }

    public init(days: [Weekday], from: Int, to: Int) {
        dayMask = days.reduce(0) { $0 | 1 << UInt8($1.rawValue) }
        fromMinutes = Int16(from)
        toMinutes = Int16(to)
    }

    /// Whether the window starts on `day`.
    public func starts(on day: Weekday) -> Bool { dayMask & 1 << UInt8(day.rawValue) != 0 }

    /// Start and end in minutes after the local midnight of the day it starts on; the end may be in the next day.
    public var span: (start: Int, end: Int) {
        to > from ? (from, to) : (from, to + 1440)
    }

    /// `HH:MM` (`24:00` for 1440).
    public static func clockText(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// Parses `HH:MM`; `24:00` only when `allowEndOfDay`.
    public static func minutes(_ text: String, allowEndOfDay: Bool) -> Int? {
        let u = Array(text.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":"),
            u.enumerated().allSatisfy({ $0.offset == 2 || ($0.element >= 48 && $0.element <= 57) })
        else { return nil }
        let h = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        let m = Int(u[3] - 48) * 10 + Int(u[4] - 48)
        if h == 24, m == 0, allowEndOfDay { return 1440 }
        guard h <= 23, m <= 59 else { return nil }
        return h * 60 + m
    }
}

/// Whether a zone is one the subject must stay out of, or one they must stay in.
public enum ZoneKind: String, Sendable, CaseIterable {
    case exclusion, inclusion
}

/// The area of a zone.
public enum ZoneShape: Sendable, Equatable {
    case circle(GeoCircle)
    case polygon(GeoPolygon)

    @inlinable public func contains(_ p: GeoPoint) -> Bool {
        switch self {
        case .circle(let c): c.contains(p)
        case .polygon(let g): g.contains(p)
        }
    }
}

/// An exclusion or inclusion zone of a dossier, active always or along its schedule.
public struct Zone: Sendable, Equatable {
    public var id: String
    public var kind: ZoneKind
    public var shape: ZoneShape
    /// Empty: always active.
    public var schedule: [TimeWindow]
    /// (1.1) `"crossing": true`: passing through the zone between two fixes outside it is `exclusion_zone_crossed`.
    /// Exclusion zones only (the parser refuses it on an inclusion zone).
    public var crossing: Bool

    public init(id: String, kind: ZoneKind, shape: ZoneShape, schedule: [TimeWindow] = [], crossing: Bool = false) {
        self.id = id
        self.kind = kind
        self.shape = shape
        self.schedule = schedule
        self.crossing = crossing
    }
}

/// (1.1) A protected person (a victim) who carries a device of their own: a tag of the dossier within `radiusMetres`
/// of them is `victim_proximity` (PROTOCOL 3, 4.1). Their device's positions count for nothing else.
public struct ProtectedPerson: Sendable, Equatable {
    /// The person's id in the dossier (`P-01`): names the breach, never a name.
    public var id: String
    /// Their device; bound to one active dossier, like a tag, and never a tag itself.
    public var device: String
    public var radiusMetres: Double

    public init(id: String, device: String, radiusMetres: Double) {
        self.id = id
        self.device = device
        self.radiusMetres = radiusMetres
    }
}

/// A dossier's own false-alarm limits, overriding `RuleConfig` (a Seinhuis extension of PROTOCOL 3:
/// `"rules": {"max_acc_m": 100, "consecutive_fixes": 2}`, each field optional).
public struct RuleOverrides: Sendable, Equatable {
    /// A fix qualifies when its `acc` is at most this many metres.
    public var maxAccuracyMetres: Double?
    /// Consecutive qualifying fixes on the wrong side that raise a zone or curfew breach (1-32).
    public var consecutiveFixes: Int?

    public init(maxAccuracyMetres: Double? = nil, consecutiveFixes: Int? = nil) {
        self.maxAccuracyMetres = maxAccuracyMetres
        self.consecutiveFixes = consecutiveFixes
    }
}

/// A monitoring dossier: the subject's devices and the conditions they are held to (PROTOCOL 3).
///
/// Parse with `Dossier.parse(_:)`; store with `canonicalJSON`, which parses back to an equal dossier.
public struct Dossier: Sendable, Equatable {
    public var id: String
    /// A pseudonym; the system stores no names.
    public var subject: String
    /// Violent radicalisation, extremism or terrorism: the faster routing of PROTOCOL 4.2.
    public var radex: Bool
    public var mandate: Mandate
    /// Active from 00:00 local time on `start` ...
    public var start: LocalDate
    /// ... to 24:00 local time on `end`; nil: no end.
    public var end: LocalDate?
    /// IANA time zone of the curfews and schedules (default `Europe/Brussels`).
    public var timezone: String
    /// The devices bound to the dossier; each has its own state.
    public var devices: [String]
    /// (1.1) Device → the mobile network or gateway it reports through (`{"id": ..., "network": ...}`); a device
    /// given as a plain string has none and is absent here.
    public var networks: [String: String]
    /// (1.1) The protected persons and their devices (`protected`); empty: none.
    public var protected: [ProtectedPerson]
    public var home: GeoCircle
    /// The curfew windows; together they form the curfew periods.
    public var curfew: [TimeWindow]
    public var zones: [Zone]
    /// `communication_loss` after this many seconds without an event (default 600).
    public var commsTimeoutSeconds: Int
    public var lastReview: LocalDate?
    /// Per-dossier false-alarm limits (extension); nil: the global `RuleConfig`.
    public var rules: RuleOverrides?

    public static let defaultTimeZone = "Europe/Brussels"
    public static let defaultCommsTimeoutSeconds = 600

    public init(
        id: String, subject: String, radex: Bool, mandate: Mandate, start: LocalDate, end: LocalDate? = nil,
        timezone: String = Dossier.defaultTimeZone, devices: [String], home: GeoCircle, curfew: [TimeWindow] = [],
        zones: [Zone] = [], commsTimeoutSeconds: Int = Dossier.defaultCommsTimeoutSeconds,
        lastReview: LocalDate? = nil, rules: RuleOverrides? = nil, networks: [String: String] = [:],
        protected: [ProtectedPerson] = []
    ) {
        self.id = id
        self.subject = subject
        self.radex = radex
        self.mandate = mandate
        self.start = start
        self.end = end
        self.timezone = timezone
        self.devices = devices
        self.home = home
        self.curfew = curfew
        self.zones = zones
        self.commsTimeoutSeconds = commsTimeoutSeconds
        self.lastReview = lastReview
        self.rules = rules
        self.networks = networks
        self.protected = protected
    }

    /// Every device the dossier binds: its tags, then its protected persons' devices (each bound to one active
    /// dossier: what the import's uniqueness check and the journal's device lists use).
    public var boundDevices: [String] { devices + protected.map(\.device) }

    /// Where the dossier names a bound device, as a field path of its file (`devices[1]`, `protected[0].device`).
    public func fieldPath(ofDevice device: String) -> String? {
        if let i = devices.firstIndex(of: device) { return "devices[\(i)]" }
        if let i = protected.firstIndex(where: { $0.device == device }) { return "protected[\(i)].device" }
        return nil
    }

    /// The network a device reports through (nil: none given).
    public func network(of device: String) -> String? { networks[device] }

    /// The active period as instants, [start, end): 00:00 local on `start` to 24:00 local on `end`
    /// (`end` nil: `Timestamp.distantFuture`). Computed with Foundation's time zone data: not for a hot path.
    public var activePeriod: (start: Timestamp, end: Timestamp) {
        let clock = LocalClock(identifier: timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        let s = clock.instant(day: start.daysSinceEpoch, minutes: 0)
        let e = end.map { clock.instant(day: $0.daysSinceEpoch + 1, minutes: 0) }
        return (Timestamp(milliseconds: s), e.map { Timestamp(milliseconds: $0) } ?? .distantFuture)
    }

    /// Whether the dossier is active at an instant.
    public func isActive(at t: Timestamp) -> Bool {
        let p = activePeriod
        return p.start <= t && t < p.end
    }

    /// Whether the two dossiers' active periods share an instant (a device may be bound to one active dossier only).
    public func overlapsActivePeriod(of other: Dossier) -> Bool {
        let a = activePeriod
        let b = other.activePeriod
        return a.start < b.end && b.start < a.end
    }
}
