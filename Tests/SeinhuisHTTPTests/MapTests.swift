import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

/// The live map (`GET /api/v1/map`, `/console/map`) per role, through a real server: least privilege (docs/CONSOLE.md,
/// "The live map"); and the map's SVG (markers, zones, the highlight of a breach).
@Suite("console live map: what each role sees, and how it is drawn", .serialized)
struct MapTests {
    static let dossiers = """
        [{"id":"D-M-1","subject":"S-M1","radex":true,"mandate":"pretrial","start":"2020-01-01",
          "devices":["TAG-M1","TAG-M1B"],"home":{"lat":51.0,"lon":3.7,"radius_m":100},"comms_timeout_s":86400,
          "zones":[{"id":"Z-EX","kind":"exclusion","circle":{"lat":51.01,"lon":3.7,"radius_m":200}},
                   {"id":"Z-IN","kind":"inclusion","polygon":[[50.9,3.6],[50.9,3.9],[51.2,3.9],[51.2,3.6]]}]},
         {"id":"D-M-2","subject":"S-M2","radex":false,"mandate":"sentence","start":"2020-01-01",
          "devices":["TAG-M2"],"home":{"lat":51.1,"lon":3.8,"radius_m":100},"comms_timeout_s":86400}]
        """

    static func ts(_ secondsAgo: Int) -> String {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) - Int64(secondsAgo) * 1000).rfc3339
    }

    static func position(_ device: String, _ seq: Int, _ lat: Double, _ lon: Double, acc: Double, ago: Int) -> String {
        frame(device, seq, "position", #","lat":\#(lat),"lon":\#(lon),"acc":\#(acc)"#, ts: ts(ago))
    }

    func devices(_ r: Reply) -> [String: [String: Any]] {
        let list = r.object["devices"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["device"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    func dossiers(_ r: Reply) -> [String: [String: Any]] {
        let list = r.object["dossiers"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    func zoneIDs(_ d: [String: Any]?) -> Set<String> {
        Set((d?["zones"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    }

    @Test func eachRoleSeesOnlyWhatItMay() async throws {
        let db = temporaryDatabase()
        try ReviewFixtures.importDossiers(db, Self.dossiers)
        for role in Role.allCases { try addUser(db, "u-\(role.rawValue)", role) }
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        // TAG-M1 enters the exclusion zone (two qualifying fixes: a critical Radex alert for four queues).
        try push.send(Self.position("TAG-M1", 1, 51.0101, 3.7001, acc: 12, ago: 3))
        try push.send(Self.position("TAG-M1", 2, 51.0102, 3.7002, acc: 9, ago: 2))
        try push.send(Self.position("TAG-M1B", 1, 51.0003, 3.7003, acc: 15, ago: 2))
        // TAG-M2: a qualifying fix, then a newer one too inexact to count.
        try push.send(Self.position("TAG-M2", 1, 51.1001, 3.8001, acc: 20, ago: 5))
        try push.send(Self.position("TAG-M2", 2, 51.2, 3.9, acc: 500, ago: 1))
        var alertID = ""
        for _ in 0..<200 where alertID.isEmpty {
            alertID = try Store(path: db).alerts().first { $0.device == "TAG-M1" }?.id ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!alertID.isEmpty)
        var admin = try await client.send("GET", "/api/v1/map", as: "u-admin")
        for _ in 0..<100 where devices(admin)["TAG-M2"]?["fix"] is NSNull || devices(admin)["TAG-M1B"]?["fix"] is NSNull {
            try await Task.sleep(for: .milliseconds(50))
            admin = try await client.send("GET", "/api/v1/map", as: "u-admin")
        }
        #expect(admin.status == 200)
        #expect((admin.headers["Cache-Control"] as? String) == "no-store")

        // Administrator and operator: every active dossier, every tag, the homes, all zones, the breach.
        for user in ["u-admin", "u-operator"] {
            let r = try await client.send("GET", "/api/v1/map", as: user)
            let d = devices(r)
            #expect(Set(d.keys) == ["TAG-M1", "TAG-M1B", "TAG-M2"], "\(user)")
            let m1 = d["TAG-M1"]?["fix"] as? [String: Any]
            #expect(m1?["lat"] as? Double == 51.0102 && m1?["acc"] as? Double == 9, "\(user): the latest fix")
            #expect((m1?["age_s"] as? Int ?? -1) >= 0)
            let m2 = d["TAG-M2"]?["fix"] as? [String: Any]
            #expect(m2?["acc"] as? Double == 20, "\(user): the 500 m fix does not qualify")
            let breach = (d["TAG-M1"]?["breaches"] as? [[String: Any]])?.first
            #expect(breach?["alert"] as? String == alertID && breach?["breach"] as? String == "exclusion_zone_entry")
            #expect((d["TAG-M1B"]?["breaches"] as? [[String: Any]])?.isEmpty == true)
            let ds = dossiers(r)
            #expect(ds["D-M-1"]?["home"] != nil && ds["D-M-2"]?["home"] != nil)
            #expect(zoneIDs(ds["D-M-1"]) == ["Z-EX", "Z-IN"])
            #expect(r.object["protected"] is [Any] && r.object["networks_down"] is [Any])
            #expect(r.object["view"] as? String == "conditions")
        }

        // Police and CIC (dispatch): only the device and the zone their open alert names; no home, no other tag or
        // dossier, no protected persons.
        for user in ["u-police", "u-cic"] {
            let r = try await client.send("GET", "/api/v1/map?svg=1", as: user)
            #expect(r.status == 200)
            #expect(Set(devices(r).keys) == ["TAG-M1"], "\(user)")
            let ds = dossiers(r)
            #expect(Set(ds.keys) == ["D-M-1"] && ds["D-M-1"]?["home"] == nil, "\(user)")
            #expect(zoneIDs(ds["D-M-1"]) == ["Z-EX"])
            #expect(r.object["protected"] == nil && r.object["view"] as? String == "dispatch")
            let svg = r.object["svg"] as? String ?? ""
            #expect(svg.contains(#"data-device="TAG-M1""#) && svg.contains("device-breach"))
            #expect(!svg.contains("TAG-M2") && !svg.contains("TAG-M1B") && !svg.contains(#"class="home""#))
            #expect(!svg.contains("Z-IN") && !r.text.contains("51.1001") && !r.text.contains("\"home\""))
            let page = try await client.send("GET", "/console/map", as: user)
            #expect(page.status == 200 && page.text.contains(#"href="/console/map" class="active""#))
            #expect(!page.text.contains("TAG-M2") && !page.text.contains(#"class="home""#))
            #expect(page.text.contains("/console/alert/\(alertID)"))
        }

        // The coordinator (conditions, its queue reached): the whole dossier of its alert, not the other one.
        let coord = try await client.send("GET", "/api/v1/map", as: "u-coordinator")
        #expect(Set(devices(coord).keys) == ["TAG-M1", "TAG-M1B"])
        #expect(Set(dossiers(coord).keys) == ["D-M-1"] && dossiers(coord)["D-M-1"]?["home"] != nil)
        // The cell: only the Radex dossier's review notice in its queue (no device, no position): nothing at all.
        let cell = try await client.send("GET", "/api/v1/map", as: "u-cell")
        #expect(devices(cell).isEmpty && dossiers(cell).isEmpty)
        #expect(try await client.send("GET", "/console/map", as: "u-cell").text.contains("No devices in your view."))
        let dutch = try await client.send("GET", "/console/map", as: "u-cell", headers: ["Accept-Language": "nl"]).text
        #expect(dutch.contains("Geen toestellen in uw zicht.") && dutch.contains(#"<html lang="nl">"#))

        // Once the police close it, their map is empty again (least privilege follows the queue's own handling).
        let closed = try await client.send(
            "POST", "/api/v1/alerts/\(alertID)/close", #"{"measure":"police_dispatched"}"#, as: "u-police")
        #expect(closed.status == 200, "\(closed.text)")
        #expect(devices(try await client.send("GET", "/api/v1/map", as: "u-police")).isEmpty)
        #expect(Set(devices(try await client.send("GET", "/api/v1/map", as: "u-cic")).keys) == ["TAG-M1"])

        #expect(try await client.send("GET", "/api/v1/map").status == 401)
        // Without a session the page is the login form (a redirect), never the map.
        #expect(!(try await client.send("GET", "/console/map").text.contains("map-svg")))
        try await server.stop()
    }

    /// (1.1) A protected person's position: on the map of the roles with the full conditions, never on dispatch's
    /// (CIC, police), not even in the alert about them. And the networks in outage, for the roles that see vcet.
    @Test func protectedPersonsOnlyForConditionsRolesAndOutagesOnlyForVcet() async throws {
        let db = temporaryDatabase()
        try ReviewFixtures.importDossiers(
            db,
            """
            [{"id":"D-P-1","subject":"S-P1","radex":true,"mandate":"pretrial","start":"2020-01-01",
              "devices":[{"id":"TAG-P1","network":"carrier-a"}],"home":{"lat":51.0,"lon":3.7,"radius_m":100},
              "protected":[{"id":"P-01","device":"VIC-P1","radius_m":1000}],"comms_timeout_s":86400},
             {"id":"D-P-2","subject":"S-P2","radex":false,"mandate":"sentence","start":"2020-01-01",
              "devices":[{"id":"TAG-P2","network":"carrier-a"}],"home":{"lat":51.1,"lon":3.8,"radius_m":100},
              "comms_timeout_s":86400}]
            """)
        for role in Role.allCases { try addUser(db, "u-\(role.rawValue)", role) }
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        // The person at 51.0333, 3.7333; the tag twice within 300 m and 120 s of it: victim_proximity (Radex: all four).
        try push.send(Self.position("VIC-P1", 1, 51.0333, 3.7333, acc: 10, ago: 6))
        try push.send(Self.position("TAG-P1", 1, 51.0340, 3.7340, acc: 10, ago: 5))
        try push.send(Self.position("TAG-P1", 2, 51.0341, 3.7341, acc: 10, ago: 4))
        var alert: Alert?
        for _ in 0..<200 where alert == nil {
            alert = try Store(path: db).alerts().first { $0.kind == .breach(.victim_proximity) }
            try await Task.sleep(for: .milliseconds(50))
        }
        let a = try #require(alert)
        #expect(a.queues.contains(.police) && a.protected == "P-01")
        // An open network incident of carrier-a over TAG-P2 (written once serve has stored its own alerts:
        // at its start serve would find no member lost and clear it).
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let store = try Store(path: db)
        try store.transaction {
            try store.save(
                Alert(
                    id: Alert.id(forNumber: 900), dossier: "", device: nil, kind: .incident(.network_outage),
                    severity: .high, radex: false, queues: [.vcet], zone: nil, eventTs: now, detectedAt: now,
                    policy: "v1", network: "carrier-a", devices: ["TAG-P2"]), at: now)
        }
        var admin = try await client.send("GET", "/api/v1/map", as: "u-admin")
        for _ in 0..<100 where ((admin.object["protected"] as? [[String: Any]])?.first?["fix"] is NSNull) {
            try await Task.sleep(for: .milliseconds(50))
            admin = try await client.send("GET", "/api/v1/map", as: "u-admin")
        }
        for user in ["u-admin", "u-operator", "u-coordinator"] {
            let r = try await client.send("GET", "/api/v1/map?svg=1", as: user)
            let persons = r.object["protected"] as? [[String: Any]] ?? []
            #expect(persons.map { $0["id"] as? String } == ["P-01"], "\(user)")
            #expect((persons.first?["fix"] as? [String: Any])?["lat"] as? Double == 51.0333, "\(user)")
            let svg = r.object["svg"] as? String ?? ""
            #expect(svg.contains(#"data-protected="P-01""#), "\(user)")
            // The person's device is no tag of the map.
            #expect(devices(r)["VIC-P1"] == nil)
        }
        // Dispatch sees the tag of its alert, never the person: no key, no device, no coordinate, not in the SVG.
        for user in ["u-police", "u-cic"] {
            let r = try await client.send("GET", "/api/v1/map?svg=1", as: user)
            #expect(Set(devices(r).keys) == ["TAG-P1"], "\(user)")
            #expect(r.object["protected"] == nil, "\(user)")
            #expect(!r.text.contains("VIC-P1") && !r.text.contains("51.0333") && !r.text.contains("P-01"), "\(user)")
            let page = try await client.send("GET", "/console/map", as: user)
            #expect(!page.text.contains("VIC-P1") && !page.text.contains("51.0333"), "\(user)")
            #expect((r.object["networks_down"] as? [Any])?.isEmpty == true, "\(user): the incident is vcet's")
        }
        // The outage: on the operator's map, with the lost device marked and linked to the incident.
        let op = try await client.send("GET", "/api/v1/map?svg=1", as: "u-operator")
        let down = op.object["networks_down"] as? [[String: Any]] ?? []
        #expect(down.count == 1 && down.first?["network"] as? String == "carrier-a")
        #expect(down.first?["devices"] as? [String] == ["TAG-P2"] && down.first?["incident"] as? String == "A-000000900")
        #expect(devices(op)["TAG-P2"]?["outage"] as? String == "A-000000900" && devices(op)["TAG-P1"]?["outage"] == nil)
        try await server.stop()
    }

    @Test func theMapDrawsMarkersZonesAndTheBreach() throws {
        let home = GeoCircle(center: GeoPoint(lat: 51.05, lon: 3.72), radiusMetres: 60)
        let zone = Zone(
            id: "D-1/Z-<x>", kind: .exclusion,
            shape: .circle(GeoCircle(center: GeoPoint(lat: 51.06, lon: 3.72), radiusMetres: 100)))
        let poly = Zone(
            id: "D-2/Z-IN", kind: .inclusion,
            shape: .polygon(
                GeoPolygon(vertices: [
                    GeoPoint(lat: 51.0, lon: 3.6), GeoPoint(lat: 51.0, lon: 3.8), GeoPoint(lat: 51.1, lon: 3.7),
                ])))
        let west = SVGMap.Marker(
            device: "TAG-W", dossier: "D-2", point: GeoPoint(lat: 51.05, lon: 3.70), acc: 30,
            ts: Timestamp(milliseconds: 0), breach: nil, alertID: nil)
        let north = SVGMap.Marker(
            device: "TAG-<N>", dossier: "D-1", point: GeoPoint(lat: 51.0601, lon: 3.72), acc: 8,
            ts: Timestamp(milliseconds: 1000), breach: "exclusion_zone_entry", alertID: "A-000000007")
        let svg = SVGMap(
            origin: home.center, homes: [home], zones: [zone, poly], breachZones: ["D-1/Z-<x>"], markers: [west, north]
        ).render()
        #expect(svg.components(separatedBy: #"<g class="device"#).count - 1 == 2)
        #expect(svg.contains(#"<g class="device device-breach" data-device="TAG-&lt;N&gt;""#))
        #expect(!svg.contains("TAG-<N>") && !svg.contains("Z-<x>"))
        #expect(svg.contains(#"<a href="/console/alert/A-000000007">"#))
        #expect(svg.contains(#"class="zone zone-exclusion zone-breach" data-zone="D-1/Z-&lt;x&gt;""#))
        #expect(svg.contains(#"<polygon class="zone zone-inclusion" data-zone="D-2/Z-IN""#))
        #expect(svg.contains(#"class="home""#))
        // Both markers inside the view, the western one left of the northern one, the northern one higher.
        func dot(_ device: String) throws -> (Double, Double) {
            let g = try #require(svg.range(of: #"data-device="\#(device)""#))
            let c = try #require(svg[g.upperBound...].range(of: #"class="dev-dot" cx=""#))
            let rest = svg[c.upperBound...]
            let cx = Double(rest.prefix { $0 != "\"" })!
            let cy = Double(rest.drop { $0 != "y" }.dropFirst(3).prefix { $0 != "\"" })!
            return (cx, cy)
        }
        let w = try dot("TAG-W"), n = try dot("TAG-&lt;N&gt;")
        for p in [w, n] { #expect(p.0 > 0 && p.0 < 960 && p.1 > 0 && p.1 < 600) }
        #expect(w.0 < n.0 - 50 && n.1 < w.1 - 50)
        // Nothing to show still draws a map (a default frame), not a crash.
        let empty = SVGMap(origin: home.center, homes: [], zones: [], breachZones: [], markers: []).render()
        #expect(empty.hasPrefix("<svg") && !empty.contains(#"<g class="device"#))
    }
}
