import Foundation

/// (1.1) A protected person of a generated dossier: who, the radius, and the device they carry.
struct ProtectedModel {
    var id: String
    /// The device's index among all devices written (tags first, then protected persons' devices).
    var device: Int
    var radius: Double
}

/// One fix of a protected person's device, as written.
struct VictimFix {
    var ts: Int64
    var p: GeoPoint
    var acc: Double
}

/// A protected person's whole stream, decided up front: far from the tag most of the time, one approach to the
/// tag's home (drive in, stay, drive away) while the tag is at home.
struct VictimTrack {
    var person: ProtectedModel
    var fixes: [VictimFix] = []

    /// Fixes every `fixMs` from `firstFix`, at `base` except during [approach.start, approach.end), when the person
    /// drives at `speed` m/s to `near`, stays, and drives back. A fix within 65 m of the radius around `tagHome` (the
    /// dossier's home: its tags' home spots lie within 25 m of it) is written as inaccurate (`acc` 150-250), so that
    /// no verdict is close.
    init(
        person: ProtectedModel, base: GeoPoint, near: GeoPoint, approach: Period, speed: Double, tagHome: GeoPoint,
        firstFix: Int64, fixMs: Int64, runEnd: Int64, rng: inout Rng
    ) {
        self.person = person
        let tau = Int64(Geo.distance(base, near) / speed * 1000)
        let trip = Trip(frames: [
            Keyframe(t: approach.start, p: base), Keyframe(t: approach.start + tau, p: near),
            Keyframe(t: approach.end - tau, p: near), Keyframe(t: approach.end, p: base),
        ])
        var t = firstFix
        while t < runEnd {
            var p = approach.contains(t) ? trip.position(at: t) : base
            p = round6(Geo.offset(p, east: rng.uniform(-6, 6), north: rng.uniform(-6, 6)))
            var acc = rng.uniform(3, 12)
            if abs(Geo.distance(p, tagHome) - person.radius) < 65 { acc = rng.uniform(150, 250) }
            fixes.append(VictimFix(ts: t, p: p, acc: (acc * 10).rounded() / 10))
            t += fixMs
        }
    }
}

/// Writes a protected person's fixes as events, in order.
struct VictimEmitter {
    let device: Int
    let track: VictimTrack
    var index = 0
    var seq: UInt64

    init(track: VictimTrack, seqStart: UInt64) {
        device = track.person.device
        self.track = track
        seq = seqStart
    }

    mutating func next(before limit: Int64) -> Ev? {
        guard index < track.fixes.count, track.fixes[index].ts < limit else { return nil }
        let f = track.fixes[index]
        index += 1
        seq += 1
        return Ev(ts: f.ts, kind: .position, lat: f.p.lat, lon: f.p.lon, acc: f.acc)
    }
}

/// The ground truth of `victim_proximity` for one tag and one protected person: a plain reading of PROTOCOL 4.1 and
/// docs/RULES.md ("near": within the radius of the person's latest qualifying fix at most 120 s older or newer;
/// raised when the tag's last two qualifying fixes are near; judged again at each fix of the person; cleared by a
/// far verdict or when the person's latest fix becomes older than 120 s).
struct ProximityTruth {
    enum Change {
        case raise(Int64)
        case clear(Int64)
    }

    static let freshMs: Int64 = 120_000
    let track: VictimTrack
    private var nextFix = 0
    /// The person's latest qualifying fix, nil when there is none or it went stale.
    private var person: VictimFix?
    private var tag: (t: Int64, p: GeoPoint)?
    private var runBefore = 0
    private var lastNear = false
    private(set) var open = false

    init(track: VictimTrack) { self.track = track }

    /// Processes the person's fixes before `t` (up to `t` with `inclusive`) and the staleness timers due before `t`.
    mutating func advance(to t: Int64, inclusive: Bool) -> [Change] {
        var out: [Change] = []
        while nextFix < track.fixes.count, track.fixes[nextFix].ts < t || (inclusive && track.fixes[nextFix].ts == t)
        {
            let f = track.fixes[nextFix]
            nextFix += 1
            guard f.acc <= 100 else { continue }
            expire(before: f.ts, &out)
            person = f
            if let c = judge(tagFix: false, at: f.ts) { out.append(c) }
        }
        expire(before: t, &out)
        return out
    }

    /// A qualifying fix of the tag.
    mutating func tagFix(_ t: Int64, _ p: GeoPoint) -> Change? {
        tag = (t, p)
        return judge(tagFix: true, at: t)
    }

    private mutating func expire(before t: Int64, _ out: inout [Change]) {
        guard let f = person, f.ts + Self.freshMs < t else { return }
        if open { out.append(.clear(f.ts + Self.freshMs)) }
        open = false
        person = nil
        runBefore = 0
        lastNear = false
    }

    private mutating func judge(tagFix: Bool, at t: Int64) -> Change? {
        guard let tag else { return nil }
        if tagFix { runBefore = lastNear ? runBefore + 1 : 0 }
        var near: Bool?
        if let f = person, abs(tag.t - f.ts) <= Self.freshMs {
            near = Geo.distance(tag.p, f.p) <= track.person.radius
        }
        lastNear = near == true
        if !open && runBefore + (lastNear ? 1 : 0) >= 2 {
            open = true
            return .raise(t)
        }
        if open && near == false {
            open = false
            return .clear(t)
        }
        return nil
    }
}
