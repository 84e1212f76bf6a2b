#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point on the Earth in degrees (WGS 84 latitude and longitude, as the devices report them).
public struct GeoPoint: Sendable, Equatable, Hashable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// Great-circle geometry on a sphere of the contract's mean Earth radius (PROTOCOL 4.1).
public enum Geo {
    /// Mean Earth radius in metres (IUGG), the contract's radius for every distance.
    public static let earthRadius = 6_371_008.8

    /// Great-circle distance in metres (haversine: accurate at the short distances of zones and homes).
    @inlinable public static func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad
        let dLon = (b.lon - a.lon) * rad
        let s1 = sin(dLat / 2)
        let s2 = sin(dLon / 2)
        let h = s1 * s1 + cos(a.lat * rad) * cos(b.lat * rad) * s2 * s2
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }
}

/// A disc: `home`, or a zone's `circle`. A point at most `radiusMetres` from the centre is inside.
public struct GeoCircle: Sendable, Equatable {
    public var center: GeoPoint
    public var radiusMetres: Double

    public init(center: GeoPoint, radiusMetres: Double) {
        self.center = center
        self.radiusMetres = radiusMetres
    }

    @inlinable public func contains(_ p: GeoPoint) -> Bool {
        // Bounds first, without trigonometry; only a point between them needs the haversine. Both are true bounds of
        // the great-circle distance d on the sphere, and the margin (1 mm plus 1e-7 of the radius) is far above the
        // rounding of either side (about 1e-9 m at a zone's distances, 0.1 m near the antipode), so the answer is
        // always the haversine's:
        // - d >= R |dLat| (no path between two parallels is shorter than the meridian arc; latitudes are within
        //   [-90, 90], as the decoder and the dossier parser check): outside if beyond r;
        // - d <= R (|dLat| + |dLon|) (along the meridian, then along a parallel, whose length is at most R |dLon|):
        //   inside if within r.
        let rad = Double.pi / 180
        let margin = 0.001 + radiusMetres * 1e-7
        let dLat = abs(p.lat - center.lat) * rad * Geo.earthRadius
        if dLat > radiusMetres + margin { return false }
        let dLon = abs(p.lon - center.lon) * rad * Geo.earthRadius
        if dLat + dLon < radiusMetres - margin { return true }
        return Geo.distance(center, p) <= radiusMetres
    }
}

/// A simple polygon of `[lat, lon]` vertices (concave allowed), tested in the plane of latitude and longitude.
///
/// Zones are a few kilometres across at most, where the plane of degrees and the sphere agree on which side of an
/// edge a point lies. A point on an edge or a vertex is inside (PROTOCOL 4.1). The ring is stored open: a closing
/// vertex equal to the first is dropped when parsing. Polygons crossing the antimeridian are not supported.
public struct GeoPolygon: Sendable, Equatable {
    /// The vertices, open ring (the last is not a repeat of the first).
    public let vertices: [GeoPoint]
    @usableFromInline let minLat: Double
    @usableFromInline let maxLat: Double
    @usableFromInline let minLon: Double
    @usableFromInline let maxLon: Double

    /// Tolerance for "on an edge", in degrees (about 0.1 mm): a fix is never that exact, a test point on an edge is.
    @usableFromInline static let edgeTolerance = 1e-9

    public init(vertices: [GeoPoint]) {
        var v = vertices
        if v.count > 1, v.first == v.last { v.removeLast() }
        self.vertices = v
        minLat = v.map(\.lat).min() ?? 0
        maxLat = v.map(\.lat).max() ?? 0
        minLon = v.map(\.lon).min() ?? 0
        maxLon = v.map(\.lon).max() ?? 0
    }

    public static func == (a: GeoPolygon, b: GeoPolygon) -> Bool { a.vertices == b.vertices }

    /// Inside or on the boundary (even-odd rule, with an explicit on-edge test first).
    public func contains(_ p: GeoPoint) -> Bool {
        guard Self.boxContains(p, minLat: minLat, maxLat: maxLat, minLon: minLon, maxLon: maxLon) else { return false }
        return vertices.withUnsafeBufferPointer { Self.ringContains(p, $0) }
    }

    /// The bounding-box pre-check of `contains` (with the edge tolerance): false means outside.
    @inline(__always) static func boxContains(
        _ p: GeoPoint, minLat: Double, maxLat: Double, minLon: Double, maxLon: Double
    ) -> Bool {
        let tol = edgeTolerance
        return p.lat >= minLat - tol && p.lat <= maxLat + tol && p.lon >= minLon - tol && p.lon <= maxLon + tol
    }

    /// The ring test of `contains`, over an open ring wherever it is stored (the rule engine keeps every zone's
    /// vertices in one flat array): one function, so both give the same answer for every point.
    static func ringContains(_ p: GeoPoint, _ vertices: UnsafeBufferPointer<GeoPoint>) -> Bool {
        let n = vertices.count
        guard n >= 3 else { return false }
        let x = p.lon
        let y = p.lat
        var inside = false
        var j = n - 1
        for i in 0..<n {
            let xi = vertices[i].lon
            let yi = vertices[i].lat
            let xj = vertices[j].lon
            let yj = vertices[j].lat
            if Self.onSegment(x, y, xi, yi, xj, yj) { return true }
            if (yi > y) != (yj > y) {
                let xCross = xi + (y - yi) * (xj - xi) / (yj - yi)
                if x < xCross { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Whether (x, y) lies on the segment (x1, y1)-(x2, y2), within the edge tolerance.
    @usableFromInline static func onSegment(
        _ x: Double, _ y: Double, _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double
    ) -> Bool {
        let tol = edgeTolerance
        guard x >= min(x1, x2) - tol, x <= max(x1, x2) + tol, y >= min(y1, y2) - tol, y <= max(y1, y2) + tol else {
            return false
        }
        let dx = x2 - x1
        let dy = y2 - y1
        let len = (dx * dx + dy * dy).squareRoot()
        if len == 0 { return abs(x - x1) <= tol && abs(y - y1) <= tol }
        // Distance from the line, in degrees.
        let cross = abs((x - x1) * dy - (y - y1) * dx) / len
        return cross <= tol
    }
}
