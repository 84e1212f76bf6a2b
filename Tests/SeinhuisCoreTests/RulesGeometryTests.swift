import Foundation
import Testing

@testable import SeinhuisCore

@Suite("Rules: geometry")
struct RulesGeometryTests {
    @Test func greatCircleDistanceUsesTheMeanEarthRadius() {
        // One degree of latitude on a sphere of 6,371,008.8 m is 111,195.08 m.
        let d = Geo.distance(GeoPoint(lat: 50, lon: 4), GeoPoint(lat: 51, lon: 4))
        #expect(abs(d - 6_371_008.8 * Double.pi / 180) < 0.001)
        // Brussels to Ghent, about 50 km.
        let bg = Geo.distance(GeoPoint(lat: 50.8503, lon: 4.3517), GeoPoint(lat: 51.0543, lon: 3.7174))
        #expect(bg > 49_000 && bg < 51_000)
        #expect(Geo.distance(GeoPoint(lat: 10, lon: 10), GeoPoint(lat: 10, lon: 10)) == 0)
    }

    @Test func circleIncludesItsBoundary() {
        let c = GeoCircle(center: GeoPoint(lat: 51, lon: 4), radiusMetres: 100)
        let metresPerDegree = 6_371_008.8 * Double.pi / 180
        #expect(c.contains(GeoPoint(lat: 51 + 99.9 / metresPerDegree, lon: 4)))
        #expect(!c.contains(GeoPoint(lat: 51 + 100.1 / metresPerDegree, lon: 4)))
        let exact = GeoCircle(center: c.center, radiusMetres: Geo.distance(c.center, GeoPoint(lat: 51.0005, lon: 4)))
        #expect(exact.contains(GeoPoint(lat: 51.0005, lon: 4)))
    }

    /// A U shape: the notch between the arms is outside.
    static let u = GeoPolygon(vertices: [
        GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 0, lon: 3), GeoPoint(lat: 3, lon: 3), GeoPoint(lat: 3, lon: 2),
        GeoPoint(lat: 1, lon: 2), GeoPoint(lat: 1, lon: 1), GeoPoint(lat: 3, lon: 1), GeoPoint(lat: 3, lon: 0),
    ])

    @Test func circleBoundsNeverChangeTheHaversinesAnswer() {
        // `GeoCircle.contains` decides most points by two bounds before the haversine: it must agree with the
        // haversine alone everywhere (for valid latitudes), above all near the boundary (half the points below are
        // within 1 % of it).
        var g = SplitMix(seed: 42)
        var farFromBoundary = 0
        for k in 0..<200_000 {
            let r = [1.0, 25, 100, 200, 1000, 50_000, 5_000_000][k % 7]
            let c = GeoPoint(lat: g.uniform(-80, 80), lon: g.uniform(-179, 179))
            let bearing = g.uniform(0, 2 * .pi)
            let dist = k % 2 == 0 ? r * g.uniform(0.99, 1.01) : r * g.uniform(0, 3)
            let dLat = dist * cos(bearing) / Geo.earthRadius * 180 / .pi
            let dLon = dist * sin(bearing) / Geo.earthRadius * 180 / .pi / cos(c.lat * .pi / 180)
            // Latitudes the decoder and the dossier parser accept ([-90, 90]: the lower bound needs them).
            guard abs(c.lat + dLat) <= 90 else { continue }
            let p = GeoPoint(lat: c.lat + dLat, lon: c.lon + dLon)
            let circle = GeoCircle(center: c, radiusMetres: r)
            let haversine = Geo.distance(c, p) <= r
            #expect(circle.contains(p) == haversine, "centre \(c), radius \(r), point \(p)")
            if abs(Geo.distance(c, p) - r) > 0.01 * r { farFromBoundary += 1 }
        }
        #expect(farFromBoundary > 50_000)
    }

    @Test func concavePolygon() {
        #expect(Self.u.contains(GeoPoint(lat: 0.5, lon: 1.5)))  // the base
        #expect(Self.u.contains(GeoPoint(lat: 2, lon: 0.5)))  // left arm
        #expect(Self.u.contains(GeoPoint(lat: 2, lon: 2.5)))  // right arm
        #expect(!Self.u.contains(GeoPoint(lat: 2, lon: 1.5)))  // the notch
        #expect(!Self.u.contains(GeoPoint(lat: 4, lon: 1.5)))
        #expect(!Self.u.contains(GeoPoint(lat: -0.1, lon: 1.5)))
        #expect(Self.u.contains(GeoPoint(lat: 1, lon: 1.5)))  // on the notch's bottom edge: inside
        // Rays through vertices (lat 3 and lat 0 hold several) must not double count.
        #expect(!Self.u.contains(GeoPoint(lat: 3, lon: -0.5)))
        #expect(!Self.u.contains(GeoPoint(lat: 3, lon: 1.5)))
        #expect(!Self.u.contains(GeoPoint(lat: 0, lon: -0.5)))
    }

    @Test func pointsOnEdgesAndVerticesAreInside() {
        #expect(Self.u.contains(GeoPoint(lat: 0, lon: 1.5)))  // bottom edge
        #expect(Self.u.contains(GeoPoint(lat: 2, lon: 1)))  // inner edge of the notch
        #expect(Self.u.contains(GeoPoint(lat: 2, lon: 2)))
        #expect(Self.u.contains(GeoPoint(lat: 3, lon: 3)))  // a vertex
        #expect(Self.u.contains(GeoPoint(lat: 1, lon: 1)))  // a reflex vertex
        // The contract's station zone: a point on its western edge.
        let station = GeoPolygon(vertices: [
            GeoPoint(lat: 51.036, lon: 3.709), GeoPoint(lat: 51.036, lon: 3.712), GeoPoint(lat: 51.034, lon: 3.712),
            GeoPoint(lat: 51.034, lon: 3.709),
        ])
        #expect(station.contains(GeoPoint(lat: 51.035, lon: 3.709)))
        #expect(station.contains(GeoPoint(lat: 51.035, lon: 3.7105)))
        #expect(!station.contains(GeoPoint(lat: 51.035, lon: 3.7089)))
    }

    @Test func closedRingIsTheSamePolygon() {
        var ring = Self.u.vertices
        ring.append(ring[0])
        let closed = GeoPolygon(vertices: ring)
        #expect(closed == Self.u)
        #expect(closed.vertices.count == 8)
        for p in [GeoPoint(lat: 2, lon: 1.5), GeoPoint(lat: 0.5, lon: 0.5), GeoPoint(lat: 0, lon: 0)] {
            #expect(closed.contains(p) == Self.u.contains(p))
        }
    }

    @Test func clockwiseAndCounterClockwiseAgree() {
        let reversed = GeoPolygon(vertices: Self.u.vertices.reversed())
        for lat in stride(from: -0.5, through: 3.5, by: 0.25) {
            for lon in stride(from: -0.5, through: 3.5, by: 0.25) {
                let p = GeoPoint(lat: lat, lon: lon)
                #expect(reversed.contains(p) == Self.u.contains(p), "\(lat),\(lon)")
            }
        }
    }
}

/// A small deterministic generator for the tests (SplitMix64): geometry, and random JSON for the dossier reader.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) / Double(1 << 53) }
}
