import Foundation
import Testing

@testable import SeinhuisCore

/// `exclusion_zone_crossed` (PROTOCOL 4.1, 1.1; docs/RULES.md): the path between two consecutive qualifying fixes,
/// both outside a `crossing` zone, passes through it at no more than 200 km/h.
@Suite("Rules: exclusion zone crossing")
struct RulesCrossingTests {
    typealias F = RulesFixture

    static let center = GeoPoint(lat: 51.02, lon: 4.02)
    static func circleZone(radius: Double = 200, schedule: [TimeWindow] = []) -> Zone {
        Zone(
            id: "Z", kind: .exclusion, shape: .circle(GeoCircle(center: center, radiusMetres: radius)),
            schedule: schedule, crossing: true)
    }

    /// A U-shaped zone: arms at lon 4.000-4.010 and 4.020-4.030, joined by a base at lat 51.030-51.033; the notch
    /// (lon 4.010-4.020 above lat 51.033) is outside it, open to the north.
    static let horseshoe = Zone(
        id: "U", kind: .exclusion,
        shape: .polygon(
            GeoPolygon(vertices: [
                GeoPoint(lat: 51.030, lon: 4.000), GeoPoint(lat: 51.030, lon: 4.030), GeoPoint(lat: 51.040, lon: 4.030),
                GeoPoint(lat: 51.040, lon: 4.020), GeoPoint(lat: 51.033, lon: 4.020), GeoPoint(lat: 51.033, lon: 4.010),
                GeoPoint(lat: 51.040, lon: 4.010), GeoPoint(lat: 51.040, lon: 4.000),
            ])), crossing: true)

    static func west(_ lat: Double = 51.02) -> GeoPoint { GeoPoint(lat: lat, lon: 4.01) }
    static func east(_ lat: Double = 51.02) -> GeoPoint { GeoPoint(lat: lat, lon: 4.03) }

    @Test func aCircleCrossedBetweenTwoFixesIsRaisedAndClearedAtTheSecondFix() {
        var run = F.Run([F.dossier(zones: [Self.circleZone()])])
        run.fix("2026-03-02T10:00:00.000Z", Self.west())
        run.fix("2026-03-02T10:01:00.000Z", Self.east())  // 1.4 km in 60 s: 84 km/h, through the centre
        #expect(run.take() == ["+exclusion_zone_crossed/Z@10:01:00", "-exclusion_zone_crossed/Z@10:01:00"])
        // A path that passes 600 m north of the centre does not meet the 200 m circle.
        run.fix("2026-03-02T10:02:00.000Z", Self.west(51.0254))
        run.fix("2026-03-02T10:03:00.000Z", Self.east(51.0254))
        #expect(run.take() == [])
        // A path whose closest point is 150 m from the centre (inside), its ends 700 m off: crossed.
        run.fix("2026-03-02T10:04:00.000Z", Self.west(51.02135))
        run.fix("2026-03-02T10:05:00.000Z", Self.east(51.02135))
        #expect(run.take() == ["+exclusion_zone_crossed/Z@10:05:00", "-exclusion_zone_crossed/Z@10:05:00"])
    }

    @Test func aCrossingNeedsTheCrossingFlagAndOnlyOutsideEnds() {
        var plain = Self.circleZone()
        plain.crossing = false
        var run = F.Run([F.dossier(zones: [plain])])
        run.fix("2026-03-02T10:00:00.000Z", Self.west())
        run.fix("2026-03-02T10:01:00.000Z", Self.east())
        #expect(run.take() == [])
        // One end inside is the entry rule (two fixes inside raise it), never a crossing.
        run = F.Run([F.dossier(zones: [Self.circleZone()])])
        run.fix("2026-03-02T10:00:00.000Z", Self.west())
        run.fix("2026-03-02T10:01:00.000Z", Self.center)
        run.fix("2026-03-02T10:02:00.000Z", Self.center)
        run.fix("2026-03-02T10:03:00.000Z", Self.east())
        #expect(
            run.take() == ["+exclusion_zone_entry/Z@10:02:00", "-exclusion_zone_entry/Z@10:03:00"])
    }

    /// 201 km/h does not count, 199 km/h does: the two fixes 10 s apart, their distance set by the speed.
    @Test(arguments: [(199.0, true), (200.0, true), (201.0, false)])
    func theImpliedSpeedIsAtMost200KmH(_ kmh: Double, _ counts: Bool) {
        let metres = kmh / 3.6 * 10
        // Half the distance on either side of the centre, along the parallel.
        let halfLon = metres / 2 / (Geo.earthRadius * cos(Self.center.lat * .pi / 180)) * 180 / .pi
        var a = GeoPoint(lat: Self.center.lat, lon: Self.center.lon - halfLon)
        var b = GeoPoint(lat: Self.center.lat, lon: Self.center.lon + halfLon)
        // At exactly 200 km/h the rounding of the distance decides: shorten the path by a millimetre there.
        if kmh == 200 {
            a.lon += 1e-8
            b.lon -= 1e-8
        }
        #expect(abs(Geo.distance(a, b) - metres) < 0.01)
        var run = F.Run([F.dossier(zones: [Self.circleZone(radius: 100)])])
        run.fix("2026-03-02T10:00:00.000Z", a)
        run.fix("2026-03-02T10:00:10.000Z", b)
        #expect(run.take().count == (counts ? 2 : 0), "\(kmh) km/h")
    }

    @Test func aConcaveZoneIsCrossedOnlyWhereThePathMeetsIt() {
        var run = F.Run([F.dossier(zones: [Self.horseshoe])])
        // Into the notch from the north, diagonally over the mouth: inside the bounding box, never in the zone.
        run.fix("2026-03-02T10:00:00.000Z", GeoPoint(lat: 51.045, lon: 4.011))
        run.fix("2026-03-02T10:01:00.000Z", GeoPoint(lat: 51.035, lon: 4.019))
        // Across the notch, between the arms.
        run.fix("2026-03-02T10:02:00.000Z", GeoPoint(lat: 51.036, lon: 4.0125))
        #expect(run.take() == [])
        // Out of the notch to the north, then round the west of the zone.
        run.fix("2026-03-02T10:02:30.000Z", GeoPoint(lat: 51.045, lon: 4.011))
        run.fix("2026-03-02T10:02:40.000Z", GeoPoint(lat: 51.045, lon: 3.995))
        run.fix("2026-03-02T10:03:00.000Z", GeoPoint(lat: 51.036, lon: 3.995))
        #expect(run.take() == [])
        // Through both arms (four edges): one crossing.
        run.fix("2026-03-02T10:05:00.000Z", GeoPoint(lat: 51.036, lon: 4.035))
        #expect(run.take() == ["+exclusion_zone_crossed/U@10:05:00", "-exclusion_zone_crossed/U@10:05:00"])
        // Through the base under the notch.
        run.fix("2026-03-02T10:07:00.000Z", GeoPoint(lat: 51.025, lon: 4.015))
        #expect(run.take() == ["+exclusion_zone_crossed/U@10:07:00", "-exclusion_zone_crossed/U@10:07:00"])
    }

    @Test func thePairIsOfQualifyingFixesOtherEventsBetweenDoNotBreakIt() {
        var run = F.Run([F.dossier(zones: [Self.circleZone()])])
        run.fix("2026-03-02T10:00:00.000Z", Self.west())
        run.fix("2026-03-02T10:00:20.000Z", Self.center, acc: 150)  // not qualifying: ignored
        run.send("2026-03-02T10:00:30.000Z", .heartbeat)
        run.fix("2026-03-02T10:01:00.000Z", Self.east())
        #expect(run.take() == ["+exclusion_zone_crossed/Z@10:01:00", "-exclusion_zone_crossed/Z@10:01:00"])
        // East, then a qualifying fix north of the zone, then west: two pairs, neither through it (east-west
        // would be).
        run.fix("2026-03-02T10:02:00.000Z", GeoPoint(lat: 51.03, lon: 4.02))
        run.fix("2026-03-02T10:03:00.000Z", Self.west())
        #expect(run.take() == [])
    }

    @Test func onlyWhileTheZonesScheduleIsActiveAtTheSecondFix() {
        // Active 10:00-11:00 local (09:00-10:00 UTC in March).
        let zone = Self.circleZone(schedule: [F.window(F.everyDay, "10:00", "11:00")])
        var run = F.Run([F.dossier(zones: [zone])])
        run.fix("2026-03-02T08:58:00.000Z", Self.west())
        run.fix("2026-03-02T08:59:00.000Z", Self.east())
        #expect(run.take() == [])
        // The first fix of the pair before the period's start: the second, inside it, decides.
        run.fix("2026-03-02T09:00:30.000Z", Self.west())
        #expect(run.take() == ["+exclusion_zone_crossed/Z@09:00:30", "-exclusion_zone_crossed/Z@09:00:30"])
        run.fix("2026-03-02T09:59:30.000Z", Self.east())
        #expect(run.take() == ["+exclusion_zone_crossed/Z@09:59:30", "-exclusion_zone_crossed/Z@09:59:30"])
        run.fix("2026-03-02T10:00:00.000Z", Self.west())  // the period is [start, end): over at 10:00
        #expect(run.take() == [])
    }

    @Test func geometryOfArcs() {
        // The nearest point of an arc is an end when the foot of the perpendicular falls outside it.
        let a = GeoPoint(lat: 51.0, lon: 4.0)
        let b = GeoPoint(lat: 51.0, lon: 4.01)
        let beyond = GeoPoint(lat: 51.0, lon: 4.02)
        #expect(abs(Geo.distance(from: beyond, toArc: a, b) - Geo.distance(beyond, b)) < 1e-6)
        let above = GeoPoint(lat: 51.001, lon: 4.005)
        #expect(abs(Geo.distance(from: above, toArc: a, b) - 111.2) < 0.5)
        #expect(Geo.distance(from: above, toArc: a, a) == Geo.distance(above, a))
    }
}
