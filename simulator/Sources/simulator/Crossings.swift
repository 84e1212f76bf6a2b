import Foundation

/// (1.1) Small `crossing` exclusion zones and the passes through them between two fixes.
enum Crossings {
    /// Daily 07:00-19:00: the schedule of every other crossing zone, so that some passes find it inactive.
    static let daytime = [Window(days: Array(0...6), from: 7 * 60, to: 19 * 60)]

    /// A circle of 35-50 m, 600-900 m from home, well clear of the dossier's other zones; nil if none fits.
    static func zone(
        for d: DossierModel, scheduled: Bool, clock: LocalClock, runStart: Int64, runEnd: Int64, rng: inout Rng
    ) -> ZoneModel? {
        for _ in 0..<25 {
            let c = round6(Geo.move(d.home, distance: rng.uniform(600, 900), bearing: rng.uniform(0, 2 * Double.pi)))
            let clear = d.zones.allSatisfy { z in
                if z.kind == .exclusion { return Geo.distance(c, z.shape.center) > z.shape.extent + 700 }
                let k = z.shape.classify(c)
                return k.inside && k.margin > 700
            }
            guard clear else { continue }
            let schedule = scheduled ? daytime : []
            return ZoneModel(
                id: "Z-cross", kind: .exclusion, shape: .circle(c, radius: Double(rng.int(35, 50))), schedule: schedule,
                periods: scheduled ? clock.periods(of: schedule, from: runStart, to: runEnd) : nil, anchor: c,
                crossing: true)
        }
        return nil
    }

    /// The unit vector of a point.
    private static func vector(_ p: GeoPoint) -> (Double, Double, Double) {
        let la = p.lat * Double.pi / 180, lo = p.lon * Double.pi / 180
        return (cos(la) * cos(lo), cos(la) * sin(lo), sin(la))
    }

    private static func cross(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (Double, Double, Double) {
        (a.1 * b.2 - a.2 * b.1, a.2 * b.0 - a.0 * b.2, a.0 * b.1 - a.1 * b.0)
    }

    private static func dot(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        a.0 * b.0 + a.1 * b.1 + a.2 * b.2
    }

    /// The great-circle distance (m) from `c` to the arc from `a` to `b`: to the foot of the perpendicular when it
    /// falls on the arc, else to the nearer end.
    static func arcDistance(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
        let va = vector(a), vb = vector(b), vc = vector(c)
        let n = cross(va, vb)
        let len = dot(n, n).squareRoot()
        let ends = min(Geo.distance(a, c), Geo.distance(b, c))
        guard len > 1e-15 else { return ends }
        let u = (n.0 / len, n.1 / len, n.2 / len)
        let h = dot(vc, u)
        let foot = (vc.0 - h * u.0, vc.1 - h * u.1, vc.2 - h * u.2)
        let onArc = dot(cross(va, foot), u) >= 0 && dot(cross(foot, vb), u) >= 0
        return onArc ? asin(min(1, abs(h))) * Geo.earthRadius : ends
    }

    /// Whether the pair of qualifying fixes (both outside) crosses the circle at an implied speed of at most
    /// 200 km/h.
    static func crosses(from a: (t: Int64, p: GeoPoint), to b: (t: Int64, p: GeoPoint), circle: Shape) -> Bool {
        let dist = Geo.distance(a.p, b.p)
        let dt = b.t - a.t
        guard dt > 0 ? dist * 3600 <= 200 * Double(dt) : a.p == b.p else { return false }
        return arcDistance(a.p, b.p, circle.center) <= circle.radius
    }
}

extension Planner {
    /// A pass through the dossier's crossing zone `z` between two fixes 500-540 m apart, each ~260 m from its
    /// centre: at 30-120 km/h (counted), or (`fast`) at 260-450 km/h, or (`inactive`) while the zone's schedule is
    /// closed (neither counted). Ordinary fixes are held back around it, so the two fixes are consecutive.
    mutating func placeCrossingPass(zone z: Int, fast: Bool, inactive: Bool) -> Bool {
        let m = Planner.minute
        let zone = d.zones[z], c = zone.shape.center
        let theta = atan2((c.lon - plan.homeSpot.lon) * cos(c.lat * Double.pi / 180), c.lat - plan.homeSpot.lat)
        let side = rng.chance(0.5) ? 1.0 : -1.0
        let along = rng.uniform(-10, 10)
        let a = round6(Geo.move(Geo.move(c, distance: 260, bearing: theta + side * .pi / 2), distance: along, bearing: theta))
        let b = round6(Geo.move(Geo.move(c, distance: 260, bearing: theta - side * .pi / 2), distance: -along, bearing: theta))
        let kmh = fast ? rng.uniform(260, 450) : rng.uniform(30, 120)
        let dt = Int64(Geo.distance(a, b) / (kmh / 3.6) * 1000)
        guard pathOK([plan.homeSpot, a, b, plan.homeSpot], target: z), let t0 = randomStart(dt + 2 * m) else {
            return false
        }
        let fixA = t0 + m, fixB = fixA + dt, end = fixB + m
        guard fits(t0, end), free(t0, end, margin: 20 * m), zonesStable(t0, end), zone.isActive(fixB) != inactive
        else { return false }
        plan.gnssOff.append(Period(start: t0, end: end))
        for (t, p) in [(fixA, a), (fixB, b)] {
            plan.scripts.append(
                Ev(ts: t, kind: .position, lat: p.lat, lon: p.lon, acc: (rng.uniform(4, 12) * 10).rounded() / 10,
                   code: Ev.scriptedFix))
        }
        book(t0, end, .zoneCrossing)
        return true
    }

    /// The passes of a dossier with a crossing zone: one counted, one too fast, and one while a scheduled zone is
    /// inactive. Returns how many were placed.
    mutating func placeCrossingPasses() -> Int {
        guard let z = d.zones.firstIndex(where: \.crossing) else { return 0 }
        var kinds: [(fast: Bool, inactive: Bool)] = [(false, false), (true, false)]
        if d.zones[z].periods != nil { kinds.append((false, true)) }
        var placed = 0
        for k in kinds {
            for _ in 0..<40 where placeCrossingPass(zone: z, fast: k.fast, inactive: k.inactive) {
                placed += 1
                break
            }
        }
        return placed
    }
}
