extension DeviceEvent {
    /// The event as a PROTOCOL 2 frame: one JSON object, fields in the contract's order.
    public var json: String {
        var o = JSONObjectWriter()
        o.int("v", 1)
        o.string("device", device)
        o.int("seq", seq)
        o.string("ts", ts.rfc3339)
        o.string("kind", kind.name)
        switch reading {
        case .position(let lat, let lon, let acc):
            o.double("lat", lat)
            o.double("lon", lon)
            o.double("acc", acc)
        case .presence(let p): o.bool("present", p)
        case .strap(let s), .case(let s): o.string("state", s == .opened ? "opened" : "closed")
        case .battery(let level, let charging):
            o.double("level", level)
            o.bool("charging", charging)
        case .gnss(let s): o.string("state", s == .ok ? "ok" : s == .lost ? "lost" : "jammed")
        case .power(let s): o.string("state", s == .lost ? "lost" : "restored")
        case .heartbeat: break
        }
        return o.finish()
    }

    /// A short human reading for listings (`51.0543,3.7174 ±8.5m`, `opened`, `level 0.12`).
    public var readingText: String {
        switch reading {
        case .position(let lat, let lon, let acc): "\(lat),\(lon) ±\(acc)m"
        case .presence(let p): p ? "present" : "absent"
        case .strap(let s), .case(let s): s == .opened ? "opened" : "closed"
        case .battery(let level, let charging): "level \(level)\(charging ? " charging" : "")"
        case .gnss(let s): s == .ok ? "ok" : s == .lost ? "lost" : "jammed"
        case .power(let s): s == .lost ? "lost" : "restored"
        case .heartbeat: ""
        }
    }
}
