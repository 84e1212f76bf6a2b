import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// Who sees what on the live map (docs/CONSOLE.md, "The live map"): least privilege, from the role's queues and its
/// `DossierView`. The one table the JSON, the page and the tests follow.
struct MapScope: Sendable {
    var role: Role

    /// Every active dossier (the administrator, and the VCET operators, whose queue every alert reaches), or only
    /// the dossiers of a device's alerts not closed in one of the role's queues (coordinator, cell, CIC, police;
    /// review notices do not count).
    var allDossiers: Bool { role == .admin || role == .operator }
    /// Homes, every zone and every tag of a dossier: roles with the full conditions. Dispatch (CIC, police) sees
    /// only the devices and the zones its own alerts name, and no home (stricter than the alert detail: a map of
    /// many homes is a list of addresses).
    var conditions: Bool { role.dossierView == .conditions }
    /// Extension point (PROTOCOL 1.1, `protected`): protected persons' positions are never shown to CIC or police.
    var showsProtectedPersons: Bool { conditions }
}

/// What the live map shows a role: each visible device at its latest qualifying fix, the dossiers' zones and homes
/// as the scope allows, and the open breaches. Loaded in a few queries (alerts, dossiers, one for every fix).
struct LiveMap: Sendable {
    struct Device: Sendable {
        var device: String
        var dossier: String
        var radex: Bool
        /// Nil: no qualifying fix stored (or only one worse than the dossier's own `max_acc_m`).
        var fix: LatestFix?
        /// The open breaches of this device the role may see, most severe first.
        var breaches: [Alert]
    }

    struct Area: Sendable {
        var dossier: String
        var home: GeoCircle?
        var zones: [Zone]
    }

    var scope: MapScope
    var at: Timestamp
    var devices: [Device]
    var areas: [Area]
    /// Zones of open breaches, as `dossier/zone`.
    var breachZones: Set<String>
    /// (1.1) Protected persons at their latest fix: only for roles with the full conditions
    /// (`scope.showsProtectedPersons`), never for CIC or police.
    var protectedPersons: [Person] = []
    /// (1.1) The networks with an open `network_outage` incident (PROTOCOL 4.5): only for roles that see `vcet`.
    var networksDown: [Outage] = []

    struct Person: Sendable {
        var id: String
        var dossier: String
        var device: String
        var fix: LatestFix?
    }

    struct Outage: Sendable {
        var incident: String
        var network: String
        var devices: [String]
    }

    static let maxAlerts = 10_000

    /// `everyDossier`: all dossiers, parsed, with their active periods (`MapPage` keeps them between polls).
    static func load(
        role: Role, store: Store, at: Timestamp,
        everyDossier: () throws -> [(dossier: Dossier, period: (start: Timestamp, end: Timestamp))]
    ) throws -> LiveMap {
        let scope = MapScope(role: role)
        // The alerts that decide what a scoped role sees, and the open breaches to highlight.
        var alerts: [Alert] = []
        if scope.allDossiers {
            var f = Store.AlertFilter(limit: maxAlerts)
            f.openBreachesOnly = true
            alerts = try store.alerts(f).filter { AccessPolicy.allows(role, alertQueues: $0.queues) }
        } else {
            var seen = Set<String>()
            for q in role.queues {
                var f = Store.AlertFilter(queue: q, limit: maxAlerts)
                f.activeOnly = true
                // Breaches of a device only: a review notice (no device) is about paperwork, not a position.
                for a in try store.alerts(f) where a.device != nil && seen.insert(a.id).inserted { alerts.append(a) }
            }
        }
        let dossiers = try visibleDossiers(scope, alerts, store, at, everyDossier)
        var devices: [Device] = []
        var areas: [Area] = []
        var breachZones = Set<String>()
        let open = alerts.filter { $0.clearedAt == nil && $0.device != nil }
        for a in open { if let z = a.zone { breachZones.insert(a.dossier + "/" + z) } }
        for d in dossiers {
            let mine = alerts.filter { $0.dossier == d.id }
            let tags = scope.conditions ? d.devices : d.devices.filter { t in mine.contains { $0.device == t } }
            let zones = scope.conditions ? d.zones : d.zones.filter { z in mine.contains { $0.zone == z.id } }
            areas.append(Area(dossier: d.id, home: scope.conditions ? d.home : nil, zones: zones))
            for t in tags {
                let b = open.filter { $0.dossier == d.id && $0.device == t }.sorted { $0.severity < $1.severity }
                devices.append(Device(device: t, dossier: d.id, radex: d.radex, fix: nil, breaches: b))
            }
        }
        var persons: [Person] = []
        if scope.showsProtectedPersons {
            for d in dossiers { for p in d.protected { persons.append(Person(id: p.id, dossier: d.id, device: p.device)) } }
        }
        let fixes = try store.latestFixes(devices: devices.map(\.device) + persons.map(\.device))
        for i in persons.indices { persons[i].fix = fixes[persons[i].device] }
        let limits = Dictionary(dossiers.map { ($0.id, $0.rules?.maxAccuracyMetres) }, uniquingKeysWith: { a, _ in a })
        for i in devices.indices {
            guard let fix = fixes[devices[i].device] else { continue }
            if let limit = limits[devices[i].dossier] ?? nil, fix.acc > limit { continue }
            devices[i].fix = fix
        }
        return LiveMap(
            scope: scope, at: at, devices: devices, areas: areas, breachZones: breachZones, protectedPersons: persons,
            networksDown: try outages(scope, store))
    }

    /// The open network incidents, for roles that see the `vcet` queue (the only queue an incident reaches).
    private static func outages(_ scope: MapScope, _ store: Store) throws -> [Outage] {
        guard AccessPolicy.allows(scope.role, alertQueues: [.vcet]) else { return [] }
        var f = Store.AlertFilter(queue: .vcet, limit: maxAlerts)
        f.openBreachesOnly = true
        return try store.alerts(f).compactMap { a in
            guard case .incident = a.kind, let network = a.network else { return nil }
            return Outage(incident: a.id, network: network, devices: a.devices ?? [])
        }
    }

    /// The dossiers on the map, active now: all of them, or those the role's alerts name.
    private static func visibleDossiers(
        _ scope: MapScope, _ alerts: [Alert], _ store: Store, _ at: Timestamp,
        _ everyDossier: () throws -> [(dossier: Dossier, period: (start: Timestamp, end: Timestamp))]
    ) throws -> [Dossier] {
        if scope.allDossiers {
            return try everyDossier().filter { $0.period.start <= at && at < $0.period.end }.map(\.dossier)
                .sorted { $0.id < $1.id }
        }
        var ids = Set<String>()
        let records = try alerts.compactMap { a in
            ids.insert(a.dossier).inserted ? try store.dossier(id: a.dossier) : nil
        }
        return try records.compactMap { try Dossier.parse($0.json).first }.filter { $0.isActive(at: at) }
            .sorted { $0.id < $1.id }
    }

    /// The map as SVG in `lang`: framed on the devices' fixes and the homes.
    func svg(_ lang: Language) -> String {
        let markers = devices.compactMap { d -> SVGMap.Marker? in
            guard let f = d.fix else { return nil }
            return SVGMap.Marker(
                device: d.device, dossier: d.dossier, point: GeoPoint(lat: f.lat, lon: f.lon), acc: f.acc,
                ts: Timestamp(milliseconds: f.ts), breach: d.breaches.first?.kind.rawValue,
                alertID: d.breaches.first?.id, outage: outage(of: d.device))
        } + protectedPersons.compactMap { p -> SVGMap.Marker? in
            guard let f = p.fix else { return nil }
            return SVGMap.Marker(
                device: p.device, dossier: p.dossier, point: GeoPoint(lat: f.lat, lon: f.lon), acc: f.acc,
                ts: Timestamp(milliseconds: f.ts), protected: p.id)
        }
        let zones = areas.flatMap { a in a.zones.map { z in Zone(id: a.dossier + "/" + z.id, kind: z.kind, shape: z.shape) } }
        let homes = areas.compactMap(\.home)
        let origin = markers.first?.point ?? homes.first?.center ?? GeoPoint(lat: 50.85, lon: 4.35)
        var map = SVGMap(origin: origin, homes: homes, zones: zones, breachZones: breachZones, markers: markers)
        map.label = Catalogue.text("map.svgLabel", lang)
        map.homeLabel = Catalogue.text("map.home", lang)
        return map.render()
    }

    var json: String {
        var o = JSONObjectWriter()
        o.string("at", at.rfc3339)
        o.string("role", scope.role.rawValue)
        o.string("view", scope.role.dossierView.rawValue)
        o.raw("devices", "[" + devices.map { deviceJSON($0) }.joined(separator: ",") + "]")
        o.raw("dossiers", "[" + areas.map(Self.areaJSON).joined(separator: ",") + "]")
        if scope.showsProtectedPersons {
            o.raw("protected", "[" + protectedPersons.map { personJSON($0) }.joined(separator: ",") + "]")
        }
        o.raw("networks_down", "[" + networksDown.map(Self.outageJSON).joined(separator: ",") + "]")
        return o.finish()
    }

    /// The open incident a device is lost in, if any.
    func outage(of device: String) -> String? { networksDown.first { $0.devices.contains(device) }?.incident }

    private func fixJSON(_ fix: LatestFix?) -> String {
        guard let f = fix else { return "null" }
        var p = JSONObjectWriter()
        p.string("ts", Timestamp(milliseconds: f.ts).rfc3339)
        p.double("lat", f.lat)
        p.double("lon", f.lon)
        p.double("acc", f.acc)
        p.raw("age_s", "\(max(0, (at.milliseconds - f.ts) / 1000))")
        return p.finish()
    }

    private func personJSON(_ p: Person) -> String {
        var o = JSONObjectWriter()
        o.string("id", p.id)
        o.string("dossier", p.dossier)
        o.string("device", p.device)
        o.raw("fix", fixJSON(p.fix))
        return o.finish()
    }

    private static func outageJSON(_ n: Outage) -> String {
        var o = JSONObjectWriter()
        o.string("incident", n.incident)
        o.string("network", n.network)
        o.strings("devices", n.devices)
        return o.finish()
    }

    private func deviceJSON(_ d: Device) -> String {
        var o = JSONObjectWriter()
        o.string("device", d.device)
        o.string("dossier", d.dossier)
        o.bool("radex", d.radex)
        o.raw("fix", fixJSON(d.fix))
        if let incident = outage(of: d.device) { o.string("outage", incident) }
        let breaches = d.breaches.map { a -> String in
            var b = JSONObjectWriter()
            b.string("alert", a.id)
            b.string("breach", a.kind.rawValue)
            b.string("severity", a.severity.rawValue)
            if let z = a.zone { b.string("zone", z) }
            return b.finish()
        }
        o.raw("breaches", "[" + breaches.joined(separator: ",") + "]")
        return o.finish()
    }

    private static func areaJSON(_ a: Area) -> String {
        var o = JSONObjectWriter()
        o.string("id", a.dossier)
        if let h = a.home {
            o.raw("home", #"{"lat":\#(h.center.lat),"lon":\#(h.center.lon),"radius_m":\#(h.radiusMetres)}"#)
        }
        o.raw("zones", "[" + a.zones.map(AlertContext.zoneJSON).joined(separator: ",") + "]")
        return o.finish()
    }
}
