import Foundation

/// (1.1) What `generate --victims/--crossings/--outage-share` adds to a run, decided before the devices are planned.
/// Every choice draws from random streams of its own, so a run without these options is the run it always was.
struct Extras {
    /// Each tag's network (all nil without `--outage-share`).
    var networkOf: [String?]
    /// The tags that go silent in the carrier outage, and when it starts.
    var outage: Set<Int> = []
    var outageStart: Int64 = 0
    /// Tag → the protected person (index into `persons`) of its dossier; only a dossier's first tag is approached.
    var personOfTag: [Int: Int] = [:]
    var persons: [ProtectedModel] = []
    /// Dossiers (by index) given a protected person, in order.
    var victimDossiers: [Int] = []
    /// Dossiers (by index) given a crossing zone.
    var crossing: Set<Int> = []
    let requested: Bool

    init(devices: Int, dossierCount: Int, victims: Int, crossings: Int, outageShare: Double, seed: UInt64) {
        requested = victims > 0 || crossings > 0 || outageShare > 0
        networkOf = outageShare > 0 ? Outages.assign(devices: devices, seed: seed) : Array(repeating: nil, count: devices)
        if outageShare > 0 { outage = Outages.silenced(of: networkOf, share: outageShare, seed: seed) }
        crossing = Set(Self.pick(min(crossings, dossierCount), of: dossierCount, seed: seed, stream: 0xC505))
        victimDossiers = Self.pick(min(victims, dossierCount), of: dossierCount, seed: seed, stream: 0x51C7)
    }

    /// `n` distinct indices of `0..<count`, in increasing order.
    static func pick(_ n: Int, of count: Int, seed: UInt64, stream: UInt64) -> [Int] {
        var rng = Rng(seed: seed, stream: stream)
        var all = Array(0..<count)
        for i in all.indices.reversed() where i > 0 { all.swapAt(i, rng.int(0, i)) }
        return all.prefix(n).sorted()
    }

    /// Puts networks, protected persons and crossing zones into the dossiers.
    mutating func apply(
        to dossiers: inout [DossierModel], clock: LocalClock, runStart: Int64, runEnd: Int64, seed: UInt64
    ) {
        var rng = Rng(seed: seed, stream: 0xE7_0000)
        for i in dossiers.indices {
            let d = dossiers[i]
            for dev in d.devices { if let n = networkOf[dev] { d.networks[dev] = n } }
            if victimDossiers.contains(i) {
                personOfTag[d.devices[0]] = persons.count
                persons.append(
                    ProtectedModel(id: "P-01", device: networkOf.count + persons.count, radius: Double(rng.int(6, 12) * 100)))
                d.protected = [persons[persons.count - 1]]
            }
            if crossing.contains(i),
                let z = Crossings.zone(
                    for: d, scheduled: crossing.filter { $0 < i }.count % 2 == 1, clock: clock, runStart: runStart,
                    runEnd: runEnd, rng: &rng)
            {
                dossiers[i] = d.adding(zone: z)
            }
        }
        outageStart = Outages.start(runStart: runStart, runEnd: runEnd)
    }

    /// Books the tag's outage, victim approach and crossing passes before its other scenarios; returns the approach.
    /// A dossier's other tags stay at home during the approach its first tag was given (`approachOfDossier`).
    func prepare(_ planner: inout Planner, tag dev: Int, approachOfDossier: Period?, placed: inout [Scenario: Int])
        -> Period?
    {
        if outage.contains(dev) {
            planner.placeOutage(start: outageStart)
            placed[.networkOutage, default: 0] += 1
        }
        var approach: Period?
        if personOfTag[dev] != nil {
            approach = planner.placeApproach()
            if approach != nil { placed[.victimApproach, default: 0] += 1 }
        } else if let p = approachOfDossier {
            planner.book(p.start, p.end, .victimApproach)
        }
        if planner.d.zones.contains(where: \.crossing) && planner.d.devices.first == dev {
            placed[.zoneCrossing, default: 0] += planner.placeCrossingPasses()
        }
        return approach
    }

    /// The protected person's stream for tag `dev`'s dossier (its first tag), and its truth on the tag's tracker.
    func victim(
        for emitter: inout DeviceEmitter, approach: Period?, fixMs: Int64, runEnd: Int64, seed: UInt64,
        seqStart: UInt64
    ) -> VictimEmitter? {
        guard let k = personOfTag[emitter.device] else { return nil }
        var rng = Rng(seed: seed, stream: 0x51C7_0000 + UInt64(k))
        let home = emitter.plan.homeSpot
        let bearing = rng.uniform(0, 2 * Double.pi)
        let base = round6(Geo.move(home, distance: rng.uniform(12_000, 15_000), bearing: bearing))
        let near = round6(Geo.move(home, distance: rng.uniform(200, 400), bearing: bearing))
        let track = VictimTrack(
            person: persons[k], base: base, near: near, approach: approach ?? Period(start: 0, end: 0), speed: 12,
            tagHome: emitter.dossier.home, firstFix: emitter.nextFix + fixMs / 2, fixMs: fixMs, runEnd: runEnd, rng: &rng)
        emitter.tracker.proximity = ProximityTruth(track: track)
        return VictimEmitter(track: track, seqStart: seqStart)
    }

    /// The incidents of the truth, appended to it, and the `incident` of their member breaches.
    func addIncidents(to truth: inout [TruthBreach], deviceNames: [String]) {
        guard !outage.isEmpty || networkOf.contains(where: { $0 != nil }) else { return }
        let (incidents, memberOf) = Outages.incidents(truth, networkOf: networkOf, name: { deviceNames[$0] })
        for (b, k) in memberOf { truth[b].incident = k }
        for (k, inc) in incidents.enumerated() {
            truth.append(
                TruthBreach(
                    dossier: -1, device: -1, kind: .networkOutage, zone: -1, raisedAt: inc.raisedAt,
                    clearedAt: inc.clearedAt, scenario: .networkOutage, network: inc.network, members: inc.members,
                    incident: k))
        }
    }
}

extension Planner {
    /// The time of a protected person's approach (50-70 minutes), the tag at home throughout; nil if none fits.
    mutating func placeApproach() -> Period? {
        for _ in 0..<40 {
            let dur = rng.int64(50, 70) * Planner.minute
            guard let a = randomStart(dur), fits(a, a + dur) else { continue }
            book(a, a + dur, .victimApproach)
            return Period(start: a, end: a + dur)
        }
        return nil
    }
}
