extension Dossier {
    /// The dossier as canonical JSON on one line: the contract's field order, defaults written out, a polygon's
    /// ring open, days in week order, unknown fields of the imported file dropped. `Dossier.parse` reads it back
    /// to an equal dossier, and equal dossiers give equal text (so the store can compare conditions as text).
    public var canonicalJSON: String {
        var o = JSONObjectWriter()
        o.string("id", id)
        o.string("subject", subject)
        o.bool("radex", radex)
        o.string("mandate", mandate.rawValue)
        o.string("start", start.description)
        if let end { o.string("end", end.description) }
        o.string("timezone", timezone)
        if networks.isEmpty {
            o.strings("devices", devices)
        } else {
            // (1.1) A device with a network as an object, the others as plain ids (as imported).
            o.raw("devices", "[" + devices.map(deviceJSON).joined(separator: ",") + "]")
        }
        o.raw("home", Self.circleJSON(home))
        o.raw("curfew", Self.windowsJSON(curfew))
        o.raw("zones", "[" + zones.map(Self.zoneJSON).joined(separator: ",") + "]")
        o.int("comms_timeout_s", commsTimeoutSeconds)
        if let lastReview { o.string("last_review", lastReview.description) }
        if !protected.isEmpty {
            o.raw("protected", "[" + protected.map(Self.protectedJSON).joined(separator: ",") + "]")
        }
        if let rules {
            var r = JSONObjectWriter()
            if let m = rules.maxAccuracyMetres { r.raw("max_acc_m", Self.number(m)) }
            if let c = rules.consecutiveFixes { r.int("consecutive_fixes", c) }
            o.raw("rules", r.finish())
        }
        return o.finish()
    }

    /// A number as JSON: whole values without a fraction, others in Swift's shortest round-trip form.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    func deviceJSON(_ device: String) -> String {
        guard let n = networks[device] else { return JSONObjectWriter.quoted(device) }
        var o = JSONObjectWriter()
        o.string("id", device)
        o.string("network", n)
        return o.finish()
    }

    static func protectedJSON(_ p: ProtectedPerson) -> String {
        var o = JSONObjectWriter()
        o.string("id", p.id)
        o.string("device", p.device)
        o.raw("radius_m", number(p.radiusMetres))
        return o.finish()
    }

    static func circleJSON(_ c: GeoCircle) -> String {
        var o = JSONObjectWriter()
        o.raw("lat", number(c.center.lat))
        o.raw("lon", number(c.center.lon))
        o.raw("radius_m", number(c.radiusMetres))
        return o.finish()
    }

    static func windowsJSON(_ ws: [TimeWindow]) -> String {
        "["
            + ws.map { w in
                var o = JSONObjectWriter()
                o.strings("days", w.days.map(\.name))
                o.string("from", TimeWindow.clockText(w.from))
                o.string("to", TimeWindow.clockText(w.to))
                return o.finish()
            }.joined(separator: ",") + "]"
    }

    static func zoneJSON(_ z: Zone) -> String {
        var o = JSONObjectWriter()
        o.string("id", z.id)
        o.string("kind", z.kind.rawValue)
        switch z.shape {
        case .circle(let c): o.raw("circle", circleJSON(c))
        case .polygon(let p):
            o.raw(
                "polygon", "[" + p.vertices.map { "[\(number($0.lat)),\(number($0.lon))]" }.joined(separator: ",") + "]"
            )
        }
        if !z.schedule.isEmpty { o.raw("schedule", windowsJSON(z.schedule)) }
        if z.crossing { o.bool("crossing", true) }
        return o.finish()
    }
}
