import Foundation
import SeinhuisCore

/// Placing the injected breach scenarios of a device (its ground truth comes from the events written).
extension Planner {
    // MARK: scenarios

    /// Tries to place one scenario; returns whether it was placed.
    mutating func place(_ s: Scenario) -> Bool {
        for _ in 0..<40 where tryPlace(s) { return true }
        return false
    }

    private mutating func tryPlace(_ s: Scenario) -> Bool {
        switch s {
        case .exclusionVisit:
            placeExclusionVisit()
        case .inclusionExit:
            placeInclusionExit()
        case .curfewNightOut, .curfewHomeUnitDown:
            placeCurfewTrip(s)
        case .curfewLateReturn, .curfewNoShow:
            placeCurfewMiss(s)
        case .strapTamper, .caseTamper:
            placeTamper(s)
        case .homePowerLoss:
            placeHomePowerLoss()
        case .batteryLow, .batteryDepleted:
            placeBattery(s)
        case .communicationLoss:
            placeCommunicationLoss()
        case .gnssLoss, .gnssLossShort:
            placeGNSSLoss(s)
        case .gnssJamming, .gnssJammingThenLoss:
            placeJamming(s)
        case .victimApproach, .zoneCrossing, .networkOutage:
            false  // placed on request, before the others (`Extras.prepare`)
        }
    }

    /// A visit to an exclusion zone.
    private mutating func placeExclusionVisit() -> Bool {
        let m = Planner.minute
        let excl = d.zones.indices.filter { d.zones[$0].kind == .exclusion }
        guard !excl.isEmpty else { return false }
        let z = excl[rng.int(0, excl.count - 1)]
        let dest = d.zones[z].anchor
        guard pathOK([plan.homeSpot, dest], target: z) else { return false }
        return placeZoneTrip(.exclusionVisit, to: dest, dwell: dwellMin + rng.int64(0, 20 * m), speed: 10, zone: z)
    }

    /// A trip out of an inclusion zone, a few km beyond its boundary.
    private mutating func placeInclusionExit() -> Bool {
        let m = Planner.minute
        let incl = d.zones.indices.filter { d.zones[$0].kind == .inclusion }
        guard !incl.isEmpty else { return false }
        let z = incl[rng.int(0, incl.count - 1)]
        let shape = d.zones[z].shape
        // leave across the nearest part of the boundary and go on a few km
        var bearing = rng.uniform(0, 2 * Double.pi)
        if shape.kind == .circle && Geo.distance(shape.center, d.home) > 500 {
            let dy = d.home.lat - shape.center.lat, dx = (d.home.lon - shape.center.lon) * 0.63
            bearing = atan2(dx, dy) + rng.uniform(-0.5, 0.5)
        }
        var dest = d.home
        var dist = 1000.0
        while shape.classify(dest).inside || shape.classify(dest).margin < 1500 {
            dist += 500
            dest = round6(Geo.move(d.home, distance: dist, bearing: bearing))
            if dist > 60_000 { return false }
        }
        guard pathOK([plan.homeSpot, dest], leavesInclusion: true) else { return false }
        return placeZoneTrip(.inclusionExit, to: dest, dwell: dwellMin + rng.int64(0, 15 * m), speed: 17, zone: z)
    }

    /// A trip out during a curfew (with the home unit down for `.curfewHomeUnitDown`).
    private mutating func placeCurfewTrip(_ s: Scenario) -> Bool {
        let m = Planner.minute
        guard !d.curfewPeriods.isEmpty, let dest = destination(500, 2500) else { return false }
        let dwell = dwellMin + rng.int64(0, 30 * m)
        let v = speed(for: Geo.distance(plan.homeSpot, dest))
        let lead: Int64 = s == .curfewHomeUnitDown ? rng.int64(3, 10) * m : 0
        let tail: Int64 = s == .curfewHomeUnitDown ? rng.int64(5, 15) * m : 0
        guard let a0 = randomStart(lead + tail + Planner.tripDuration(plan.homeSpot, dest, dwell: dwell, speed: v))
        else { return false }
        let trip = makeTrip(depart: a0 + lead, dest: dest, dwell: dwell, speed: v)
        let a = a0, b = trip.arrive + tail
        guard fits(a, b), curfewPeriod(containing: a, b, margin: 10 * m) != nil, zonesStable(a, b) else {
            return false
        }
        if s == .curfewHomeUnitDown {
            plan.scripts.append(.power(a, lost: true))
            plan.scripts.append(.power(b, lost: false))
            plan.scripts.append(.presence(b + 2000, true))
            plan.presenceOff.append(Period(start: a - 1000, end: b + 1000))
            plan.trips.append(trip)
            book(a, b, s)
        } else {
            addTrip(trip, presence: true, scenario: s)
        }
        return true
    }

    /// Home too late for a curfew, or not at all during one.
    private mutating func placeCurfewMiss(_ s: Scenario) -> Bool {
        let m = Planner.minute
        let candidates = d.curfewPeriods.filter {
            $0.start > runStart + 90 * m && (s == .curfewLateReturn ? $0.start : $0.end) < runEnd - 90 * m
        }
        guard !candidates.isEmpty, let dest = destination(800, 3000) else { return false }
        let p = candidates[rng.int(0, candidates.count - 1)]
        let v = speed(for: Geo.distance(plan.homeSpot, dest))
        let tau = Planner.travelMs(plan.homeSpot, dest, speed: v)
        let depart = p.start - tau - rng.int64(20, 90) * m
        let back = s == .curfewLateReturn ? p.start + rng.int64(20, 60) * m : p.end + rng.int64(15, 60) * m
        let dwell = back - tau - (depart + tau)
        guard dwell > dwellMin else { return false }
        let trip = makeTrip(depart: depart, dest: dest, dwell: dwell, speed: v)
        guard fits(trip.depart, trip.arrive), free(trip.depart, trip.depart + tau, margin: 10 * m),
            zonesStable(trip.depart, trip.arrive)
        else { return false }
        if s == .curfewLateReturn {
            guard curfewPeriod(containing: trip.arrive, trip.arrive, margin: 10 * m) == p else { return false }
        } else {
            guard free(trip.arrive - tau, trip.arrive, margin: 10 * m) else { return false }
        }
        addTrip(trip, presence: true, scenario: s)
        return true
    }

    /// The strap or the case opened for a while (now and then until the end of the run).
    private mutating func placeTamper(_ s: Scenario) -> Bool {
        let m = Planner.minute
        let open = rng.int64(2, 30) * m + rng.int64(0, 59_000)
        let atEnd = rng.chance(0.15)
        guard let a = atEnd ? lateStart(open) : randomStart(open) else { return false }
        let b = atEnd ? runEnd - 10 * m : a + open
        guard fits(a, b) else { return false }
        let make: (Int64, Bool) -> Ev =
            s == .strapTamper ? { Ev.strap($0, opened: $1) } : { Ev.caseSensor($0, opened: $1) }
        plan.scripts.append(make(a, true))
        if rng.chance(0.3) { plan.scripts.append(make(a + rng.int64(30, 90) * 1000, true)) }
        if !atEnd { plan.scripts.append(make(b, false)) }
        book(a, b, s)
        return true
    }

    /// The home unit on battery for a while (now and then until the end of the run).
    private mutating func placeHomePowerLoss() -> Bool {
        let m = Planner.minute
        let dur = rng.int64(10, 180) * m
        let atEnd = rng.chance(0.15)
        guard let a = atEnd ? lateStart(10 * m) : randomStart(dur) else { return false }
        let b = atEnd ? runEnd - 10 * m : a + dur
        guard fits(a, b) else { return false }
        plan.scripts.append(.power(a, lost: true))
        if rng.chance(0.3) { plan.scripts.append(.power(a + rng.int64(1, 5) * m, lost: true)) }
        if !atEnd {
            plan.scripts.append(.power(b, lost: false))
            plan.scripts.append(.presence(b + 2000, true))
        }
        plan.presenceOff.append(Period(start: a - 1000, end: atEnd ? runEnd + m : b + 1000))
        book(a, b, .homePowerLoss)
        return true
    }

    /// The tag's battery running down to low or depleted.
    private mutating func placeBattery(_ s: Scenario) -> Bool {
        let m = Planner.minute
        let levels: [Double] =
            s == .batteryLow ? [0.31, 0.24, 0.19, 0.14, 0.12] : [0.26, 0.18, 0.13, 0.09, 0.04, 0.03]
        let step = rng.int64(4, 10) * m
        let n = Int64(levels.count)
        let atEnd = rng.chance(0.1)
        guard let a = atEnd ? lateStart(step * n) : randomStart(step * (n + 1)) else { return false }
        let b = atEnd ? runEnd - 10 * m : a + step * n
        guard fits(a, b) else { return false }
        for (k, l) in levels.enumerated() {
            plan.scripts.append(.battery(a + Int64(k) * step, level: l, charging: false))
        }
        let swap = rng.chance(0.3)
        let endLevel = swap ? 0.86 : levels[levels.count - 1]
        if !atEnd { plan.scripts.append(.battery(b, level: endLevel, charging: !swap)) }
        plan.batteryOverride.append(
            (Period(start: a - 1000, end: atEnd ? runEnd + m : b + 1000), endLevel, !swap))
        book(a, b, s)
        return true
    }

    /// The device silent for longer than the dossier's timeout.
    private mutating func placeCommunicationLoss() -> Bool {
        let m = Planner.minute
        let dur = d.commsTimeoutMs + rng.int64(2, 20) * m
        guard let a = randomStart(dur), fits(a, a + dur) else { return false }
        plan.silence.append(Period(start: a, end: a + dur))
        book(a, a + dur, .communicationLoss)
        return true
    }

    /// GNSS reception lost, beyond the loss threshold or (`.gnssLossShort`) under it.
    private mutating func placeGNSSLoss(_ s: Scenario) -> Bool {
        let m = Planner.minute
        let dur = s == .gnssLoss ? 300_000 + rng.int64(3, 30) * m : rng.int64(60, 200) * 1000
        guard let a = randomStart(dur), fits(a, a + dur) else { return false }
        plan.scripts.append(.gnss(a, .lost))
        if rng.chance(0.5) { plan.scripts.append(.gnss(a + rng.int64(40, 55) * 1000, .lost)) }
        plan.scripts.append(.gnss(a + dur, .ok))
        plan.gnssOff.append(Period(start: a, end: a + dur))
        book(a, a + dur, s)
        return true
    }

    /// GNSS jamming, alone or followed by a loss of reception.
    private mutating func placeJamming(_ s: Scenario) -> Bool {
        let m = Planner.minute
        let jam = rng.int64(2, 20) * m
        let lost: Int64 = s == .gnssJammingThenLoss ? 300_000 + rng.int64(3, 15) * m : 0
        let atEnd = s == .gnssJamming && rng.chance(0.15)
        guard let a = atEnd ? lateStart(jam) : randomStart(jam + lost) else { return false }
        let b = atEnd ? runEnd - 10 * m : a + jam + lost
        guard fits(a, b) else { return false }
        plan.scripts.append(.gnss(a, .jammed))
        if s == .gnssJammingThenLoss {
            plan.scripts.append(.gnss(a + jam, .lost))
            plan.scripts.append(.gnss(b, .ok))
        } else if !atEnd {
            plan.scripts.append(.gnss(b, .ok))
        }
        plan.gnssOff.append(Period(start: a, end: atEnd ? runEnd + m : b))
        book(a, b, s)
        return true
    }

    /// A trip to `dest` at a random free time, kept only if it fits the plan. Visits while zone `z` is active are
    /// preferred (an inactive one raises nothing, which is also worth having now and then).
    private mutating func placeZoneTrip(_ s: Scenario, to dest: GeoPoint, dwell: Int64, speed v: Double, zone z: Int)
        -> Bool
    {
        let m = Planner.minute
        guard let a = randomStart(Planner.tripDuration(plan.homeSpot, dest, dwell: dwell, speed: v)) else {
            return false
        }
        let trip = makeTrip(depart: a, dest: dest, dwell: dwell, speed: v)
        guard fits(trip.depart, trip.arrive), free(trip.depart, trip.arrive, margin: 10 * m),
            zonesStable(trip.depart, trip.arrive)
        else { return false }
        if !d.zones[z].isActive(trip.frames[1].t) && rng.chance(0.8) { return false }
        addTrip(trip, presence: true, scenario: s)
        return true
    }
}
