import Foundation

/// A WGS84 position in degrees.
struct GeoPoint: Equatable {
    var lat: Double
    var lon: Double
}

enum Geo {
    /// PROTOCOL 4.1: great-circle distance on the mean Earth radius.
    static let earthRadius = 6_371_008.8
    static let metresPerDegree = earthRadius * Double.pi / 180

    /// Great-circle distance in metres (haversine), as the rules engine measures it.
    static func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let p1 = a.lat * Double.pi / 180, p2 = b.lat * Double.pi / 180
        let dp = p2 - p1, dl = (b.lon - a.lon) * Double.pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// The point `east` and `north` metres away from `p` (local flat approximation, fine below ~50 km).
    static func offset(_ p: GeoPoint, east: Double, north: Double) -> GeoPoint {
        GeoPoint(
            lat: p.lat + north / metresPerDegree,
            lon: p.lon + east / (metresPerDegree * cos(p.lat * Double.pi / 180)))
    }

    /// The point `distance` metres from `p` in direction `bearing` (radians, 0 = north, clockwise).
    static func move(_ p: GeoPoint, distance: Double, bearing: Double) -> GeoPoint {
        offset(p, east: distance * sin(bearing), north: distance * cos(bearing))
    }

    /// Linear interpolation in degrees (paths are short).
    static func lerp(_ a: GeoPoint, _ b: GeoPoint, _ f: Double) -> GeoPoint {
        GeoPoint(lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f)
    }
}

/// A zone's or home's shape, with what is precomputed to classify millions of fixes quickly and exactly enough.
///
/// Far from the boundary a flat approximation decides; within `exactBand` metres of it the circle test uses the
/// haversine distance, exactly as the rules engine does, so the generator never misjudges a fix it calls qualifying.
struct Shape {
    enum Kind { case circle, polygon }
    let kind: Kind
    let center: GeoPoint
    let radius: Double
    let points: [GeoPoint]
    /// Largest distance from `center` to any point of the shape (metres).
    let extent: Double
    private let cosLat: Double
    private let sinLat: Double
    private let minLat: Double, maxLat: Double, minLon: Double, maxLon: Double
    /// Planar copies of the polygon's vertices, metres east/north of `center`.
    private let xs: [Double], ys: [Double]

    static let exactBand = 80.0

    static func circle(_ c: GeoPoint, radius: Double) -> Shape {
        Shape(kind: .circle, center: c, radius: radius, points: [])
    }

    /// A polygon (open ring of `[lat, lon]` points, at least 3).
    static func polygon(_ pts: [GeoPoint]) -> Shape {
        let c = GeoPoint(
            lat: pts.map(\.lat).reduce(0, +) / Double(pts.count), lon: pts.map(\.lon).reduce(0, +) / Double(pts.count))
        return Shape(kind: .polygon, center: c, radius: 0, points: pts)
    }

    private init(kind: Kind, center: GeoPoint, radius: Double, points: [GeoPoint]) {
        self.kind = kind
        self.center = center
        self.radius = radius
        self.points = points
        cosLat = cos(center.lat * Double.pi / 180)
        sinLat = sin(center.lat * Double.pi / 180)
        if kind == .polygon {
            minLat = points.map(\.lat).min()!
            maxLat = points.map(\.lat).max()!
            minLon = points.map(\.lon).min()!
            maxLon = points.map(\.lon).max()!
            let m = Geo.metresPerDegree
            xs = points.map { ($0.lon - center.lon) * m * cos(center.lat * Double.pi / 180) }
            ys = points.map { ($0.lat - center.lat) * m }
            extent = zip(xs, ys).map { ($0 * $0 + $1 * $1).squareRoot() }.max()!
        } else {
            minLat = 0
            maxLat = 0
            minLon = 0
            maxLon = 0
            xs = []
            ys = []
            extent = radius
        }
    }

    /// Flat distance in metres from the centre, with the cosine taken at the mid latitude (first-order Taylor):
    /// within a few centimetres of the great-circle distance up to ~30 km.
    @inline(__always)
    private func flatDistance(_ p: GeoPoint) -> Double {
        let dLat = (p.lat - center.lat) * Double.pi / 180
        let cosMid = cosLat - sinLat * dLat / 2
        let dy = dLat * Geo.earthRadius
        let dx = (p.lon - center.lon) * Double.pi / 180 * Geo.earthRadius * cosMid
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Whether `p` is inside (boundary included) and roughly how far it is from the boundary in metres
    /// (exact within `exactBand`; beyond it, at least `exactBand`).
    @inline(__always)
    func classify(_ p: GeoPoint) -> (inside: Bool, margin: Double) {
        switch kind {
        case .circle:
            var d = flatDistance(p)
            if abs(d - radius) < Shape.exactBand { d = Geo.distance(center, p) }
            return (d <= radius, abs(d - radius))
        case .polygon:
            let band = Shape.exactBand / Geo.metresPerDegree
            if p.lat < minLat - band || p.lat > maxLat + band || p.lon < minLon - band / cosLat
                || p.lon > maxLon + band / cosLat
            {
                // a lower bound of the distance to the polygon: the distance to its bounding box
                let m = Geo.metresPerDegree
                let dy = max(minLat - p.lat, p.lat - maxLat, 0) * m
                let dx = max(minLon - p.lon, p.lon - maxLon, 0) * m * cosLat
                return (false, max(Shape.exactBand, (dx * dx + dy * dy).squareRoot()))
            }
            return polygonClassify(p)
        }
    }

    private func polygonClassify(_ p: GeoPoint) -> (inside: Bool, margin: Double) {
        let m = Geo.metresPerDegree
        let px = (p.lon - center.lon) * m * cosLat, py = (p.lat - center.lat) * m
        var inside = false
        var best = Double.infinity
        var j = xs.count - 1
        for i in 0..<xs.count {
            let xi = xs[i], yi = ys[i], xj = xs[j], yj = ys[j]
            if (yi > py) != (yj > py) {
                let x = (xj - xi) * (py - yi) / (yj - yi) + xi
                if px < x { inside.toggle() }
            }
            // distance to the segment j-i
            let ex = xi - xj, ey = yi - yj
            let len2 = ex * ex + ey * ey
            var t = len2 > 0 ? ((px - xj) * ex + (py - yj) * ey) / len2 : 0
            t = max(0, min(1, t))
            let qx = xj + t * ex - px, qy = yj + t * ey - py
            best = min(best, (qx * qx + qy * qy).squareRoot())
            j = i
        }
        return (inside, best)
    }
}
