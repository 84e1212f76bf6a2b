import SeinhuisCore

/// Produces one device's events lazily, in `ts` order, from its plan: GNSS fixes on a fixed grid, heartbeats,
/// battery reports, presence reports while at home, and the plan's scripted events; and feeds each to the
/// device's truth tracker.
struct DeviceEmitter {
    let device: Int
    let dossier: DossierModel
    let plan: DevicePlan
    var tracker: TruthTracker
    var rng: Rng
    var seq: UInt64 = 0

    let fixMs: Int64, hbMs: Int64, batMs: Int64, presMs: Int64
    var nextFix: Int64, nextHb: Int64, nextBat: Int64, nextPres: Int64
    var scriptIdx = 0
    var tripIdx = 0
    var silenceIdx = 0
    var edgeIdx = 0
    var lastTs = Int64.min / 2

    var level: Double
    var charging = false
    var lastBatT: Int64
    let drainPerMs: Double
    static let chargePerMs = 0.30 / 3_600_000
    var overrideIdx = 0

    /// Share of fixes that are inaccurate (acc > 100 m): ignored by the rules.
    static let inaccurateShare = 0.015
    /// Qualifying fixes are kept this far (metres) from every home and zone boundary; closer ones are written as
    /// inaccurate fixes.
    static let boundaryMargin = 25.0
    /// Events are kept this far (ms) from every period boundary of the dossier.
    static let edgeGuard: Int64 = 2500
    /// Smallest spacing of one device's events (ms).
    static let spacing: Int64 = 200

    init(
        device: Int, dossier: DossierModel, plan: DevicePlan, runStart: Int64, fixMs: Int64, seed: UInt64,
        seqStart: UInt64 = 0
    ) {
        self.device = device
        seq = seqStart
        self.dossier = dossier
        self.plan = plan
        tracker = TruthTracker(dossier: dossier, device: device, episodes: plan.episodes)
        rng = Rng(seed: seed, stream: 0xE000_0000_0000 + UInt64(device))
        self.fixMs = fixMs
        hbMs = rng.int64(60, max(60, min(300, Int64(dossier.commsTimeoutS) / 3))) * 1000
        batMs = rng.int64(10, 20) * 60_000
        presMs = rng.int64(15, 40) * 60_000
        nextFix = runStart + rng.int64(0, fixMs - 1)
        nextHb = runStart + rng.int64(0, hbMs - 1)
        nextBat = runStart + rng.int64(0, 60_000)
        nextPres = runStart + rng.int64(0, 60_000)
        level = rng.uniform(0.45, 1.0)
        lastBatT = runStart
        drainPerMs = rng.uniform(0.02, 0.045) / 3_600_000
    }

    private static func inAny(_ ps: [Period], _ t: Int64) -> Bool { ps.contains { $0.contains(t) } }

    /// Whether `t` falls in a silence (communication loss): nothing at all is sent.
    private mutating func silent(_ t: Int64) -> Bool {
        let s = plan.silence
        while silenceIdx < s.count && s[silenceIdx].end <= t { silenceIdx += 1 }
        return silenceIdx < s.count && s[silenceIdx].contains(t)
    }

    private mutating func inTrip(_ t: Int64) -> Trip? {
        let ts = plan.trips
        while tripIdx < ts.count && ts[tripIdx].arrive < t { tripIdx += 1 }
        if tripIdx < ts.count && ts[tripIdx].depart <= t { return ts[tripIdx] }
        return nil
    }

    /// The next event with a planned time before `limit`, or nil.
    mutating func next(before limit: Int64) -> Ev? {
        while true {
            let script = scriptIdx < plan.scripts.count ? plan.scripts[scriptIdx].ts : Int64.max
            let t = min(nextFix, nextHb, nextBat, nextPres, script)
            guard t < limit else { return nil }
            var ev: Ev
            if t == script {
                ev = plan.scripts[scriptIdx]
                scriptIdx += 1
            } else if silent(t) {
                if t == nextFix {
                    nextFix += fixMs
                } else if t == nextHb {
                    nextHb += hbMs
                } else if t == nextBat {
                    nextBat += batMs
                } else {
                    nextPres += presMs
                }
                continue
            } else if t == nextFix {
                nextFix += fixMs
                if DeviceEmitter.inAny(plan.gnssOff, t) { continue }
                ev = Ev(ts: t, kind: .position)
            } else if t == nextHb {
                nextHb += hbMs
                ev = Ev(ts: t, kind: .heartbeat)
            } else if t == nextBat {
                nextBat += batMs
                guard let b = battery(at: t) else { continue }
                ev = b
            } else {
                nextPres += presMs
                if inTrip(t) != nil || DeviceEmitter.inAny(plan.presenceOff, t) { continue }
                ev = .presence(t, true)
            }
            ev.ts = adjusted(ev.ts)
            if ev.kind == .position && ev.code != Ev.scriptedFix { fillPosition(&ev) }
            lastTs = ev.ts
            tracker.observe(ev, insideMask: ev.kind == .position ? insideMask(ev) : 0)
            seq += 1
            return ev
        }
    }

    /// Keeps events apart and away from period boundaries (they only ever move later, by a few seconds).
    private mutating func adjusted(_ t0: Int64) -> Int64 {
        var t = max(t0, lastTs + DeviceEmitter.spacing)
        let edges = dossier.boundaries
        while edgeIdx < edges.count && edges[edgeIdx].t < t - DeviceEmitter.edgeGuard { edgeIdx += 1 }
        var k = edgeIdx
        while k < edges.count && edges[k].t <= t + DeviceEmitter.edgeGuard {
            if abs(edges[k].t - t) < DeviceEmitter.edgeGuard { t = edges[k].t + DeviceEmitter.edgeGuard }
            k += 1
        }
        return t
    }

    private mutating func battery(at t: Int64) -> Ev? {
        let overrides = plan.batteryOverride
        while overrideIdx < overrides.count && overrides[overrideIdx].period.end <= t {
            let o = overrides[overrideIdx]
            level = o.level
            charging = o.charging
            lastBatT = o.period.end
            overrideIdx += 1
        }
        if overrideIdx < overrides.count && overrides[overrideIdx].period.contains(t) { return nil }
        let dt = Double(t - lastBatT)
        lastBatT = t
        if charging {
            level = min(1.0, level + dt * DeviceEmitter.chargePerMs)
            if level >= 0.95 { charging = false }
        } else {
            level = max(0.0, level - dt * drainPerMs)
            if level < 0.40 { charging = true }
        }
        return .battery(t, level: level, charging: charging)
    }

    private mutating func fillPosition(_ ev: inout Ev) {
        let t = ev.ts
        var p = inTrip(t)?.position(at: t) ?? plan.homeSpot
        var acc: Double
        if rng.chance(DeviceEmitter.inaccurateShare) {
            acc = rng.uniform(120, 600)
            p = Geo.move(p, distance: acc * rng.uniform(0.5, 1.2), bearing: rng.uniform(0, 2 * Double.pi))
        } else {
            acc = rng.uniform(3, 14)
            let sigma = acc / 2.5
            var dx = rng.gaussian() * sigma, dy = rng.gaussian() * sigma
            let r = (dx * dx + dy * dy).squareRoot()
            if r > 12 {
                dx *= 12 / r
                dy *= 12 / r
            }
            p = Geo.offset(p, east: dx, north: dy)
        }
        p = round6(p)
        ev.lat = p.lat
        ev.lon = p.lon
        if acc <= 100 {
            for s in dossier.shapes where s.classify(p).margin < DeviceEmitter.boundaryMargin {
                acc = rng.uniform(120, 250)
                break
            }
        }
        ev.acc = (acc * 10).rounded() / 10
    }

    private func insideMask(_ ev: Ev) -> UInt64 {
        guard ev.acc <= 100 else { return 0 }
        let p = GeoPoint(lat: ev.lat, lon: ev.lon)
        var mask: UInt64 = 0
        for (k, s) in dossier.shapes.enumerated() where s.classify(p).inside { mask |= 1 << UInt64(k) }
        return mask
    }
}
