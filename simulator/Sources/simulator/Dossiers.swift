import Foundation
import SeinhuisCore

/// A zone of a generated dossier, with its precomputed geometry and active periods.
struct ZoneModel {
    enum Kind: String { case exclusion, inclusion }
    var id: String
    var kind: Kind
    var shape: Shape
    var schedule: [Window]
    /// Active periods over the run; nil when the zone has no schedule (always active).
    var periods: [Period]?
    /// A point well inside the zone (at least ~55 m from every edge): where a visit goes.
    var anchor: GeoPoint
    /// (1.1) `"crossing": true`: passes between two fixes count (`exclusion_zone_crossed`).
    var crossing = false

    func isActive(_ t: Int64) -> Bool { periods.map { $0.containing(t) != nil } ?? true }
}

/// A boundary of a curfew period (`zone == -1`) or of a zone's schedule period.
struct Boundary {
    var t: Int64
    var zone: Int
    var opens: Bool
}

/// A generated dossier (PROTOCOL 3) and what the generator derives from it.
final class DossierModel {
    let index: Int
    let id: String
    let subject: String
    let radex: Bool
    let mandate: String
    let start: String
    let end: String?
    let timezone = "Europe/Brussels"
    var devices: [Int] = []
    let home: GeoPoint
    let homeRadius: Double
    let curfew: [Window]
    let curfewPeriods: [Period]
    let zones: [ZoneModel]
    let commsTimeoutS: Int
    let writeCommsTimeout: Bool
    let lastReview: String?
    /// Index 0 is home; zone k is `shapes[k + 1]`.
    let shapes: [Shape]
    /// Every period boundary (curfew and zone schedules), sorted.
    let boundaries: [Boundary]
    let city: String
    /// (1.1) Device index → its network (devices without one are written as plain ids).
    var networks: [Int: String] = [:]
    /// (1.1) The protected persons.
    var protected: [ProtectedModel] = []

    init(
        index: Int, id: String, subject: String, radex: Bool, mandate: String, start: String, end: String?,
        home: GeoPoint, homeRadius: Double, curfew: [Window], curfewPeriods: [Period], zones: [ZoneModel],
        commsTimeoutS: Int, writeCommsTimeout: Bool, lastReview: String?, city: String
    ) {
        self.index = index
        self.id = id
        self.subject = subject
        self.radex = radex
        self.mandate = mandate
        self.start = start
        self.end = end
        self.home = home
        self.homeRadius = homeRadius
        self.curfew = curfew
        self.curfewPeriods = curfewPeriods
        self.zones = zones
        self.commsTimeoutS = commsTimeoutS
        self.writeCommsTimeout = writeCommsTimeout
        self.lastReview = lastReview
        self.city = city
        shapes = [Shape.circle(home, radius: homeRadius)] + zones.map(\.shape)
        var b: [Boundary] = []
        for p in curfewPeriods {
            b.append(Boundary(t: p.start, zone: -1, opens: true))
            b.append(Boundary(t: p.end, zone: -1, opens: false))
        }
        for (k, z) in zones.enumerated() {
            for p in z.periods ?? [] {
                b.append(Boundary(t: p.start, zone: k, opens: true))
                b.append(Boundary(t: p.end, zone: k, opens: false))
            }
        }
        // At one instant a closing boundary comes before an opening one: touching periods are merged anyway.
        boundaries = b.sorted { $0.t != $1.t ? $0.t < $1.t : (!$0.opens && $1.opens) }
    }

    var commsTimeoutMs: Int64 { Int64(commsTimeoutS) * 1000 }

    /// The same dossier with one more zone (its devices, networks and protected persons kept).
    func adding(zone: ZoneModel) -> DossierModel {
        let d = DossierModel(
            index: index, id: id, subject: subject, radex: radex, mandate: mandate, start: start, end: end, home: home,
            homeRadius: homeRadius, curfew: curfew, curfewPeriods: curfewPeriods, zones: zones + [zone],
            commsTimeoutS: commsTimeoutS, writeCommsTimeout: writeCommsTimeout, lastReview: lastReview, city: city)
        d.devices = devices
        d.networks = networks
        d.protected = protected
        return d
    }

    func inCurfew(_ t: Int64) -> Bool { curfewPeriods.containing(t) != nil }
}

/// Fixed-point decimal text (`51.054300`), the way the generator writes every coordinate.
func fixed(_ v: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let n = Int64((abs(v) * scale).rounded())
    let ip = n / Int64(scale), fp = n % Int64(scale)
    var f = String(fp)
    if f.count < decimals { f = String(repeating: "0", count: decimals - f.count) + f }
    return (v < 0 && n != 0 ? "-" : "") + String(ip) + (decimals > 0 ? "." + f : "")
}

/// Rounds to the 6 decimals written to the files, so the generator judges exactly the point the engine reads.
func round6(_ p: GeoPoint) -> GeoPoint {
    GeoPoint(lat: (p.lat * 1e6).rounded() / 1e6, lon: (p.lon * 1e6).rounded() / 1e6)
}

func dateString(day: Int64) -> String {
    let (y, m, d) = CivilDate.civil(fromDays: day)
    func p2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(y)-\(p2(m))-\(p2(d))"
}

/// Makes dossiers: homes in Flemish and Brussels neighbourhoods, curfews, exclusion and inclusion zones.
struct DossierFactory {
    let clock: LocalClock
    let runStart: Int64
    let runEnd: Int64
    let radexShare: Double
    let seed: UInt64

    static let cities: [(name: String, lat: Double, lon: Double, weight: Double)] = [
        ("Brussels", 50.8466, 4.3528, 0.24), ("Antwerp", 51.2194, 4.4025, 0.22), ("Ghent", 51.0543, 3.7174, 0.18),
        ("Leuven", 50.8798, 4.7005, 0.08), ("Bruges", 51.2093, 3.2247, 0.07), ("Mechelen", 51.0259, 4.4777, 0.05),
        ("Aalst", 50.9378, 4.0403, 0.04), ("Hasselt", 50.9307, 5.3378, 0.04), ("Kortrijk", 50.8279, 3.2649, 0.04),
        ("Sint-Niklaas", 51.1650, 4.1439, 0.04),
    ]

    /// Curfew templates: nightly, weekday/weekend, strict, a weekend house arrest that merges into one period, and a
    /// 24-hour Sunday window (`from` equal to `to`).
    static let curfews: [(weight: Double, windows: [Window])] = [
        (0.25, [Window(days: Array(0...6), from: 22 * 60, to: 6 * 60)]),
        (
            0.22,
            [
                Window(days: [0, 1, 2, 3, 4], from: 21 * 60, to: 7 * 60),
                Window(days: [5, 6], from: 23 * 60, to: 8 * 60),
            ]
        ),
        (0.15, [Window(days: Array(0...6), from: 20 * 60, to: 7 * 60)]),
        (
            0.10,
            [
                Window(days: [0, 1, 2, 3, 6], from: 21 * 60, to: 7 * 60), Window(days: [4], from: 20 * 60, to: 7 * 60),
                Window(days: [5], from: 0, to: 1440), Window(days: [6], from: 0, to: 7 * 60),
            ]
        ),
        (
            0.06,
            [Window(days: Array(0...5), from: 23 * 60, to: 6 * 60), Window(days: [6], from: 10 * 60, to: 10 * 60)]
        ),
        (0.22, []),
    ]

    static func weighted<T>(_ xs: [(Double, T)], _ rng: inout Rng) -> T {
        let total = xs.reduce(0) { $0 + $1.0 }
        var u = rng.uniform(0, total)
        for (w, x) in xs {
            if u < w { return x }
            u -= w
        }
        return xs[xs.count - 1].1
    }

    func make(index: Int, id: String) -> DossierModel {
        var rng = Rng(seed: seed, stream: 0xD055_1E00_0000 + UInt64(index))
        let city = DossierFactory.weighted(DossierFactory.cities.map { ($0.weight, $0) }, &rng)
        let cityCentre = GeoPoint(lat: city.lat, lon: city.lon)
        var homeDist = abs(rng.gaussian()) * 2200
        if homeDist > 6000 { homeDist = rng.uniform(300, 6000) }
        let home = round6(Geo.move(cityCentre, distance: homeDist, bearing: rng.uniform(0, 2 * Double.pi)))
        let homeRadius = Double(rng.pick([80, 100, 120, 120, 150, 150, 200]))
        let radex = rng.chance(radexShare)
        let mandate = rng.chance(radex ? 0.5 : 0.4) ? "pretrial" : "sentence"
        let curfewWindows = DossierFactory.weighted(
            DossierFactory.curfews.map { ($0.weight * (radex && $0.windows.isEmpty ? 0.4 : 1), $0.windows) }, &rng)
        let curfewPeriods = clock.periods(of: curfewWindows, from: runStart, to: runEnd)

        // Inclusion zones first: exclusion zones must lie well inside them.
        let inclusion = inclusionZones(home: home, cityCentre: cityCentre, &rng)
        let exclusion = exclusionZones(home: home, homeRadius: homeRadius, radex: radex, inside: inclusion, &rng)
        // exclusion zones first in the file, as an operator would list them
        let zones = exclusion + inclusion

        let runDay = clock.localDay(ofUTC: runStart)
        let startDay = runDay - Int64(rng.int(20, 420))
        let endDay: Int64? =
            rng.chance(0.4) ? nil : max(clock.localDay(ofUTC: runEnd) + 2, startDay + Int64(rng.int(180, 730)))
        let timeout = rng.pick([300, 600, 600, 600, 900, 1800])
        let lastReview: String? =
            radex || rng.chance(0.3)
            ? dateString(day: min(runDay - 1, startDay + Int64(rng.int(0, Int(runDay - startDay))))) : nil
        var h = SplitMix64(state: seed ^ 0x5B1E_C700 ^ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
        // A pseudonym with digits only after the prefix (PROTOCOL 7: a subject has at least one digit).
        let subjectNumber = String(h.next() % 9_000_000 + 1_000_000)
        return DossierModel(
            index: index, id: id, subject: "S-" + subjectNumber, radex: radex, mandate: mandate,
            start: dateString(day: startDay), end: endDay.map(dateString(day:)), home: home, homeRadius: homeRadius,
            curfew: curfewWindows, curfewPeriods: curfewPeriods, zones: zones, commsTimeoutS: timeout,
            writeCommsTimeout: timeout != 600 || rng.chance(0.5), lastReview: lastReview, city: city.name)
    }

    /// Half of the dossiers get inclusion zones: the region around the city (a concave decagon or a circle), and
    /// sometimes a weekend circle around home.
    func inclusionZones(home: GeoPoint, cityCentre: GeoPoint, _ rng: inout Rng) -> [ZoneModel] {
        var zones: [ZoneModel] = []
        if rng.chance(0.5) {
            let rDist = Geo.distance(cityCentre, home)
            if rng.chance(0.4) {
                // an irregular decagon around the city, with one vertex pulled in (concave)
                let base = max(9000, rDist + 5000)
                var pts: [GeoPoint] = []
                let notch = rng.int(0, 9)
                for k in 0..<10 {
                    let b = Double(k) * 2 * Double.pi / 10 + rng.uniform(-0.12, 0.12)
                    let r = k == notch ? base * 0.55 : base * rng.uniform(1.0, 1.3)
                    pts.append(round6(Geo.move(cityCentre, distance: r, bearing: b)))
                }
                let shape = Shape.polygon(pts)
                let c = shape.classify(home)
                if c.inside && c.margin >= 4000 {
                    zones.append(
                        ZoneModel(
                            id: "Z-region", kind: .inclusion, shape: shape, schedule: [], periods: nil,
                            anchor: home))
                }
            }
            if zones.isEmpty {
                let r = (max(9000, rDist + 5000) / 500).rounded() * 500
                zones.append(
                    ZoneModel(
                        id: "Z-region", kind: .inclusion, shape: .circle(cityCentre, radius: r), schedule: [],
                        periods: nil, anchor: cityCentre))
            }
            if rng.chance(0.4) {
                let r = Double(rng.int(6, 10)) * 500
                let weekend = [Window(days: [5, 6], from: 0, to: 1440)]
                zones.append(
                    ZoneModel(
                        id: "Z-weekend", kind: .inclusion, shape: .circle(home, radius: r), schedule: weekend,
                        periods: clock.periods(of: weekend, from: runStart, to: runEnd), anchor: home))
            }
        }
        return zones
    }

    /// One to three exclusion zones (two to four for radex): far from home, inside every inclusion zone with room to
    /// spare, apart from each other.
    func exclusionZones(
        home: GeoPoint, homeRadius: Double, radex: Bool, inside inclusion: [ZoneModel], _ rng: inout Rng
    )
        -> [ZoneModel]
    {
        var zones: [ZoneModel] = []
        var kinds = ["Z-victim", "Z-station", "Z-school", "Z-embassy", "Z-worship", "Z-nightlife", "Z-court"]
        let nExcl = radex ? rng.int(2, 4) : rng.int(1, 3)
        var placed = 0
        var attempts = 0
        while placed < nExcl && attempts < 200 && !kinds.isEmpty {
            attempts += 1
            let kindIdx = rng.int(0, kinds.count - 1)
            let name = kinds[kindIdx]
            let maxDist = inclusion.isEmpty ? 4000.0 : 4000.0
            let c = Geo.move(home, distance: rng.uniform(1500, maxDist), bearing: rng.uniform(0, 2 * Double.pi))
            let theta = rng.uniform(0, Double.pi)
            let (shape, anchor, schedule) = DossierFactory.exclusionShape(name, around: c, turned: theta, &rng)
            // far from home, inside every inclusion zone with room to spare, apart from the other exclusion zones
            if Geo.distance(home, shape.center) < shape.extent + homeRadius + 900 { continue }
            var ok = true
            for z in inclusion {
                let k = z.shape.classify(shape.center)
                if !k.inside || k.margin < shape.extent + 1500 { ok = false }
            }
            for z in zones {
                if Geo.distance(z.shape.center, shape.center) < z.shape.extent + shape.extent + 900 { ok = false }
            }
            if !ok { continue }
            zones.append(
                ZoneModel(
                    id: name, kind: .exclusion, shape: shape, schedule: schedule,
                    periods: schedule.isEmpty ? nil : clock.periods(of: schedule, from: runStart, to: runEnd),
                    anchor: anchor))
            kinds.remove(at: kindIdx)
            placed += 1
        }
        return zones
    }

    /// The shape of an exclusion zone of kind `name` centred near `c` and turned by `theta`: circles for a victim's
    /// home, an embassy or a place of worship, rectangles for a station or a court, an L for a school (school hours),
    /// a U for a nightlife district (Friday and Saturday nights). Returns the shape, a point inside it to visit, and
    /// its schedule.
    static func exclusionShape(_ name: String, around c: GeoPoint, turned theta: Double, _ rng: inout Rng)
        -> (Shape, GeoPoint, [Window])
    {
        var schedule: [Window] = []
        var shape: Shape
        var anchor: GeoPoint
        func rot(_ x: Double, _ y: Double) -> GeoPoint {
            round6(
                Geo.offset(c, east: x * cos(theta) - y * sin(theta), north: x * sin(theta) + y * cos(theta)))
        }
        switch name {
        case "Z-victim", "Z-embassy", "Z-worship":
            let r = Double(rng.int(name == "Z-worship" ? 4 : 6, name == "Z-victim" ? 12 : 8)) * 25
            let cc = round6(c)
            shape = .circle(cc, radius: r)
            anchor = cc
        case "Z-station", "Z-court":
            let w = rng.uniform(220, 420), h = rng.uniform(130, 220)
            shape = .polygon([rot(-w / 2, -h / 2), rot(w / 2, -h / 2), rot(w / 2, h / 2), rot(-w / 2, h / 2)])
            anchor = rot(0, 0)
        case "Z-school":
            // an L: concave
            let W = rng.uniform(260, 360), A = rng.uniform(120, 150)
            let pts: [(Double, Double)] = [(0, 0), (W, 0), (W, A), (A, A), (A, W), (0, W)]
            shape = .polygon(pts.map { rot($0.0 - W / 2, $0.1 - W / 2) })
            anchor = rot(A / 2 - W / 2, A / 2 - W / 2)
            schedule = [Window(days: [0, 1, 2, 3, 4], from: 7 * 60 + 30, to: 17 * 60)]
        default:  // Z-nightlife: a U, concave, active on Friday and Saturday nights
            let W = rng.uniform(380, 480), H = rng.uniform(300, 400), A = rng.uniform(120, 150)
            let pts: [(Double, Double)] = [
                (0, 0), (W, 0), (W, H), (W - A, H), (W - A, A), (A, A), (A, H), (0, H),
            ]
            shape = .polygon(pts.map { rot($0.0 - W / 2, $0.1 - H / 2) })
            anchor = rot(0, A / 2 - H / 2)
            schedule = [Window(days: [4, 5], from: 20 * 60, to: 6 * 60)]
        }
        return (shape, anchor, schedule)
    }
}
