#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether the path between two fixes passes through a zone (`exclusion_zone_crossed`, PROTOCOL 4.1 (1.1)).
///
/// The callers have already found both ends outside the zone; these tests say whether some point of the segment
/// between them is inside.
extension Geo {
    /// The great-circle distance in metres from `p` to the nearest point of the shorter great-circle arc `a`-`b`.
    ///
    /// On the unit sphere: the arc's plane has the normal n = a × b; the point's foot on that great circle is inside
    /// the arc when it lies on the arc side of both ends, and then the distance is the angle asin(|p · n̂|);
    /// otherwise the nearer end is the nearest point.
    public static func distance(from p: GeoPoint, toArc a: GeoPoint, _ b: GeoPoint) -> Double {
        let va = unit(a), vb = unit(b), vp = unit(p)
        let n = cross(va, vb)
        let len = dot(n, n).squareRoot()
        guard len > 1e-15 else { return min(distance(p, a), distance(p, b)) }
        let nh = (n.0 / len, n.1 / len, n.2 / len)
        let s = dot(vp, nh)
        // The foot of p on the great circle (not normalised: only its side of a and b matters).
        let foot = (vp.0 - s * nh.0, vp.1 - s * nh.1, vp.2 - s * nh.2)
        if dot(cross(va, foot), n) >= 0, dot(cross(foot, vb), n) >= 0 {
            return earthRadius * asin(min(1, abs(s)))
        }
        return min(distance(p, a), distance(p, b))
    }

    @inline(__always) static func unit(_ p: GeoPoint) -> (Double, Double, Double) {
        let rad = Double.pi / 180
        let la = p.lat * rad, lo = p.lon * rad
        return (cos(la) * cos(lo), cos(la) * sin(lo), sin(la))
    }

    @inline(__always) static func cross(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (
        Double, Double, Double
    ) {
        (a.1 * b.2 - a.2 * b.1, a.2 * b.0 - a.0 * b.2, a.0 * b.1 - a.1 * b.0)
    }

    @inline(__always) static func dot(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        a.0 * b.0 + a.1 * b.1 + a.2 * b.2
    }
}

extension GeoCircle {
    /// Whether the arc `a`-`b` has a point inside the disc (its closest point at most the radius from the centre).
    public func meetsSegment(_ a: GeoPoint, _ b: GeoPoint) -> Bool {
        Geo.distance(from: center, toArc: a, b) <= radiusMetres
    }
}

extension GeoPolygon {
    /// Whether the segment `a`-`b` touches or crosses an edge of the ring, in the plane of latitude and longitude
    /// where `contains` decides (a point on an edge is inside). With both ends outside, that is exactly "some point
    /// of the segment is inside": a segment through a concave polygon's notch that meets no edge has not entered
    /// it, one that passes through two arms crosses four edges and is one crossing.
    public func meetsSegment(_ a: GeoPoint, _ b: GeoPoint) -> Bool {
        vertices.withUnsafeBufferPointer { Self.ringMeetsSegment(a, b, $0) }
    }

    /// `meetsSegment` over an open ring wherever it is stored (the rule engine's flat vertex array).
    static func ringMeetsSegment(_ a: GeoPoint, _ b: GeoPoint, _ v: UnsafeBufferPointer<GeoPoint>) -> Bool {
        let n = v.count
        guard n >= 3 else { return false }
        var j = n - 1
        for i in 0..<n {
            if segmentsMeet(a.lon, a.lat, b.lon, b.lat, v[j].lon, v[j].lat, v[i].lon, v[i].lat) { return true }
            j = i
        }
        return false
    }

    /// Whether the segments p1-p2 and q1-q2 share a point (touching and collinear overlap included, within the edge
    /// tolerance).
    static func segmentsMeet(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ x3: Double, _ y3: Double, _ x4: Double, _ y4: Double
    ) -> Bool {
        func orient(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ cx: Double, _ cy: Double) -> Double {
            (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        }
        let d1 = orient(x3, y3, x4, y4, x1, y1)
        let d2 = orient(x3, y3, x4, y4, x2, y2)
        let d3 = orient(x1, y1, x2, y2, x3, y3)
        let d4 = orient(x1, y1, x2, y2, x4, y4)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        // Touching or collinear: an end of one segment on the other.
        return onSegment(x1, y1, x3, y3, x4, y4) || onSegment(x2, y2, x3, y3, x4, y4)
            || onSegment(x3, y3, x1, y1, x2, y2) || onSegment(x4, y4, x1, y1, x2, y2)
    }
}

extension ZoneShape {
    /// Whether the path between two fixes (both outside) passes through the zone.
    public func meetsSegment(_ a: GeoPoint, _ b: GeoPoint) -> Bool {
        switch self {
        case .circle(let c): c.meetsSegment(a, b)
        case .polygon(let g): g.meetsSegment(a, b)
        }
    }
}
