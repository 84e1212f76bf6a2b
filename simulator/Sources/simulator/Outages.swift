import Foundation

/// (1.1) Networks on devices, a carrier outage of a share of one network's devices, and the `network_outage`
/// incidents that follow from the `communication_loss` breaches (PROTOCOL 4.5, docs/RULES.md).
enum Outages {
    static let networks = ["carrier-a", "carrier-b", "carrier-c"]
    /// The network that goes down.
    static let failing = "carrier-a"
    static let minDevices = 5
    static let windowMs: Int64 = 300_000

    /// Each tag's network: half on carrier-a, 30 % carrier-b, 10 % carrier-c, 10 % none (a plain id).
    static func assign(devices: Int, seed: UInt64) -> [String?] {
        var rng = Rng(seed: seed, stream: 0x4E7_0000)
        return (0..<devices).map { _ in
            let x = rng.uniform(0, 1)
            return x < 0.5 ? networks[0] : x < 0.8 ? networks[1] : x < 0.9 ? networks[2] : nil
        }
    }

    /// The devices of the failing network that go silent: `share` of them (rounded), chosen at random.
    static func silenced(of networkOf: [String?], share: Double, seed: UInt64) -> Set<Int> {
        var rng = Rng(seed: seed, stream: 0x4E7_0001)
        var on = networkOf.indices.filter { networkOf[$0] == failing }
        for i in on.indices.reversed() where i > 0 { on.swapAt(i, rng.int(0, i)) }
        return Set(on.prefix(Int((share * Double(on.count)).rounded())))
    }

    /// When the carrier goes down: 35 % into the run, at least 30 minutes after its start.
    static func start(runStart: Int64, runEnd: Int64) -> Int64 {
        runStart + max(30 * Planner.minute, (runEnd - runStart) * 35 / 100) / 1000 * 1000
    }

    /// One incident of the truth: its network, members at the raise, and times.
    struct Incident {
        var network: String
        var members: [Int]
        var raisedAt: Int64
        var clearedAt: Int64?
    }

    /// The incidents the `communication_loss` breaches of `truth` make, and for each such breach (by index) the
    /// incident (by index) it belongs to. At one instant a recovery (an event) comes before a loss (a timer).
    static func incidents(_ truth: [TruthBreach], networkOf: [String?], name: (Int) -> String)
        -> (incidents: [Incident], memberOf: [Int: Int])
    {
        var steps: [(t: Int64, raise: Bool, breach: Int)] = []
        for (i, b) in truth.enumerated() where b.kind == .communicationLoss && networkOf[b.device] != nil {
            steps.append((b.raisedAt, true, i))
            if let c = b.clearedAt { steps.append((c, false, i)) }
        }
        steps.sort { ($0.t, $0.raise ? 1 : 0, $0.breach) < ($1.t, $1.raise ? 1 : 0, $1.breach) }
        var incidents: [Incident] = []
        var memberOf: [Int: Int] = [:]
        var lost: [String: [Int]] = [:]  // network → breach indices still open
        var open: [String: (incident: Int, members: Set<Int>)] = [:]
        for s in steps {
            let net = networkOf[truth[s.breach].device]!
            if !s.raise {
                lost[net]?.removeAll { $0 == s.breach }
                guard var o = open[net], o.members.remove(s.breach) != nil else { continue }
                open[net] = o
                if o.members.count < minDevices {
                    incidents[o.incident].clearedAt = s.t
                    open[net] = nil
                }
                continue
            }
            lost[net, default: []].append(s.breach)
            if var o = open[net] {
                o.members.insert(s.breach)
                open[net] = o
                memberOf[s.breach] = o.incident
                continue
            }
            let byTime = lost[net]!.sorted { (truth[$0].raisedAt, name(truth[$0].device)) < (truth[$1].raisedAt, name(truth[$1].device)) }
            guard byTime.count >= minDevices else { continue }
            for i in 0...(byTime.count - minDevices)
            where truth[byTime[i + minDevices - 1]].raisedAt - truth[byTime[i]].raisedAt <= windowMs {
                let end = truth[byTime[i]].raisedAt + windowMs
                let members = byTime[i...].filter { truth[$0].raisedAt <= end }
                let k = incidents.count
                incidents.append(
                    Incident(
                        network: net, members: members.map { truth[$0].device }.sorted(),
                        raisedAt: truth[byTime[i + minDevices - 1]].raisedAt))
                for m in members { memberOf[m] = k }
                open[net] = (k, Set(members))
                break
            }
        }
        return (incidents, memberOf)
    }
}

extension Planner {
    /// The carrier outage for this device: silent from `start` (plus a few seconds) until 3-25 minutes after its
    /// `communication_loss` is due, booked before anything else.
    mutating func placeOutage(start: Int64) {
        let a = start + rng.int64(0, 20_000)
        let b = a + d.commsTimeoutMs + rng.int64(3, 25) * Planner.minute
        plan.silence.append(Period(start: a, end: b))
        book(a, b, .networkOutage)
    }
}
