/// What an alert is about: a breach of a dossier's conditions (PROTOCOL 4.1) or a review notice (PROTOCOL 4.3, 5).
///
/// The raw value is the contract's name, the `breach` field of the alert JSON and of the database (`strap_tamper`,
/// `review_due`). Each family of alerts keeps its own kinds, so a new kind is added once, where it belongs: a new
/// breach the rules detect (say `victim_proximity` or `exclusion_zone_crossed`) is a new `BreachKind` case and an
/// alert kind with it; a new family of alerts that are no breach of one dossier's conditions (say `network_outage`,
/// about the monitoring network itself) is a new case here with a kind type of its own, and a line in `init(rawValue:)`,
/// `rawValue` and `allCases`. Names are unique across the families (`AlertKindTests` checks it).
public enum AlertKind: Hashable, Sendable, CaseIterable, RawRepresentable, CustomStringConvertible {
    /// A breach the rule engine detected on a device.
    case breach(BreachKind)
    /// A dossier's six-monthly review is due or overdue (no device).
    case reviewNotice(ReviewNotice.Kind)
    /// (1.1) An incident of the monitoring network itself, about many devices and no one dossier (PROTOCOL 4.5).
    case incident(IncidentKind)

    public static var allCases: [AlertKind] {
        BreachKind.allCases.map(AlertKind.breach) + ReviewNotice.Kind.allCases.map(AlertKind.reviewNotice)
            + IncidentKind.allCases.map(AlertKind.incident)
    }

    /// The kind of a contract name; nil for a name no family knows.
    public init?(rawValue: String) {
        if let b = BreachKind(rawValue: rawValue) {
            self = .breach(b)
        } else if let n = ReviewNotice.Kind(rawValue: rawValue) {
            self = .reviewNotice(n)
        } else if let i = IncidentKind(rawValue: rawValue) {
            self = .incident(i)
        } else {
            return nil
        }
    }

    /// The contract's name.
    public var rawValue: String {
        switch self {
        case .breach(let b): b.rawValue
        case .reviewNotice(let n): n.rawValue
        case .incident(let i): i.rawValue
        }
    }

    public var description: String { rawValue }

    /// The breach kind, for alerts of a breach (nil for review notices).
    public var breachKind: BreachKind? {
        if case .breach(let b) = self { return b }
        return nil
    }

    /// The contract's default severity of the kind.
    public var severity: Severity {
        switch self {
        case .breach(let b): b.severity
        case .reviewNotice(let n): n.severity
        case .incident(let i): i.severity
        }
    }
}

/// (1.1) The incidents of the monitoring network (PROTOCOL 4.5).
public enum IncidentKind: String, Sendable, CaseIterable {
    /// At least `min_devices` devices of one network lost within `window_s`.
    case network_outage

    public var severity: Severity { .high }
}
