import SeinhuisCore
import SeinhuisStore

/// Why an evaluation cannot be made (a version without alerts, a reversed period, a what-if file that is not one).
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One queue before and after a procedure change: the alerts routed by each policy version, each queue by its own
/// first measure (PROTOCOL 4.4, 1.1).
public struct EvaluationQueue: Sendable {
    public var queue: Queue
    /// The latency report's rows for the queue (alerts, escalations, summary, share within target); nil: no alert
    /// of that version reached the queue.
    public var before: LatencyRow?
    public var after: LatencyRow?
    /// Breach-to-response of the answered alerts, in milliseconds, sorted.
    public var beforeMs: [Int64]
    public var afterMs: [Int64]

    public var meanBeforeMs: Double? { Evaluation.mean(beforeMs) }
    public var meanAfterMs: Double? { Evaluation.mean(afterMs) }
    public var medianBeforeMs: Double? { Evaluation.median(beforeMs) }
    public var medianAfterMs: Double? { Evaluation.median(afterMs) }
    /// Mean after less mean before (negative: faster after).
    public var differenceMs: Double? {
        guard let a = meanAfterMs, let b = meanBeforeMs else { return nil }
        return a - b
    }
    /// The bootstrap 95 % interval of `differenceMs` (`Evaluation.bootstrap`), and how many resamples made it.
    public var interval: ClosedRange<Double>?
    public var resamples = Evaluation.resamples
}

/// The procedure's evaluation (docs/EVALUATION.md): latency before and after, per queue, with a bootstrap interval
/// of the difference of means; Radex incidents and escalations per month; the survey; a what-if comparison.
public struct Evaluation: Sendable {
    /// Resamples of the bootstrap, and its fixed seed: the same database gives the same interval.
    public static let resamples = 2000
    public static let seed: UInt64 = 2027
    /// A bound on the draws of one queue's bootstrap (resamples × answered alerts), so a year of a large centre
    /// stays seconds: a queue with more than 50,000 answered alerts gets fewer resamples, never under 200.
    public static let maxDraws = 100_000_000
    public static let minimumResamples = 200

    /// The resamples for a queue with `answered` alerts answered on both sides together.
    public static func resamples(answered: Int) -> Int {
        answered * resamples <= maxDraws ? resamples : max(minimumResamples, maxDraws / max(1, answered))
    }

    public var before: String
    public var after: String
    public var from: Timestamp?
    public var to: Timestamp?
    public var generatedAt: Timestamp
    public var queues: [EvaluationQueue]
    /// Radex dossiers' alerts (incidents) and their escalations per month (UTC, `YYYY-MM`), every version.
    public var months: [LatencyRow]
    /// Versions whose response targets were not known (share within target not shown for them).
    public var unknownTargets: [String]
    public var surveys: [SurveyResults]
    public var whatIf: WhatIfComparison?

    /// Builds the evaluation from the breach alerts of [from, to) (`query` knows the policies for their targets).
    public static func make(
        _ store: Store, before: String, after: String, from: Timestamp?, to: Timestamp?, query base: LatencyQuery,
        whatIf: WhatIfComparison?, at: Timestamp
    ) throws -> Evaluation {
        guard before != after else { throw EvaluationError("--before and --after name the same version \(before)") }
        if let from, let to, from >= to {
            throw EvaluationError("the period is empty: from \(from.rfc3339) is not before to \(to.rfc3339)")
        }
        var query = base
        query.from = from ?? .distantPast
        query.to = to ?? .distantFuture
        let records = try query.records(store)
        let versions = Set(records.map(\.policy)).sorted()
        for v in [before, after] where !versions.contains(v) {
            throw EvaluationError(
                "no alert in the period was routed by policy version \(v); versions in the period: "
                    + (versions.isEmpty ? "none" : versions.joined(separator: ", ")))
        }
        let b = records.filter { $0.policy == before }
        let a = records.filter { $0.policy == after }
        let (rowsBefore, rowsAfter) = (LatencyReport.rows(b, by: .queue), LatencyReport.rows(a, by: .queue))
        let queues = Queue.allCases.compactMap { q -> EvaluationQueue? in
            let (rb, ra) = (rowsBefore.first { $0.group == q.rawValue }, rowsAfter.first { $0.group == q.rawValue })
            guard rb != nil || ra != nil else { return nil }
            var e = EvaluationQueue(
                queue: q, before: rb, after: ra, beforeMs: responses(b, q), afterMs: responses(a, q))
            e.resamples = Self.resamples(answered: e.beforeMs.count + e.afterMs.count)
            e.interval = bootstrap(e.beforeMs, e.afterMs, resamples: e.resamples, seed: seed)
            return e
        }
        let surveys = try SurveyDesk.results(store, from: from ?? .distantPast, to: to ?? .distantFuture)
        return Evaluation(
            before: before, after: after, from: from, to: to, generatedAt: at, queues: queues,
            months: LatencyReport.rows(records.filter(\.radex), by: .month),
            unknownTargets: [before, after].filter { query.policies[$0] == nil }, surveys: surveys, whatIf: whatIf)
    }

    /// Each alert's breach-to-response as `queue` handled it, over the alerts that reached it and got a measure.
    static func responses(_ records: [LatencyRecord], _ queue: Queue) -> [Int64] {
        records.filter { $0.queues.contains(queue) }.compactMap { r in
            let own = r.forQueue(queue)
            return own.respondedAt.map { max(0, $0 - own.detectedAt) }
        }.sorted()
    }

    static func mean(_ xs: [Int64]) -> Double? {
        xs.isEmpty ? nil : Double(xs.reduce(0, +)) / Double(xs.count)
    }

    /// The exact median of sorted values (the mean of the middle two for an even count).
    static func median(_ sorted: [Int64]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
    }

    /// The percentile bootstrap 95 % interval of mean(after) − mean(before): `resamples` times, each side is drawn
    /// with replacement at its own size (SplitMix64 from `seed`), and the difference of the means taken; the interval
    /// runs from the 2.5th to the 97.5th percentile of those differences (nearest rank). Nil when a side is empty.
    public static func bootstrap(_ before: [Int64], _ after: [Int64], resamples: Int, seed: UInt64)
        -> ClosedRange<Double>?
    {
        guard !before.isEmpty, !after.isEmpty, resamples > 0 else { return nil }
        var rng = SplitMix64(seed: seed)
        func resampledMean(_ xs: [Int64]) -> Double {
            var sum = 0.0
            for _ in 0..<xs.count { sum += Double(xs[rng.index(below: xs.count)]) }
            return sum / Double(xs.count)
        }
        var diffs: [Double] = []
        diffs.reserveCapacity(resamples)
        for _ in 0..<resamples { diffs.append(resampledMean(after) - resampledMean(before)) }
        diffs.sort()
        func rank(_ p: Double) -> Double { diffs[max(0, Int((p * Double(resamples)).rounded(.up)) - 1)] }
        return rank(0.025)...rank(0.975)
    }
}
