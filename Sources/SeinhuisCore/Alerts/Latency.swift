import Histogram

/// One alert as the latency report sees it (PROTOCOL 4.4).
public struct LatencyRecord: Sendable, Equatable {
    public var alertID: String
    public var kind: AlertKind
    public var severity: Severity
    public var radex: Bool
    public var queues: [Queue]
    public var policy: String
    public var escalation: Int
    public var detectedAt: Timestamp
    public var acknowledgedAt: Timestamp?
    /// The first recorded measure.
    public var respondedAt: Timestamp?
    /// The route's response target (nil if the policy version is unknown here).
    public var targetSeconds: Int64?
    /// Each queue's own moments (PROTOCOL 4.4, 1.1); the report by queue uses them. `acknowledgedAt` and
    /// `respondedAt` are the first of any queue.
    public var handling: Handling = Handling()

    /// The record as one queue handled it: its own acknowledgement and first measure (a queue the handling does not
    /// hold, from before contract 1.1: the alert's).
    public func forQueue(_ q: Queue) -> LatencyRecord {
        guard let h = handling[q] else { return self }
        var r = self
        r.acknowledgedAt = h.acknowledgedAt
        r.respondedAt = h.firstMeasureAt
        return r
    }

    public init(
        alertID: String, kind: AlertKind, severity: Severity, radex: Bool, queues: [Queue], policy: String,
        escalation: Int, detectedAt: Timestamp, acknowledgedAt: Timestamp?, respondedAt: Timestamp?,
        targetSeconds: Int64?
    ) {
        self.alertID = alertID
        self.kind = kind
        self.severity = severity
        self.radex = radex
        self.queues = queues
        self.policy = policy
        self.escalation = escalation
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.respondedAt = respondedAt
        self.targetSeconds = targetSeconds
    }
}

/// Count, mean and percentiles of one latency, in milliseconds (HdrHistogram, 3 significant digits).
public struct LatencySummary: Sendable, Equatable {
    /// The summary as JSON, durations in seconds (the latency report, the API and `whatif`; `max` only where the
    /// figure is recorded rather than modelled).
    public func json(max: Bool = true) -> String {
        var o = JSONObjectWriter()
        o.int("count", count)
        o.double("mean_s", meanMs / 1000)
        o.double("p50_s", Double(p50Ms) / 1000)
        o.double("p90_s", Double(p90Ms) / 1000)
        o.double("p99_s", Double(p99Ms) / 1000)
        if max { o.double("max_s", Double(maxMs) / 1000) }
        return o.finish()
    }

    public var count: Int
    public var meanMs: Double
    public var p50Ms: Int64
    public var p90Ms: Int64
    public var p99Ms: Int64
    public var maxMs: Int64

    public static let empty = LatencySummary(count: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0)

    /// Summarises durations in milliseconds (negative ones, from clocks that disagree, count as 0).
    public init(_ durations: [Int64]) {
        guard !durations.isEmpty else {
            self = .empty
            return
        }
        // Up to 400 days at 3 significant digits: latency is minutes to days, never more.
        var h = Histogram<UInt64>(highestTrackableValue: 400 * 86_400_000, numberOfSignificantValueDigits: .three)
        var sum = 0.0
        var mx: Int64 = 0
        for d in durations {
            let v = max(0, d)
            _ = h.record(UInt64(min(v, 400 * 86_400_000)))
            sum += Double(v)
            mx = max(mx, v)
        }
        count = durations.count
        meanMs = sum / Double(durations.count)
        p50Ms = Int64(h.valueAtPercentile(50))
        p90Ms = Int64(h.valueAtPercentile(90))
        p99Ms = Int64(h.valueAtPercentile(99))
        maxMs = mx  // exact, not the histogram's bucket edge
    }

    init(count: Int, meanMs: Double, p50Ms: Int64, p90Ms: Int64, p99Ms: Int64, maxMs: Int64) {
        self.count = count
        self.meanMs = meanMs
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
    }
}

/// One row of the latency report: a group of alerts and their breach-to-response and time-to-acknowledge.
public struct LatencyRow: Sendable, Equatable {
    public var group: String
    public var alerts: Int
    public var escalations: Int
    /// Detected → first measure, over the alerts with a measure.
    public var response: LatencySummary
    /// Detected → acknowledged.
    public var acknowledge: LatencySummary
    /// Share of alerts with a known target whose first measure came within it (unanswered ones count as outside).
    public var withinTarget: Double?

    /// The row as JSON (durations in seconds): `report latency --format json` and `GET /api/v1/latency` alike;
    /// `by` names the grouping when given.
    public func json(by: String? = nil) -> String {
        func summary(_ s: LatencySummary) -> String { s.json() }
        var o = JSONObjectWriter()
        o.string("group", group)
        if let by { o.string("by", by) }
        o.int("alerts", alerts)
        o.int("escalations", escalations)
        o.raw("response", summary(response))
        o.raw("acknowledge", summary(acknowledge))
        if let withinTarget { o.double("within_target", withinTarget) } else { o.raw("within_target", "null") }
        return o.finish()
    }
}

/// The groupings of the latency report (PROTOCOL 4.4).
public enum LatencyDimension: String, Sendable, CaseIterable {
    case queue, breach, severity, radex, policy, period, month, all
}

/// Builds the latency report: pure, over records the store selected.
public enum LatencyReport {
    /// Groups `records` by `dimension`. For `queue` an alert counts in every queue it reached, with that queue's
    /// own acknowledgement and first measure; for `period` the
    /// records are split at `splitAt` into `before` and `after` (the before/after comparison of a procedure change).
    public static func rows(_ records: [LatencyRecord], by dimension: LatencyDimension, splitAt: Timestamp? = nil)
        -> [LatencyRow]
    {
        var groups: [String: [LatencyRecord]] = [:]
        for r in records {
            let keys: [String]
            switch dimension {
            case .queue:
                // Each queue by its own moments.
                for q in r.queues { groups[q.rawValue, default: []].append(r.forQueue(q)) }
                continue
            case .breach: keys = [r.kind.rawValue]
            case .severity: keys = [r.severity.rawValue]
            case .radex: keys = [r.radex ? "radex" : "other"]
            case .policy: keys = [r.policy]
            case .period:
                guard let splitAt else {
                    keys = ["all"]
                    break
                }
                keys = [r.detectedAt < splitAt ? "before \(splitAt.rfc3339)" : "from \(splitAt.rfc3339)"]
            case .month: keys = [String(r.detectedAt.rfc3339.prefix(7))]  // UTC month, YYYY-MM
            case .all: keys = ["all"]
            }
            for k in keys { groups[k, default: []].append(r) }
        }
        let order: [String]
        switch dimension {
        case .queue: order = Queue.allCases.map(\.rawValue).filter { groups[$0] != nil }
        case .severity: order = Severity.allCases.map(\.rawValue).filter { groups[$0] != nil }
        default: order = groups.keys.sorted()
        }
        return order.map { row($0, groups[$0]!) }
    }

    static func row(_ group: String, _ rs: [LatencyRecord]) -> LatencyRow {
        let response = rs.compactMap { r in r.respondedAt.map { $0 - r.detectedAt } }
        let ack = rs.compactMap { r in r.acknowledgedAt.map { $0 - r.detectedAt } }
        let targeted = rs.filter { $0.targetSeconds != nil }
        let within = targeted.filter { r in
            guard let t = r.respondedAt, let target = r.targetSeconds else { return false }
            return t - r.detectedAt <= target * 1000
        }
        return LatencyRow(
            group: group, alerts: rs.count, escalations: rs.reduce(0) { $0 + $1.escalation },
            response: LatencySummary(response), acknowledge: LatencySummary(ack),
            withinTarget: targeted.isEmpty ? nil : Double(within.count) / Double(targeted.count))
    }
}
