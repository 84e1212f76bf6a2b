/// The life of an alert (PROTOCOL 4.3).
public enum AlertState: String, Sendable, CaseIterable {
    case open, acknowledged, responded, closed
}

/// The queues of PROTOCOL 4.2, in their canonical order.
public enum Queue: String, Sendable, CaseIterable, Comparable {
    case vcet, coordinator, cic, police, cell

    public static func < (a: Queue, b: Queue) -> Bool { a.ordinal < b.ordinal }

    /// The place in the canonical order (`allCases`), without building `allCases` (sorting queues is on the
    /// what-if model's path, once per alert and escalation).
    public var ordinal: Int {
        switch self {
        case .vcet: 0
        case .coordinator: 1
        case .cic: 2
        case .police: 3
        case .cell: 4
        }
    }
}

/// An alert: a breach occurrence (or a review notice) as routed to queues (PROTOCOL 4.3).
public struct Alert: Sendable, Equatable {
    public var id: String
    /// Empty for incidents (PROTOCOL 4.5: `dossier` null), which are about no one dossier.
    public var dossier: String
    /// Nil for review notices.
    public var device: String?
    /// A breach kind, or a review notice (the JSON's `breach`: `strap_tamper`, `review_due`).
    public var kind: AlertKind
    public var severity: Severity
    public var radex: Bool
    /// Every queue the alert has reached, in canonical order.
    public var queues: [Queue]
    public var zone: String?
    /// (1.1) `victim_proximity`: the protected person's id (never their position).
    public var protected: String?
    /// (1.1) A `communication_loss` of a network in outage: the incident's id (PROTOCOL 4.5).
    public var incident: String?
    /// (1.1) A `network_outage` incident: the network, and its devices still lost (PROTOCOL 4.5).
    public var network: String?
    public var devices: [String]?
    public var eventTs: Timestamp
    public var detectedAt: Timestamp
    public var clearedAt: Timestamp?
    /// Each queue's own handling (PROTOCOL 4.4, 1.1): one entry per queue reached.
    public var handling: Handling
    /// The summary of `handling` (PROTOCOL 4.4).
    public var state: AlertState { handling.summary }
    /// The number of its latest publication, strictly increasing across the database (PROTOCOL 4.3, 1.1); 0 before
    /// it is stored.
    public var rev: Int64 = 0
    public var escalation: Int
    public var policy: String
    /// Review notices: the review deadline (`YYYY-MM-DD`).
    public var deadline: String?
    /// The queues routed at once; `queues` adds those reached by escalation.
    public var queuesAtOnce: [Queue]
    /// When the latest escalation was published (the next one counts from here).
    public var escalatedAt: Timestamp?

    public init(
        id: String, dossier: String, device: String?, kind: AlertKind, severity: Severity, radex: Bool,
        queues: [Queue], zone: String?, eventTs: Timestamp, detectedAt: Timestamp, clearedAt: Timestamp? = nil,
        handling: Handling? = nil, escalation: Int = 0, policy: String, deadline: String? = nil,
        queuesAtOnce: [Queue]? = nil, escalatedAt: Timestamp? = nil, rev: Int64 = 0, protected: String? = nil,
        incident: String? = nil, network: String? = nil, devices: [String]? = nil
    ) {
        self.protected = protected
        self.incident = incident
        self.network = network
        self.devices = devices
        self.id = id
        self.dossier = dossier
        self.device = device
        self.kind = kind
        self.severity = severity
        self.radex = radex
        self.queues = queues
        self.zone = zone
        self.eventTs = eventTs
        self.detectedAt = detectedAt
        self.clearedAt = clearedAt
        self.handling = handling ?? Handling(reached: queues)
        self.rev = rev
        self.escalation = escalation
        self.policy = policy
        self.deadline = deadline
        self.queuesAtOnce = queuesAtOnce ?? queues
        self.escalatedAt = escalatedAt
    }

    /// `A-000000123` from the alert's sequence number.
    public static func id(forNumber n: Int64) -> String {
        let digits = String(n)
        return "A-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// The PROTOCOL 4.3 JSON object, fields in the contract's order, on one line.
    public var json: String {
        var o = JSONObjectWriter()
        o.int("v", 1)
        o.string("id", id)
        o.string("dossier", dossier.isEmpty ? nil : dossier)
        o.string("device", device)
        o.string("breach", kind.rawValue)
        o.string("severity", severity.rawValue)
        o.bool("radex", radex)
        o.strings("queues", queues.map(\.rawValue))
        o.string("zone", zone)
        if let protected { o.string("protected", protected) }
        if let incident { o.string("incident", incident) }
        if let network { o.string("network", network) }
        if let devices { o.strings("devices", devices) }
        o.string("event_ts", eventTs.rfc3339)
        o.string("detected_at", detectedAt.rfc3339)
        if let clearedAt { o.string("cleared_at", clearedAt.rfc3339) }
        o.string("state", state.rawValue)
        o.int("escalation", escalation)
        o.string("policy", policy)
        if let deadline { o.string("deadline", deadline) }
        o.strings("queues_at_once", queuesAtOnce.map(\.rawValue))
        o.int("rev", rev)
        o.raw("handling", handling.json)
        return o.finish()
    }
}
