import Foundation
import Testing

@testable import SeinhuisCore

/// Builders shared by the rules, dossier and replay tests.
enum RulesFixture {
    static func t(_ s: String) -> Timestamp { Timestamp(rfc3339: s)! }

    /// A Brussels dossier with home at (51.0, 4.0), radius 100 m, and the given conditions (by default a week of
    /// `comms_timeout_s`, so that only the tests of `communication_loss` see it).
    static func dossier(
        id: String = "D-1", devices: [String] = ["TAG-1"], start: String = "2026-01-01", end: String? = nil,
        timezone: String = "Europe/Brussels", curfew: [TimeWindow] = [], zones: [Zone] = [], comms: Int = 7 * 86_400,
        rules: RuleOverrides? = nil
    ) -> Dossier {
        Dossier(
            id: id, subject: "S-1", radex: false, mandate: .pretrial, start: LocalDate(start)!,
            end: end.map { LocalDate($0)! }, timezone: timezone, devices: devices,
            home: GeoCircle(center: home, radiusMetres: 100), curfew: curfew, zones: zones,
            commsTimeoutSeconds: comms, rules: rules)
    }

    static let home = GeoPoint(lat: 51.0, lon: 4.0)
    /// About 1.1 km north of home.
    static let away = GeoPoint(lat: 51.01, lon: 4.0)
    static let everyDay: [Weekday] = Weekday.allCases

    static func window(_ days: [Weekday], _ from: String, _ to: String) -> TimeWindow {
        TimeWindow(
            days: days, from: TimeWindow.minutes(from, allowEndOfDay: false)!,
            to: TimeWindow.minutes(to, allowEndOfDay: true)!)
    }

    /// A square exclusion (or inclusion) zone of about 220 m around `center`.
    static func square(
        _ id: String, _ kind: ZoneKind, around c: GeoPoint, schedule: [TimeWindow] = []
    ) -> Zone {
        let d = 0.001
        let poly = GeoPolygon(vertices: [
            GeoPoint(lat: c.lat - d, lon: c.lon - d), GeoPoint(lat: c.lat - d, lon: c.lon + d),
            GeoPoint(lat: c.lat + d, lon: c.lon + d), GeoPoint(lat: c.lat + d, lon: c.lon - d),
        ])
        return Zone(id: id, kind: kind, shape: .polygon(poly), schedule: schedule)
    }

    /// A rule engine with dossiers loaded, and a recorder of its changes.
    struct Run {
        var engine: RuleEngine
        var changes: [BreachChange] = []
        var seq: UInt64 = 0

        init(_ dossiers: [Dossier], config: RuleConfig = .init()) {
            engine = RuleEngine(config: config)
            engine.load(dossiers, at: .distantPast, into: &changes)
        }

        /// Advances the clock to the event's time and processes it, as `serve` does.
        @discardableResult
        mutating func send(_ at: String, _ reading: Reading, device: String = "TAG-1") -> EventDisposition {
            seq += 1
            let e = DeviceEvent(device: device, seq: seq, ts: t(at), reading: reading)
            engine.advance(to: e.ts, into: &changes)
            return engine.process(e, into: &changes)
        }

        mutating func fix(_ at: String, _ p: GeoPoint, acc: Double = 10, device: String = "TAG-1") {
            send(at, .position(lat: p.lat, lon: p.lon, acc: acc), device: device)
        }

        mutating func advance(_ to: String) { engine.advance(to: t(to), into: &changes) }

        /// The changes so far as short strings: `+kind@time` / `-kind@time` (zone breaches: `+kind/zone@time`).
        var log: [String] {
            changes.map { c in
                (c.isRaised ? "+" : "-") + c.key.kind.rawValue + (c.key.zone.map { "/\($0)" } ?? "") + "@"
                    + String(c.at.rfc3339.dropFirst(11).prefix(8))
            }
        }

        mutating func take() -> [String] {
            defer { changes.removeAll() }
            return log
        }
    }
}

@Suite("Rules: fixture sanity")
struct RulesFixtureTests {
    @Test func fixtureAwayPointIsOutsideHome() {
        #expect(Geo.distance(RulesFixture.home, RulesFixture.away) > 1000)
    }
}
