import SeinhuisCore

/// The breach kinds of PROTOCOL 4.1, in the contract's order.
enum BreachKind: Int, CaseIterable {
    case exclusionZoneEntry, inclusionZoneExit, curfewAbsence, strapTamper, caseTamper, batteryLow, batteryDepleted
    case communicationLoss, gnssLoss, gnssJamming, homePowerLoss
    // (1.1)
    case victimProximity, exclusionZoneCrossed, networkOutage

    /// The 1.0 kinds: every truth file counts them; the 1.1 kinds only when `generate` was asked for them.
    static let base: [BreachKind] = Array(allCases.prefix(11))

    var name: String {
        switch self {
        case .exclusionZoneEntry: "exclusion_zone_entry"
        case .inclusionZoneExit: "inclusion_zone_exit"
        case .curfewAbsence: "curfew_absence"
        case .strapTamper: "strap_tamper"
        case .caseTamper: "case_tamper"
        case .batteryLow: "battery_low"
        case .batteryDepleted: "battery_depleted"
        case .communicationLoss: "communication_loss"
        case .gnssLoss: "gnss_loss"
        case .gnssJamming: "gnss_jamming"
        case .homePowerLoss: "home_power_loss"
        case .victimProximity: "victim_proximity"
        case .exclusionZoneCrossed: "exclusion_zone_crossed"
        case .networkOutage: "network_outage"
        }
    }

    init?(name: String) {
        guard let k = BreachKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = k
    }
}

/// One breach occurrence of the ground truth.
struct TruthBreach {
    var dossier: Int
    var device: Int
    var kind: BreachKind
    /// Zone index in the dossier, or -1.
    var zone: Int
    var raisedAt: Int64
    var clearedAt: Int64?
    var scenario: Scenario?
    /// (1.1) `victim_proximity`: the protected person's id.
    var protected: String? = nil
    /// (1.1) `network_outage`: the network and its members at the raise (device indices).
    var network: String? = nil
    var members: [Int] = []
    /// (1.1) `communication_loss` grouped under an incident, and the incident itself: the incident's number (N-1, ...).
    var incident: Int? = nil
}

/// A compact event as the generator produces it, before it becomes a line.
struct Ev {
    var ts: Int64
    var kind: EventKind
    /// position: lat, lon, acc; battery: level; presence/strap/case/gnss/power: state in `code`.
    var lat: Double = 0
    var lon: Double = 0
    var acc: Double = 0
    var code: UInt8 = 0
    var flag: Bool = false

    /// `code` of a scripted position whose place is given (not taken from the device's trips).
    static let scriptedFix: UInt8 = 9

    static func presence(_ t: Int64, _ present: Bool) -> Ev { Ev(ts: t, kind: .presence, flag: present) }
    static func strap(_ t: Int64, opened: Bool) -> Ev { Ev(ts: t, kind: .strap, code: opened ? 1 : 2) }
    static func caseSensor(_ t: Int64, opened: Bool) -> Ev { Ev(ts: t, kind: .case, code: opened ? 1 : 2) }
    static func gnss(_ t: Int64, _ s: GNSSState) -> Ev { Ev(ts: t, kind: .gnss, code: s.rawValue) }
    static func power(_ t: Int64, lost: Bool) -> Ev { Ev(ts: t, kind: .power, code: lost ? 1 : 2) }
    static func battery(_ t: Int64, level: Double, charging: Bool) -> Ev {
        Ev(ts: t, kind: .battery, acc: (level * 1000).rounded() / 1000, flag: charging)
    }
}

/// The ground truth for one device: PROTOCOL 4.1 applied to exactly the events the generator writes, in event time,
/// with period boundaries and timers as `replay` runs them.
///
/// This is a reference reading of the contract, kept deliberately plain; the generator's scenarios are built so that
/// no judgement here is close (fixes 20 m or more from every boundary, events 2 s or more from every period edge
/// and deadline). Every breach it records must belong to an injected scenario: `unplanned` counts those that do not
/// (a bug in the generator's normal behaviour).
struct TruthTracker {
    let dossier: DossierModel
    let device: Int
    private(set) var breaches: [TruthBreach] = []
    /// Open breach per (kind, zone slot): index into `breaches`.
    private var open: [Int: Int] = [:]
    private var boundaryIndex = 0
    private var curfewActive = false
    private var zoneActive: [Bool]
    private var insideRun: [Int]
    private var outsideRun: [Int]
    private var homeOutsideRun = 0
    /// nil: no evidence yet.
    private var away: Bool?
    private var lastTs: Int64?
    private var gnss: GNSSState = .ok
    private var lostSince: Int64?
    var unplanned = 0
    /// The device's injected scenarios, to label what is raised.
    let episodes: [Episode]
    /// (1.1) The tag's latest qualifying fix, for crossing zones.
    private var lastFix: (t: Int64, p: GeoPoint)?
    /// (1.1) The protected person of the dossier, when there is one.
    var proximity: ProximityTruth?

    init(dossier: DossierModel, device: Int, episodes: [Episode]) {
        self.dossier = dossier
        self.device = device
        self.episodes = episodes
        zoneActive = dossier.zones.map { $0.periods == nil }
        insideRun = Array(repeating: 0, count: dossier.zones.count)
        outsideRun = Array(repeating: 0, count: dossier.zones.count)
    }

    private func slot(_ k: BreachKind, _ zone: Int) -> Int { k.rawValue * 1000 + zone + 1 }

    private func isOpen(_ k: BreachKind, _ zone: Int = -1) -> Bool { open[slot(k, zone)] != nil }

    private mutating func raise(_ k: BreachKind, _ zone: Int = -1, at t: Int64) {
        guard open[slot(k, zone)] == nil else { return }
        let s = episodes.first { t >= $0.a - 5000 && t <= $0.b + 5000 }?.scenario
        if s == nil { unplanned += 1 }
        open[slot(k, zone)] = breaches.count
        breaches.append(
            TruthBreach(dossier: dossier.index, device: device, kind: k, zone: zone, raisedAt: t, scenario: s))
    }

    private mutating func clear(_ k: BreachKind, _ zone: Int = -1, at t: Int64) {
        guard let i = open.removeValue(forKey: slot(k, zone)) else { return }
        breaches[i].clearedAt = t
    }

    /// Applies period boundaries up to `t` (inclusive: at one instant boundaries come first) and timers due
    /// strictly before `t`.
    private mutating func advance(to t: Int64, inclusiveBoundaries: Bool) {
        let bs = dossier.boundaries
        while boundaryIndex < bs.count, bs[boundaryIndex].t < t || (inclusiveBoundaries && bs[boundaryIndex].t == t) {
            let b = bs[boundaryIndex]
            boundaryIndex += 1
            if b.zone < 0 {
                curfewActive = b.opens
                if b.opens {
                    if away == true { raise(.curfewAbsence, at: b.t) }
                } else {
                    clear(.curfewAbsence, at: b.t)
                }
            } else {
                let z = b.zone
                zoneActive[z] = b.opens
                let kind: BreachKind = dossier.zones[z].kind == .exclusion ? .exclusionZoneEntry : .inclusionZoneExit
                if b.opens {
                    let holds = kind == .exclusionZoneEntry ? insideRun[z] >= 2 : outsideRun[z] >= 2
                    if holds { raise(kind, z, at: b.t) }
                } else {
                    clear(kind, z, at: b.t)
                }
            }
        }
        if proximity != nil { apply(proximity!.advance(to: t, inclusive: !inclusiveBoundaries)) }
        if let last = lastTs, !isOpen(.communicationLoss), last + dossier.commsTimeoutMs < t {
            raise(.communicationLoss, at: last + dossier.commsTimeoutMs)
        }
        if gnss == .lost, let since = lostSince, !isOpen(.gnssLoss), since + 300_000 < t {
            raise(.gnssLoss, at: since + 300_000)
        }
    }

    /// `insideMask`: bit 0 home, bit k+1 zone k (qualifying fixes only).
    mutating func observe(_ e: Ev, insideMask: UInt64) {
        advance(to: e.ts, inclusiveBoundaries: true)
        let t = e.ts
        clear(.communicationLoss, at: t)
        lastTs = t
        switch e.kind {
        case .position:
            guard e.acc <= 100 else { break }
            for z in 0..<dossier.zones.count {
                let inside = insideMask & (1 << UInt64(z + 1)) != 0
                if dossier.zones[z].kind == .exclusion {
                    if inside {
                        insideRun[z] = min(insideRun[z] + 1, 2)
                    } else {
                        insideRun[z] = 0
                        clear(.exclusionZoneEntry, z, at: t)
                    }
                    if zoneActive[z] && insideRun[z] >= 2 { raise(.exclusionZoneEntry, z, at: t) }
                } else {
                    if inside {
                        outsideRun[z] = 0
                        clear(.inclusionZoneExit, z, at: t)
                    } else {
                        outsideRun[z] = min(outsideRun[z] + 1, 2)
                    }
                    if zoneActive[z] && outsideRun[z] >= 2 { raise(.inclusionZoneExit, z, at: t) }
                }
            }
            if insideMask & 1 != 0 {
                homeOutsideRun = 0
                away = false
            } else {
                homeOutsideRun = min(homeOutsideRun + 1, 2)
                if homeOutsideRun >= 2 { away = true }
            }
            updateCurfew(t)
            judgeCrossings(GeoPoint(lat: e.lat, lon: e.lon), at: t, insideMask: insideMask)
            if proximity != nil, let c = proximity!.tagFix(t, GeoPoint(lat: e.lat, lon: e.lon)) { apply([c]) }
        case .presence:
            away = !e.flag
            updateCurfew(t)
        case .strap:
            if e.code == 1 { raise(.strapTamper, at: t) } else { clear(.strapTamper, at: t) }
        case .case:
            if e.code == 1 { raise(.caseTamper, at: t) } else { clear(.caseTamper, at: t) }
        case .battery:
            let level = e.acc, charging = e.flag
            if charging || level > 0.20 {
                clear(.batteryLow, at: t)
                clear(.batteryDepleted, at: t)
            }
            if !charging && level <= 0.15 { raise(.batteryLow, at: t) }
            if !charging && level <= 0.05 { raise(.batteryDepleted, at: t) }
        case .gnss:
            let s = GNSSState(rawValue: e.code)!
            if s != .jammed { clear(.gnssJamming, at: t) }
            if s != .lost {
                clear(.gnssLoss, at: t)
                lostSince = nil
            } else if lostSince == nil {
                lostSince = t
            }
            if s == .jammed { raise(.gnssJamming, at: t) }
            gnss = s
        case .power:
            if e.code == 1 { raise(.homePowerLoss, at: t) } else { clear(.homePowerLoss, at: t) }
        case .heartbeat:
            break
        }
    }

    /// (1.1) `exclusion_zone_crossed`: this fix and the previous qualifying one, both outside, through an active
    /// crossing zone at no more than 200 km/h; raised and cleared at once.
    private mutating func judgeCrossings(_ p: GeoPoint, at t: Int64, insideMask: UInt64) {
        defer { lastFix = (t, p) }
        guard let prev = lastFix else { return }
        for (z, zone) in dossier.zones.enumerated() where zone.crossing && zoneActive[z] {
            guard insideMask & (1 << UInt64(z + 1)) == 0, !zone.shape.classify(prev.p).inside,
                Crossings.crosses(from: prev, to: (t, p), circle: zone.shape)
            else { continue }
            raise(.exclusionZoneCrossed, z, at: t)
            clear(.exclusionZoneCrossed, z, at: t)
        }
    }

    private mutating func apply(_ changes: [ProximityTruth.Change]) {
        for c in changes {
            switch c {
            case .raise(let t):
                raise(.victimProximity, at: t)
                breaches[breaches.count - 1].protected = proximity!.track.person.id
            case .clear(let t): clear(.victimProximity, at: t)
            }
        }
    }

    private mutating func updateCurfew(_ t: Int64) {
        guard curfewActive else { return }
        if away == true { raise(.curfewAbsence, at: t) } else if away == false { clear(.curfewAbsence, at: t) }
    }

    /// End of file: boundaries and timers due before the file's highest `ts` fire, later ones do not.
    mutating func finish(fileEnd: Int64) {
        advance(to: fileEnd, inclusiveBoundaries: false)
    }
}
