import SeinhuisCore

extension DossierModel {
    /// The dossier as PROTOCOL 3 JSON, on one line, devices named by `deviceName`.
    func json(deviceName: (Int) -> String) -> String {
        var o = JSONObjectWriter()
        o.string("id", id)
        o.string("subject", subject)
        o.bool("radex", radex)
        o.string("mandate", mandate)
        o.string("start", start)
        if let end { o.string("end", end) }
        o.string("timezone", timezone)
        if networks.isEmpty {
            o.strings("devices", devices.map(deviceName))
        } else {
            let ds = devices.map { k -> String in
                guard let n = networks[k] else { return JSONObjectWriter.quoted(deviceName(k)) }
                var w = JSONObjectWriter()
                w.string("id", deviceName(k))
                w.string("network", n)
                return w.finish()
            }
            o.raw("devices", "[" + ds.joined(separator: ",") + "]")
        }
        var h = JSONObjectWriter()
        h.raw("lat", fixed(home.lat, 6))
        h.raw("lon", fixed(home.lon, 6))
        h.int("radius_m", Int(homeRadius))
        o.raw("home", h.finish())
        if !curfew.isEmpty { o.raw("curfew", "[" + curfew.map(\.json).joined(separator: ",") + "]") }
        if !zones.isEmpty {
            let zs = zones.map { z -> String in
                var w = JSONObjectWriter()
                w.string("id", z.id)
                w.string("kind", z.kind.rawValue)
                switch z.shape.kind {
                case .circle:
                    var c = JSONObjectWriter()
                    c.raw("lat", fixed(z.shape.center.lat, 6))
                    c.raw("lon", fixed(z.shape.center.lon, 6))
                    c.int("radius_m", Int(z.shape.radius))
                    w.raw("circle", c.finish())
                case .polygon:
                    w.raw(
                        "polygon",
                        "["
                            + z.shape.points.map { "[" + fixed($0.lat, 6) + "," + fixed($0.lon, 6) + "]" }
                            .joined(separator: ",") + "]")
                }
                if z.crossing { w.bool("crossing", true) }
                if !z.schedule.isEmpty { w.raw("schedule", "[" + z.schedule.map(\.json).joined(separator: ",") + "]") }
                return w.finish()
            }
            o.raw("zones", "[" + zs.joined(separator: ",") + "]")
        }
        if !protected.isEmpty {
            let ps = protected.map { p -> String in
                var w = JSONObjectWriter()
                w.string("id", p.id)
                w.string("device", deviceName(p.device))
                w.int("radius_m", Int(p.radius))
                return w.finish()
            }
            o.raw("protected", "[" + ps.joined(separator: ",") + "]")
        }
        if writeCommsTimeout { o.int("comms_timeout_s", commsTimeoutS) }
        if let lastReview { o.string("last_review", lastReview) }
        return o.finish()
    }
}
