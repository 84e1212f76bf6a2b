import SeinhuisCore
import SeinhuisStore

/// One stored breach as the model replays it under a policy: where it went, how often it escalated, and when each
/// queue it reached recorded its first measure (nil: never).
public struct ModelledAlert: Sendable, Equatable {
    public var detectedAt: Timestamp
    public var queues: [Queue]
    public var escalation: Int
    public var measures: [Queue: Timestamp]
    /// The route's response target under the policy.
    public var targetSeconds: Int64
    /// The first measure of any queue: the alert's breach-to-response ends here (PROTOCOL 4.4).
    public var respondedAt: Timestamp? { measures.values.min() }
}

/// The what-if model (docs/WHATIF.md), pure: stored breaches routed and escalated under a policy, responses drawn
/// from the recorded ones.
///
/// Routing and escalation are the pipeline's own code: each breach is raised in a fresh `AlertBook` with the
/// policy, and the book is asked to escalate at each due time after being told which modelled measures were
/// recorded by then (`refresh`), exactly as `serve` tells it what operators recorded in the database. So `stops_on`,
/// the maximum number of escalations and the escalation queues mean what they mean in the pipeline.
public enum WhatIfModel {
    /// Replays breach number `index` (its place in the period, for the seed) under `policy`, in a book of its own.
    /// Nil for a stored alert that is no breach. `run` gives the same for every breach (a test checks it).
    public static func simulate(
        _ b: StoredBreach, index: Int, under policy: RoutingPolicy, samples: ResponseSamples, seed: UInt64
    ) -> ModelledAlert? {
        guard case .breach(let kind) = b.kind else { return nil }
        var book = AlertBook(policy: policy, nextNumber: 1)
        book.radex[b.id] = b.radex
        let key = BreachKey(dossier: b.id, device: "whatif", kind: kind)
        guard var alert = book.apply(.raised(key, at: b.detectedAt), detectedAt: b.detectedAt) else { return nil }
        var draws = Draws(breach: b, index: index, samples: samples, seed: seed)
        draws.reach(alert.queues, at: b.detectedAt)
        while let due = book.nextEscalation {
            alert.handling = handling(alert.queues, draws.measures, asOf: due)
            book.refresh(alert)
            guard let escalated = book.escalate(dueBy: due).last else { break }
            alert = escalated
            draws.reach(alert.queues, at: due)
        }
        return ModelledAlert(
            detectedAt: b.detectedAt, queues: alert.queues, escalation: alert.escalation, measures: draws.measures,
            targetSeconds: policy.route(radex: b.radex, severity: b.severity).targetSeconds)
    }

    /// Every breach of `breaches` under `policy`. The book's way with an alert nobody answers depends only on the
    /// route (radex, breach kind), so it is played once per route (`Trajectory`) and each breach walks it, stopping
    /// where the book would: at the first due escalation whose modelled handling stops it.
    public static func run(
        _ breaches: [StoredBreach], under policy: RoutingPolicy, samples: ResponseSamples, seed: UInt64
    )
        -> [ModelledAlert]
    {
        var trajectories: [Trajectory.Key: Trajectory] = [:]
        var out: [ModelledAlert] = []
        out.reserveCapacity(breaches.count)
        for (i, b) in breaches.enumerated() {
            guard case .breach(let kind) = b.kind else { continue }
            let k = Trajectory.Key(radex: b.radex, kind: kind, severity: b.severity)
            let t = trajectories[k] ?? Trajectory(policy, k)
            trajectories[k] = t
            guard let steps = t.steps else { continue }
            var draws = Draws(breach: b, index: i, samples: samples, seed: seed)
            var queues = t.atOnce
            draws.reach(queues, at: b.detectedAt)
            var escalation = 0
            for step in steps {
                let due = b.detectedAt + step.afterMs
                // Only a measure recorded by then can stop it (the handling is never closed in the model): without
                // one, the book's test is not worth building a handling for.
                if draws.measures.values.contains(where: { $0 <= due }),
                    handling(queues, draws.measures, asOf: due).stopsEscalation(stopsOn: t.stopsOn)
                {
                    break
                }
                escalation += 1
                queues = step.queues
                draws.reach(queues, at: due)
            }
            out.append(
                ModelledAlert(
                    detectedAt: b.detectedAt, queues: queues, escalation: escalation, measures: draws.measures,
                    targetSeconds: t.targetSeconds))
        }
        return out
    }

    /// What the pipeline's alert book does with an alert of one route that nobody answers: the queues routed at
    /// once, then each escalation's moment (after detection) and the queues reached by then, up to the policy's
    /// maximum; and the queues whose measure stops it.
    struct Trajectory {
        struct Key: Hashable {
            var radex: Bool
            var kind: BreachKind
            /// The stored alert's severity, for its target (routing goes by the kind's, as in the pipeline).
            var severity: Severity
        }
        var atOnce: [Queue] = []
        var targetSeconds: Int64 = 0
        /// Nil: the book raises no alert for it.
        var steps: [(afterMs: Int64, queues: [Queue])]?
        var stopsOn: Set<Queue>?

        init(_ policy: RoutingPolicy, _ k: Key) {
            let (radex, kind) = (k.radex, k.kind)
            targetSeconds = policy.route(radex: radex, severity: k.severity).targetSeconds
            var book = AlertBook(policy: policy, nextNumber: 1)
            book.radex["whatif"] = radex
            let t0 = Timestamp(milliseconds: 0)
            let key = BreachKey(dossier: "whatif", device: "whatif", kind: kind)
            guard let alert = book.apply(.raised(key, at: t0), detectedAt: t0) else { return }
            atOnce = alert.queues
            stopsOn = policy.route(radex: radex, severity: kind.severity).stopsOn
            var steps: [(afterMs: Int64, queues: [Queue])] = []
            while let due = book.nextEscalation, let escalated = book.escalate(dueBy: due).last {
                steps.append((due - t0, escalated.queues))
            }
            self.steps = steps
        }
    }

    /// The responses drawn for one breach: each queue's, once, from the moment it is reached.
    struct Draws {
        let breach: StoredBreach
        let index: Int
        let samples: ResponseSamples
        let seed: UInt64
        var measures: [Queue: Timestamp] = [:]
        var reached: UInt8 = 0

        init(breach: StoredBreach, index: Int, samples: ResponseSamples, seed: UInt64) {
            self.breach = breach
            self.index = index
            self.samples = samples
            self.seed = seed
        }

        mutating func reach(_ queues: [Queue], at: Timestamp) {
            for q in queues where reached & q.bit == 0 {
                reached |= q.bit
                // One generator per breach and queue: a queue reached at the same moment under both policies
                // gives the same response (common random numbers), so differences come from the policies.
                var rng = SplitMix64(seed: WhatIfModel.stream(seed: seed, index: index, queue: q))
                if let delay = samples.draw(q, breach.severity, &rng) { measures[q] = at + delay }
            }
        }
    }

    /// The handling the book sees at `at`: each queue's modelled measure if it came by then (a measure
    /// acknowledges too, as `AlertWorkflow` records it), else open.
    static func handling(_ queues: [Queue], _ measures: [Queue: Timestamp], asOf at: Timestamp) -> Handling {
        var out: [Queue: QueueHandling] = [:]
        for q in queues {
            if let m = measures[q], m <= at {
                out[q] = QueueHandling(state: .responded, acknowledgedAt: m, firstMeasureAt: m, measure: .other)
            } else {
                out[q] = .open
            }
        }
        return Handling(out)
    }

    static func stream(seed: UInt64, index: Int, queue: Queue) -> UInt64 {
        let q = UInt64(queue.ordinal + 1)
        var mix = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03) ^ (q &* 0x8CB9_2BA7_2F3D_8DD7))
        return mix.next()
    }
}

extension Queue {
    /// A bit per queue, for small sets of queues.
    var bit: UInt8 { 1 << UInt8(ordinal) }
}
