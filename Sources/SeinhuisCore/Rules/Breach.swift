/// How urgent a breach is; routing (PROTOCOL 4.2) depends on it.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case critical, high, medium, low

    public static func < (a: Severity, b: Severity) -> Bool { a.ordinal < b.ordinal }

    /// The place in `allCases`, without building it.
    public var ordinal: Int {
        switch self {
        case .critical: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        }
    }
}

/// The breach kinds of PROTOCOL 4.1; the raw value is the contract's name.
public enum BreachKind: String, Sendable, CaseIterable {
    case exclusion_zone_entry
    case inclusion_zone_exit
    case curfew_absence
    case strap_tamper
    case case_tamper
    case battery_low
    case battery_depleted
    case communication_loss
    case gnss_loss
    case gnss_jamming
    case home_power_loss
    /// (1.1) Two consecutive qualifying fixes outside a `crossing` zone whose path passes through it.
    case exclusion_zone_crossed
    /// (1.1) A tag near a protected person; keyed by the person (`BreachKey.protected`), no zone.
    case victim_proximity

    /// The contract's default severity.
    public var severity: Severity {
        switch self {
        case .exclusion_zone_entry, .strap_tamper, .gnss_jamming, .exclusion_zone_crossed, .victim_proximity: .critical
        case .inclusion_zone_exit, .curfew_absence, .case_tamper, .battery_depleted, .communication_loss: .high
        case .gnss_loss: .medium
        case .battery_low, .home_power_loss: .low
        }
    }

    /// Whether the breach belongs to a zone (and its key names the zone).
    public var isZoneBreach: Bool {
        self == .exclusion_zone_entry || self == .inclusion_zone_exit || self == .exclusion_zone_crossed
    }

    /// A small stable number (bit position in a device's open-breach mask).
    @usableFromInline var bit: UInt16 {
        switch self {
        case .exclusion_zone_entry: 1 << 0
        case .inclusion_zone_exit: 1 << 1
        case .curfew_absence: 1 << 2
        case .strap_tamper: 1 << 3
        case .case_tamper: 1 << 4
        case .battery_low: 1 << 5
        case .battery_depleted: 1 << 6
        case .communication_loss: 1 << 7
        case .gnss_loss: 1 << 8
        case .gnss_jamming: 1 << 9
        case .home_power_loss: 1 << 10
        case .exclusion_zone_crossed: 1 << 11
        case .victim_proximity: 1 << 12
        }
    }
}

/// Identifies a breach (PROTOCOL 4.1): one alert per occurrence of a key being raised.
public struct BreachKey: Hashable, Sendable, CustomStringConvertible {
    public var dossier: String
    public var device: String
    public var kind: BreachKind
    /// The zone's id for zone breaches, nil otherwise.
    public var zone: String?
    /// (1.1) `victim_proximity`: the protected person's id (PROTOCOL 4.1: the breach is identified by dossier, tag and
    /// person); nil otherwise.
    public var protected: String?

    public init(dossier: String, device: String, kind: BreachKind, zone: String? = nil, protected: String? = nil) {
        self.dossier = dossier
        self.device = device
        self.kind = kind
        self.zone = zone
        self.protected = protected
    }

    public var description: String {
        "\(dossier)/\(device)/\(kind.rawValue)" + (zone.map { "/\($0)" } ?? "") + (protected.map { "/\($0)" } ?? "")
    }
}

/// A breach opening or closing, at its time in event time (`event_ts` / `cleared_at` of PROTOCOL 4.1).
public enum BreachChange: Sendable, Equatable, CustomStringConvertible {
    case raised(BreachKey, at: Timestamp)
    case cleared(BreachKey, at: Timestamp)

    public var key: BreachKey {
        switch self {
        case .raised(let k, _), .cleared(let k, _): k
        }
    }

    public var at: Timestamp {
        switch self {
        case .raised(_, let t), .cleared(_, let t): t
        }
    }

    public var isRaised: Bool {
        if case .raised = self { return true }
        return false
    }

    public var description: String {
        (isRaised ? "raised " : "cleared ") + key.description + " at " + at.rfc3339
    }
}

/// What the engine did with an event.
public enum EventDisposition: Sendable, Equatable {
    /// Judged by the rules.
    case evaluated
    /// Older than its device's latest evaluated event: stored and counted, changes no state (PROTOCOL 2.1).
    case late
    /// The device's dossier is not active at the event's `ts`: stored, not evaluated.
    case outsidePeriod
    /// No dossier names the device (the caller normally rejects such events before).
    case noDossier
}

/// The false-alarm limits and thresholds of PROTOCOL 4.1, with the contract's defaults.
public struct RuleConfig: Sendable, Equatable {
    /// A fix qualifies when `acc` <= this (metres).
    public var maxAccuracyMetres: Double = 100
    /// Consecutive qualifying fixes on the wrong side that raise a zone or curfew breach.
    public var consecutiveFixes: Int = 2
    /// `gnss_loss` after `lost` for more than this many seconds.
    public var gnssLossSeconds: Int = 300
    /// `battery_low` at or below this level, not charging.
    public var batteryLowLevel: Double = 0.15
    /// `battery_depleted` at or below this level, not charging.
    public var batteryDepletedLevel: Double = 0.05
    /// Both battery breaches clear above this level (or when charging).
    public var batteryRecoveredLevel: Double = 0.20
    /// (1.1) `exclusion_zone_crossed` only at an implied speed of at most this (km/h) between the two fixes.
    public var maxCrossingSpeedKmh: Double = 200
    /// Each device's timers and period boundaries run on the pipeline clock less that device's reporting lag
    /// (`now - ts` of its latest evaluated event, at least 0), so a store-and-forward backlog is judged in its own
    /// event time (docs/RULES.md, "Timers in serve: per-device lag"). For `serve`; off (the default) for `replay`,
    /// whose timers run on the watermark exactly (PROTOCOL 4.1).
    public var timersFollowDeviceLag = false

    public init() {}
}
