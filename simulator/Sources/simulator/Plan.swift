import Foundation
import SeinhuisCore

/// What a device is made to do at a known time: each scenario injects one or more breaches (or, for
/// `gnss_loss_short`, deliberately none).
enum Scenario: String, CaseIterable {
    case exclusionVisit = "exclusion_visit"
    case inclusionExit = "inclusion_exit"
    case curfewNightOut = "curfew_night_out"
    case curfewLateReturn = "curfew_late_return"
    case curfewNoShow = "curfew_no_show"
    case curfewHomeUnitDown = "curfew_absence_home_unit_down"
    case strapTamper = "strap_tamper"
    case caseTamper = "case_tamper"
    case homePowerLoss = "home_power_loss"
    case batteryLow = "battery_low"
    case batteryDepleted = "battery_depleted"
    case communicationLoss = "communication_loss"
    case gnssLoss = "gnss_loss"
    case gnssLossShort = "gnss_loss_short"
    case gnssJamming = "gnss_jamming"
    case gnssJammingThenLoss = "gnss_jamming_then_loss"
    // (1.1) placed only when `generate` is asked for them (--victims, --crossings, --outage-share)
    case victimApproach = "victim_approach"
    case zoneCrossing = "zone_crossing"
    case networkOutage = "network_outage"

    /// The scenarios every run places where they fit (the 1.0 set: its order and size decide the random draws, so
    /// a run without the 1.1 options gives the files it always gave).
    static let allCases: [Scenario] = [
        .exclusionVisit, .inclusionExit, .curfewNightOut, .curfewLateReturn, .curfewNoShow, .curfewHomeUnitDown,
        .strapTamper, .caseTamper, .homePowerLoss, .batteryLow, .batteryDepleted, .communicationLoss, .gnssLoss,
        .gnssLossShort, .gnssJamming, .gnssJammingThenLoss,
    ]
    /// The 1.1 scenarios, placed on request.
    static let requested: [Scenario] = [.victimApproach, .zoneCrossing, .networkOutage]

    /// The breach kinds the scenario is meant to raise.
    var kinds: [BreachKind] {
        switch self {
        case .exclusionVisit: [.exclusionZoneEntry]
        case .inclusionExit: [.inclusionZoneExit]
        case .curfewNightOut, .curfewLateReturn, .curfewNoShow: [.curfewAbsence]
        case .curfewHomeUnitDown: [.curfewAbsence, .homePowerLoss]
        case .strapTamper: [.strapTamper]
        case .caseTamper: [.caseTamper]
        case .homePowerLoss: [.homePowerLoss]
        case .batteryLow: [.batteryLow]
        case .batteryDepleted: [.batteryLow, .batteryDepleted]
        case .communicationLoss: [.communicationLoss]
        case .gnssLoss: [.gnssLoss]
        case .gnssLossShort: []
        case .gnssJamming: [.gnssJamming]
        case .gnssJammingThenLoss: [.gnssJamming, .gnssLoss]
        case .victimApproach: [.victimProximity]
        case .zoneCrossing: [.exclusionZoneCrossed]
        case .networkOutage: [.communicationLoss, .networkOutage]
        }
    }
}

struct Keyframe {
    var t: Int64
    var p: GeoPoint
}

/// A trip away from home: positions interpolated between keyframes; the first and last are the home spot.
struct Trip {
    var frames: [Keyframe]
    var depart: Int64 { frames[0].t }
    var arrive: Int64 { frames[frames.count - 1].t }

    func position(at t: Int64) -> GeoPoint {
        var i = 1
        while i < frames.count - 1 && frames[i].t <= t { i += 1 }
        let a = frames[i - 1], b = frames[i]
        if b.t <= a.t { return b.p }
        let f = max(0, min(1, Double(t - a.t) / Double(b.t - a.t)))
        return Geo.lerp(a.p, b.p, f)
    }
}

/// A scenario's span, used to label what it raises.
struct Episode {
    var a: Int64
    var b: Int64
    var scenario: Scenario
}

/// Everything a device will do over the run, decided up front (small), so events can be produced lazily.
struct DevicePlan {
    var trips: [Trip] = []
    var scripts: [Ev] = []
    var silence: [Period] = []
    var gnssOff: [Period] = []
    var presenceOff: [Period] = []
    /// Normal battery reports are suppressed in the period; afterwards the model continues from `level`/`charging`.
    var batteryOverride: [(period: Period, level: Double, charging: Bool)] = []
    var episodes: [Episode] = []
    var homeSpot = GeoPoint(lat: 0, lon: 0)

    func scenario(at t: Int64) -> Scenario? {
        episodes.first { t >= $0.a - 5000 && t <= $0.b + 5000 }?.scenario
    }
}

/// Builds a device's plan: the injected scenarios first (where they fit), then ordinary days around them.
struct Planner {
    let d: DossierModel
    let runStart: Int64
    let runEnd: Int64
    /// Fix interval, ms.
    let fixMs: Int64
    let clock: LocalClock
    var rng: Rng
    var plan = DevicePlan()
    private var busy: [Period] = []

    static let minute: Int64 = 60_000

    init(d: DossierModel, runStart: Int64, runEnd: Int64, fixMs: Int64, clock: LocalClock, rng: Rng) {
        self.d = d
        self.runStart = runStart
        self.runEnd = runEnd
        self.fixMs = fixMs
        self.clock = clock
        self.rng = rng
        let spotR = min(25, d.homeRadius * 0.25)
        plan.homeSpot = round6(
            Geo.move(d.home, distance: self.rng.uniform(0, spotR), bearing: self.rng.uniform(0, 2 * Double.pi)))
    }

    var gap: Int64 { max(10 * Planner.minute, 3 * fixMs) }
    /// A dwell long enough for at least three fixes.
    var dwellMin: Int64 { max(12 * Planner.minute, 4 * fixMs + 60_000) }

    func fits(_ a: Int64, _ b: Int64) -> Bool {
        a >= runStart + 20 * Planner.minute && b <= runEnd - 10 * Planner.minute && unbooked(a, b)
    }

    func free(_ a: Int64, _ b: Int64, margin: Int64) -> Bool { d.curfewPeriods.isFree(a - margin, b + margin) }

    func curfewPeriod(containing a: Int64, _ b: Int64, margin: Int64) -> Period? {
        d.curfewPeriods.first { $0.start <= a - margin && $0.end >= b + margin }
    }

    /// No schedule boundary of any scheduled zone near [a, b]: zone states do not change during the trip.
    func zonesStable(_ a: Int64, _ b: Int64) -> Bool {
        !d.zones.contains { $0.periods?.hasBoundary(in: a - 10 * Planner.minute, b + 10 * Planner.minute) ?? false }
    }

    /// Whether [a, b] (with the usual gap) is free of everything booked so far.
    func unbooked(_ a: Int64, _ b: Int64) -> Bool { !busy.contains { b + gap > $0.start && a < $0.end + gap } }

    mutating func book(_ a: Int64, _ b: Int64, _ s: Scenario?) {
        busy.append(Period(start: a, end: b))
        if let s { plan.episodes.append(Episode(a: a, b: b, scenario: s)) }
    }

    /// A random start in the run for something lasting `duration`.
    mutating func randomStart(_ duration: Int64) -> Int64? {
        let lo = runStart + 20 * Planner.minute, hi = runEnd - 10 * Planner.minute - duration
        guard hi > lo else { return nil }
        return rng.int64(lo, hi)
    }

    /// A start late in the run for a state left open at the end of the file (`cleared_at` null).
    mutating func lateStart(_ duration: Int64) -> Int64? {
        let hi = runEnd - 10 * Planner.minute - duration,
            lo = max(runStart + 20 * Planner.minute, hi - 90 * Planner.minute)
        guard hi > lo else { return nil }
        return rng.int64(lo, hi)
    }

    // MARK: paths

    /// Whether a trip's path keeps clear of exclusion zones (all but `target`) and, unless `leavesInclusion`,
    /// stays well inside every inclusion zone.
    func pathOK(_ pts: [GeoPoint], target: Int? = nil, leavesInclusion: Bool = false) -> Bool {
        for k in 1..<pts.count {
            let a = pts[k - 1], b = pts[k]
            let n = max(1, Int(Geo.distance(a, b) / 50))
            for s in 0...n {
                let p = Geo.lerp(a, b, Double(s) / Double(n))
                for (z, zone) in d.zones.enumerated() {
                    if zone.kind == .exclusion {
                        if z == target { continue }
                        if Geo.distance(p, zone.shape.center) < zone.shape.extent + 250 { return false }
                    } else if !leavesInclusion {
                        let c = zone.shape.classify(p)
                        if !c.inside || c.margin < 250 { return false }
                    }
                }
            }
        }
        return true
    }

    /// A destination `lo`-`hi` metres from home with a clean path.
    mutating func destination(_ lo: Double, _ hi: Double) -> GeoPoint? {
        for _ in 0..<25 {
            let p = round6(Geo.move(d.home, distance: rng.uniform(lo, hi), bearing: rng.uniform(0, 2 * Double.pi)))
            if pathOK([plan.homeSpot, p]) { return p }
        }
        return nil
    }

    static func travelMs(_ a: GeoPoint, _ b: GeoPoint, speed: Double) -> Int64 {
        Int64(Geo.distance(a, b) / speed * 1000) + 30_000
    }

    func speed(for distance: Double) -> Double { distance < 1500 ? 1.4 : distance < 4000 ? 4.5 : 11 }

    /// Out and back: home spot → `dest` (dwell, wandering a few metres) → home spot.
    mutating func makeTrip(depart: Int64, dest: GeoPoint, dwell: Int64, speed: Double? = nil) -> Trip {
        let v = speed ?? self.speed(for: Geo.distance(plan.homeSpot, dest))
        let tau = Planner.travelMs(plan.homeSpot, dest, speed: v)
        let wander = Geo.move(dest, distance: rng.uniform(0, 8), bearing: rng.uniform(0, 2 * Double.pi))
        return Trip(frames: [
            Keyframe(t: depart, p: plan.homeSpot), Keyframe(t: depart + tau, p: dest),
            Keyframe(t: depart + tau + dwell, p: wander), Keyframe(t: depart + 2 * tau + dwell, p: plan.homeSpot),
        ])
    }

    static func tripDuration(_ a: GeoPoint, _ b: GeoPoint, dwell: Int64, speed: Double) -> Int64 {
        2 * travelMs(a, b, speed: speed) + dwell
    }

    /// When the home unit notices the tag leave (40 m beyond the home radius) and come back (40 m inside it).
    func presenceTimes(_ trip: Trip) -> (leave: Int64, back: Int64) {
        var leave = trip.depart + 1000
        var t = trip.depart
        while t < trip.arrive {
            if Geo.distance(trip.position(at: t), d.home) > d.homeRadius + 40 {
                leave = t
                break
            }
            t += 1000
        }
        var back = trip.arrive
        t = trip.arrive
        while t > leave {
            if Geo.distance(trip.position(at: t), d.home) > d.homeRadius - 40 {
                back = t + 1000
                break
            }
            t -= 1000
        }
        return (leave, back)
    }

    mutating func addTrip(_ trip: Trip, presence: Bool, scenario: Scenario?) {
        plan.trips.append(trip)
        if presence {
            let (leave, back) = presenceTimes(trip)
            plan.scripts.append(.presence(leave, false))
            plan.scripts.append(.presence(back, true))
        }
        book(trip.depart, trip.arrive, scenario)
    }

    // MARK: ordinary days

    /// Commutes on weekdays, errands on any day: only in free time, far from exclusion zones, inside inclusion zones.
    mutating func addOrdinaryDays() {
        let m = Planner.minute
        var day = clock.localDay(ofUTC: runStart)
        let last = clock.localDay(ofUTC: runEnd)
        while day <= last {
            let wd = LocalClock.weekday(ofDay: day)
            if wd < 5 && rng.chance(0.6), let dest = destination(1500, 7000) {
                let depart = clock.utc(day: day, minutes: rng.int(7 * 60 + 30, 9 * 60))
                let dwell = rng.int64(6 * 60, 9 * 60) * m
                let trip = makeTrip(depart: depart, dest: dest, dwell: dwell)
                if fits(trip.depart, trip.arrive) && free(trip.depart, trip.arrive, margin: 20 * m) {
                    addTrip(trip, presence: true, scenario: nil)
                }
            }
            for _ in 0..<rng.int(0, 2) {
                guard let dest = destination(400, 3000) else { continue }
                let depart = clock.utc(day: day, minutes: rng.int(8 * 60, 19 * 60))
                let trip = makeTrip(depart: depart, dest: dest, dwell: rng.int64(20, 90) * m)
                if fits(trip.depart, trip.arrive) && free(trip.depart, trip.arrive, margin: 20 * m) {
                    addTrip(trip, presence: true, scenario: nil)
                }
            }
            day += 1
        }
    }

    mutating func finish() -> DevicePlan {
        plan.trips.sort { $0.depart < $1.depart }
        plan.scripts.sort { $0.ts < $1.ts }
        plan.silence.sort { $0.start < $1.start }
        plan.gnssOff.sort { $0.start < $1.start }
        plan.presenceOff.sort { $0.start < $1.start }
        plan.batteryOverride.sort { $0.period.start < $1.period.start }
        plan.episodes.sort { $0.a < $1.a }
        return plan
    }
}
