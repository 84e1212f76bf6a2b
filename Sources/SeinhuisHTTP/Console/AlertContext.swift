import SeinhuisCore
import SeinhuisStore

/// What the alert detail shows around an alert: its dossier as the role may see it, the device's events around the
/// breach and the fixes for the map. Loaded once, rendered as JSON (`GET /api/v1/alerts/{id}/context`) or as the page.
struct AlertContext: Sendable {
    var alert: Alert
    var actions: [StoredAction]
    var view: DossierView
    var dossier: Dossier?
    var events: [DeviceEvent]
    /// The position events of `events`, oldest first, at most `maxFixes`.
    var fixes: [DeviceEvent]
    /// (1.1) A network incident's member alerts (PROTOCOL 4.5); empty for other alerts.
    var members: [Alert] = []

    /// The window of events shown around the moment of the breach.
    static let before: Int64 = 30 * 60_000
    static let after: Int64 = 30 * 60_000
    static let maxEvents = 200
    static let maxFixes = 15

    static func load(_ alert: Alert, role: Role, store: Store) throws -> AlertContext {
        let record = try store.dossier(id: alert.dossier)
        let dossier = try record.flatMap { try Dossier.parse($0.json).first }
        var events: [DeviceEvent] = []
        // (1.1) A protected person's position is never shown beyond the alert itself (PROTOCOL 4.1): only the tag's
        // events are read, and never those of a device the dossier names as a protected person's, whoever asks.
        if let device = alert.device, dossier?.protected.contains(where: { $0.device == device }) != true {
            try store.reloadDevices()
            let from = Timestamp(milliseconds: alert.eventTs.milliseconds - before)
            let to = Timestamp(milliseconds: alert.eventTs.milliseconds + after)
            events = try store.journalEvents(device: device, from: from, to: to).sorted { $0.ts < $1.ts }
            if events.count > maxEvents {
                // Keep the events nearest to the breach.
                let center = events.firstIndex { $0.ts >= alert.eventTs } ?? events.count
                let lo = max(0, min(center - maxEvents / 2, events.count - maxEvents))
                events = Array(events[lo..<(lo + maxEvents)])
            }
        }
        let fixes = Array(events.filter { $0.kind == .position }.suffix(maxFixes))
        var members: [Alert] = []
        if case .incident = alert.kind {
            var f = Store.AlertFilter()
            f.incident = alert.id
            members = try store.alerts(f)
        }
        return AlertContext(
            alert: alert, actions: try store.actions(alertID: alert.id), view: role.dossierView, dossier: dossier,
            events: events, fixes: fixes, members: members)
    }

    /// The zones the role sees: all of them, or (dispatch) only the zone of the breach.
    var visibleZones: [Zone] {
        guard let dossier else { return [] }
        switch view {
        case .conditions: return dossier.zones
        case .dispatch: return dossier.zones.filter { $0.id == alert.zone }
        }
    }

    var json: String {
        var o = JSONObjectWriter()
        o.raw("alert", alert.json)
        o.raw("actions", "[" + actions.map(\.json).joined(separator: ",") + "]")
        o.string("view", view.rawValue)
        if let dossier {
            switch view {
            case .conditions:
                o.raw("dossier", dossier.canonicalJSON)
            case .dispatch:
                var d = JSONObjectWriter()
                d.string("id", dossier.id)
                d.string("subject", dossier.subject)
                d.bool("radex", dossier.radex)
                var h = JSONObjectWriter()
                h.double("lat", dossier.home.center.lat)
                h.double("lon", dossier.home.center.lon)
                h.double("radius_m", dossier.home.radiusMetres)
                d.raw("home", h.finish())
                d.raw("zones", "[" + visibleZones.map(Self.zoneJSON).joined(separator: ",") + "]")
                o.raw("dossier", d.finish())
            }
        } else {
            o.raw("dossier", "null")
        }
        o.raw("events", "[" + events.map(\.json).joined(separator: ",") + "]")
        return o.finish()
    }

    static func zoneJSON(_ z: Zone) -> String {
        var o = JSONObjectWriter()
        o.string("id", z.id)
        o.string("kind", z.kind.rawValue)
        switch z.shape {
        case .circle(let c):
            o.raw(
                "circle",
                #"{"lat":\#(c.center.lat),"lon":\#(c.center.lon),"radius_m":\#(c.radiusMetres)}"#)
        case .polygon(let p):
            o.raw("polygon", "[" + p.vertices.map { "[\($0.lat),\($0.lon)]" }.joined(separator: ",") + "]")
        }
        return o.finish()
    }
}
