import SeinhuisCore
import SeinhuisStore

/// One row of `seinhuis whatif`: all alerts (`all`) or one queue's, under one policy.
public struct WhatIfRow: Sendable, Equatable {
    public var group: String
    public var alerts: Int
    public var perDay: Double
    public var escalations: Int
    /// Modelled breach-to-response (the queue's own first measure for a queue row), over the answered alerts.
    public var response: LatencySummary
    /// Share of the alerts answered within the route's target (unanswered ones count as outside).
    public var withinTarget: Double?
}

/// The honesty check (docs/WHATIF.md): the model under the current policy against what was recorded for the same
/// breaches. The model is trusted for a comparison only when p50 and p90 are both within the tolerance.
public struct WhatIfHonesty: Sendable, Equatable {
    /// A modelled percentile may differ from the recorded one by 15 %, or by 60 s where that is more (short
    /// latencies: a minute is within one operator's reaction).
    public static let toleranceShare = 0.15
    public static let toleranceMs: Int64 = 60_000

    public var recorded: LatencySummary
    public var modelled: LatencySummary

    /// Escalations recorded for the same breaches, and modelled (the model lets every escalation run to its end;
    /// a history cut off at the period's end, or a replay that stopped, records fewer).
    public var recordedEscalations: Int
    public var modelledEscalations: Int

    public init(
        recorded: LatencySummary, modelled: LatencySummary, recordedEscalations: Int = 0, modelledEscalations: Int = 0
    ) {
        self.recorded = recorded
        self.modelled = modelled
        self.recordedEscalations = recordedEscalations
        self.modelledEscalations = modelledEscalations
    }

    public static func allowed(_ recordedMs: Int64) -> Int64 {
        max(toleranceMs, Int64((Double(recordedMs) * toleranceShare).rounded()))
    }

    public var p50OffMs: Int64 { modelled.p50Ms - recorded.p50Ms }
    public var p90OffMs: Int64 { modelled.p90Ms - recorded.p90Ms }
    /// The difference as a share of the recorded value; nil when nothing was recorded.
    public static func share(_ off: Int64, of recordedMs: Int64) -> Double? {
        recordedMs == 0 ? nil : Double(off) / Double(recordedMs)
    }

    /// Whether p50 and p90 are both within the tolerance (false when nothing was recorded to compare with).
    public var withinTolerance: Bool {
        recorded.count > 0 && abs(p50OffMs) <= Self.allowed(recorded.p50Ms)
            && abs(p90OffMs) <= Self.allowed(recorded.p90Ms)
    }
}

/// Summaries of modelled alerts: pure.
public enum WhatIfReport {
    /// `all`, then one row per queue reached (canonical order). `days`: the period's length, for alerts per day.
    /// One pass over the alerts, each group's durations in the alerts' order (the mean sums them in that order).
    public static func rows(_ alerts: [ModelledAlert], days: Double) -> [WhatIfRow] {
        var groups = [Group](repeating: Group(), count: Queue.allCases.count + 1)
        for a in alerts {
            groups[0].add(a, responded: a.respondedAt)
            for q in a.queues { groups[q.ordinal + 1].add(a, responded: a.measures[q]) }
        }
        var out = [groups[0].row("all", days: days)]
        for q in Queue.allCases where groups[q.ordinal + 1].alerts > 0 {
            out.append(groups[q.ordinal + 1].row(q.rawValue, days: days))
        }
        return out
    }

    /// One row's counts as the alerts are read.
    struct Group {
        var alerts = 0
        var escalations = 0
        var within = 0
        var durations: [Int64] = []

        mutating func add(_ a: ModelledAlert, responded: Timestamp?) {
            alerts += 1
            escalations += a.escalation
            guard let t = responded else { return }
            durations.append(t - a.detectedAt)
            if t - a.detectedAt <= a.targetSeconds * 1000 { within += 1 }
        }

        func row(_ group: String, days: Double) -> WhatIfRow {
            WhatIfRow(
                group: group, alerts: alerts, perDay: days > 0 ? Double(alerts) / days : 0, escalations: escalations,
                response: LatencySummary(durations), withinTarget: alerts == 0 ? nil : Double(within) / Double(alerts))
        }
    }

    /// The recorded breach-to-response of `breaches` (first measure of any queue), for the honesty check.
    public static func recorded(_ breaches: [StoredBreach]) -> LatencySummary {
        LatencySummary(breaches.compactMap { b in b.handling.firstMeasure.map { $0 - b.detectedAt } })
    }

    /// The period's length in days: [from, to) when both are given, else from the first breach's day to the end
    /// of the last's (at least one day).
    public static func days(from: Timestamp?, to: Timestamp?, _ breaches: [StoredBreach]) -> Double {
        let day: Int64 = 86_400_000
        let first =
            from ?? breaches.map(\.detectedAt).min().map { Timestamp(milliseconds: $0.milliseconds / day * day) }
        let last =
            to ?? breaches.map(\.detectedAt).max().map { Timestamp(milliseconds: ($0.milliseconds / day + 1) * day) }
        guard let first, let last, last > first else { return 1 }
        return max(1, Double(last - first) / Double(day))
    }
}
