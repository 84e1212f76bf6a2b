import Foundation
import SeinhuisCore
import SeinhuisStore

/// One side of the comparison: a policy and its rows.
public struct WhatIfSide: Sendable, Equatable {
    /// `current` or `proposed`.
    public var role: String
    public var policy: RoutingPolicy
    public var rows: [WhatIfRow]
}

/// A whole `seinhuis whatif` (docs/WHATIF.md): the period's breaches under the current and the proposed policy, and
/// the honesty check.
public struct WhatIfRun: Sendable, Equatable {
    public var breaches: Int
    public var days: Double
    public var seed: UInt64
    public var sides: [WhatIfSide]
    public var honesty: WhatIfHonesty

    /// Reads the breaches detected in [from, to) (all when nil) from `store` and models them under `current` and
    /// `proposed`. The caller checks that `current` is the policy in force.
    public init(
        store: Store, current: RoutingPolicy, proposed: RoutingPolicy, from: Timestamp?, to: Timestamp?,
        seed: UInt64
    ) throws {
        let stored = try store.storedBreaches(from: from ?? .distantPast, to: to ?? .distantFuture)
        self.init(stored, current: current, proposed: proposed, days: WhatIfReport.days(from: from, to: to, stored),
            seed: seed)
    }

    /// Models `stored` (one period's breaches) under both policies.
    public init(_ stored: [StoredBreach], current: RoutingPolicy, proposed: RoutingPolicy, days: Double, seed: UInt64)
    {
        var versions = [RoutingPolicy.v1.version: RoutingPolicy.v1]
        versions[current.version] = current
        let samples = ResponseSamples(stored, policies: versions)
        // The two policies are independent: modelled side by side, one thread each.
        let roles = [("current", current), ("proposed", proposed)]
        let results = SideResults(count: roles.count)
        DispatchQueue.concurrentPerform(iterations: roles.count) { i in
            let (role, p) = roles[i]
            results.set(
                i,
                WhatIfSide(
                    role: role, policy: p,
                    rows: WhatIfReport.rows(
                        WhatIfModel.run(stored, under: p, samples: samples, seed: seed), days: days)))
        }
        sides = results.all
        honesty = WhatIfHonesty(
            recorded: WhatIfReport.recorded(stored), modelled: sides[0].rows.first?.response ?? .empty,
            recordedEscalations: stored.reduce(0) { $0 + $1.escalation },
            modelledEscalations: sides[0].rows.first?.escalations ?? 0)
        breaches = stored.count
        self.days = days
        self.seed = seed
    }

    /// `{"breaches", "days", "seed", "policies": [{"role", "version", "rows": [...]}], "honesty"}`, durations in
    /// seconds (docs/WHATIF.md, "Output").
    public var json: String {
        var o = JSONObjectWriter()
        o.int("breaches", breaches)
        o.double("days", days)
        o.string("seed", String(seed))
        o.raw("policies", "[" + sides.map(Self.json).joined(separator: ",") + "]")
        o.raw("honesty", Self.json(honesty))
        return o.finish()
    }

    static func json(_ side: WhatIfSide) -> String {
        var s = JSONObjectWriter()
        s.string("role", side.role)
        s.string("version", side.policy.version)
        s.raw("rows", "[" + side.rows.map(json).joined(separator: ",") + "]")
        return s.finish()
    }

    static func json(_ r: WhatIfRow) -> String {
        var w = JSONObjectWriter()
        w.string("queue", r.group)
        w.int("alerts", r.alerts)
        w.double("per_day", r.perDay)
        w.int("escalations", r.escalations)
        w.raw("response", r.response.json(max: false))
        if let t = r.withinTarget {
            w.double("within_target", t)
        } else {
            w.raw("within_target", "null")
        }
        return w.finish()
    }

    static func json(_ h: WhatIfHonesty) -> String {
        var c = JSONObjectWriter()
        c.raw("recorded", h.recorded.json(max: false))
        c.raw("modelled", h.modelled.json(max: false))
        c.double("p50_off_s", Double(h.p50OffMs) / 1000)
        c.double("p90_off_s", Double(h.p90OffMs) / 1000)
        c.double("tolerance_share", WhatIfHonesty.toleranceShare)
        c.double("tolerance_s", Double(WhatIfHonesty.toleranceMs) / 1000)
        c.bool("within_tolerance", h.withinTolerance)
        c.int("recorded_escalations", h.recordedEscalations)
        c.int("modelled_escalations", h.modelledEscalations)
        return c.finish()
    }
}

/// The sides as the threads finish them.
private final class SideResults: @unchecked Sendable {
    // @unchecked: each slot is written by one thread under the lock, and read after all have finished.
    private var slots: [WhatIfSide?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ side: WhatIfSide) { lock.withLock { slots[i] = side } }

    var all: [WhatIfSide] { lock.withLock { slots.map { $0! } } }
}
