/// (1.1) A protected person's device, in one dossier (`Dossier.protected`): its latest qualifying fix and the timer
/// that ends its freshness. Its events count for nothing but `victim_proximity` (PROTOCOL 3, 4.1).
struct GuardState: Sendable {
    /// The device's index in the engine (`devices`).
    let device: Int32
    /// Index of the dossier; -1 once the person or the dossier is no longer loaded.
    var dossier: Int32
    /// The dossier's id (kept for the clearings of a retired guard).
    let dossierID: String
    /// The person's id (`P-01`).
    let person: String
    var radius: Double
    var maxAccuracy: Double
    var activeStart: Int64
    var activeEnd: Int64
    var fixLat = 0.0
    var fixLon = 0.0
    /// The latest qualifying fix (`TagState.none`: none yet).
    var fixAt: Int64 = TagState.none
    var lastEvaluated: Int64 = .min
    /// As a tag's: the pipeline clock less `ts` at the latest evaluated event (0 unless `timersFollowDeviceLag`).
    var lag: Int64 = 0
    /// The key of its live heap entry (`TagState.none`: none).
    var queuedKey: Int64 = TagState.none
    /// The latest fix is more than `RuleEngine.proximityFreshness` old (its timer fired), or there is none.
    var stale = true

    init(device: Int32, dossier: Int32, dossierID: String, person: ProtectedPerson, rules: DossierRules) {
        self.device = device
        self.dossier = dossier
        self.dossierID = dossierID
        self.person = person.id
        radius = person.radiusMetres
        maxAccuracy = rules.maxAccuracy
        activeStart = rules.activeStart
        activeEnd = rules.activeEnd
    }

    /// The staleness timer's key on the device's own clock (2t+1: it fires once time is past t).
    var staleKey: Int64 { stale || fixAt == TagState.none ? TagState.none : 2 &* (fixAt &+ RuleEngine.proximityFreshness) &+ 1 }
}

/// (1.1) One tag and one protected person: the tag's latest qualifying fixes judged against the person's.
struct Proximity: Sendable, Equatable {
    /// Consecutive near fixes of the tag before its latest one.
    var runBefore: UInt8 = 0
    /// The tag's latest qualifying fix was within the radius of a fresh fix of the person.
    var lastNear = false
    var open = false
}

/// Identifies a `Proximity`: a tag index and a guard index.
struct ProximityKey: Hashable, Sendable, Comparable {
    var tag: Int32
    var guardIndex: Int32
    static func < (a: ProximityKey, b: ProximityKey) -> Bool { (a.tag, a.guardIndex) < (b.tag, b.guardIndex) }
}
