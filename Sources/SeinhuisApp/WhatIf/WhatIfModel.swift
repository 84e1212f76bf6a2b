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
    /// Replays breach number `index` (its place in the period, for the seed) under `policy`. Nil for a stored
    /// alert that is no breach.
    public static func simulate(
        _ b: StoredBreach, index: Int, under policy: RoutingPolicy, samples: ResponseSamples, seed: UInt64
    ) -> ModelledAlert? {
        var replayer = Replayer(policy: policy, samples: samples, seed: seed)
        return replayer.simulate(b, index: index)
    }

    /// Every breach of `breaches` under `policy`.
    public static func run(
        _ breaches: [StoredBreach], under policy: RoutingPolicy, samples: ResponseSamples, seed: UInt64
    )
        -> [ModelledAlert]
    {
        var replayer = Replayer(policy: policy, samples: samples, seed: seed)
        var out: [ModelledAlert] = []
        out.reserveCapacity(breaches.count)
        for (i, b) in breaches.enumerated() {
            if let m = replayer.simulate(b, index: i) { out.append(m) }
        }
        return out
    }

    /// One alert book for a whole run: each breach is raised in it, escalated to its end, then cleared, which
    /// leaves the book as empty as a fresh one (an alert whose breach is cleared and that can no longer escalate is
    /// forgotten), without building a book per breach.
    struct Replayer {
        var book: AlertBook
        let policy: RoutingPolicy
        let samples: ResponseSamples
        let seed: UInt64
        static let radexDossier = "whatif-radex", otherDossier = "whatif-other"

        init(policy: RoutingPolicy, samples: ResponseSamples, seed: UInt64) {
            self.policy = policy
            self.samples = samples
            self.seed = seed
            book = Self.freshBook(policy)
        }

        static func freshBook(_ policy: RoutingPolicy) -> AlertBook {
            var book = AlertBook(policy: policy, nextNumber: 1)
            book.radex = [radexDossier: true, otherDossier: false]
            return book
        }

        mutating func simulate(_ b: StoredBreach, index: Int) -> ModelledAlert? {
            guard case .breach(let kind) = b.kind else { return nil }
            let key = BreachKey(dossier: b.radex ? Self.radexDossier : Self.otherDossier, device: "whatif", kind: kind)
            guard var alert = book.apply(.raised(key, at: b.detectedAt), detectedAt: b.detectedAt) else { return nil }
            var measures: [Queue: Timestamp] = [:]
            var reached: UInt8 = 0
            func reach(_ queues: [Queue], at: Timestamp) {
                for q in queues where reached & q.bit == 0 {
                    reached |= q.bit
                    // One generator per breach and queue: a queue reached at the same moment under both policies
                    // gives the same response (common random numbers), so differences come from the policies.
                    var rng = SplitMix64(seed: WhatIfModel.stream(seed: seed, index: index, queue: q))
                    if let delay = samples.draw(q, b.severity, &rng) { measures[q] = at + delay }
                }
            }
            reach(alert.queues, at: b.detectedAt)
            while let due = book.nextEscalation {
                alert.handling = WhatIfModel.handling(alert.queues, measures, asOf: due)
                book.refresh(alert)
                guard let escalated = book.escalate(dueBy: due).last else { break }
                alert = escalated
                reach(alert.queues, at: due)
            }
            _ = book.apply(.cleared(key, at: b.detectedAt), detectedAt: b.detectedAt)
            if book.openCount != 0 || !book.liveIDs.isEmpty || book.nextEscalation != nil {
                book = Self.freshBook(policy)  // never expected: start the next breach from a fresh book all the same
            }
            return ModelledAlert(
                detectedAt: b.detectedAt, queues: alert.queues, escalation: alert.escalation, measures: measures,
                targetSeconds: policy.route(radex: b.radex, severity: b.severity).targetSeconds)
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
