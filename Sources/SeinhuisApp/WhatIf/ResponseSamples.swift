import SeinhuisCore
import SeinhuisStore

/// The responses a queue gave in the recorded period, per queue and severity (docs/WHATIF.md): each is the delay
/// from the moment the queue was reached to its first measure, or "none" for a queue that never recorded one.
public struct ResponseSamples: Sendable {
    struct Key: Hashable, Sendable {
        var queue: Queue
        var severity: Severity
    }

    /// Delays in milliseconds; nil: the queue was reached and never recorded a measure.
    private(set) var byKey: [Key: [Int64?]] = [:]
    private(set) var byQueue: [Queue: [Int64?]] = [:]

    /// The distribution used where a queue recorded no responses at all (of any severity): 1, 2, 3, 4, 5, 7, 10,
    /// 15, 20 and 40 minutes, equally likely (median 4m30s, p90 about 20 minutes), every alert answered.
    public static let defaultDelaysSeconds: [Int64] = [60, 120, 180, 240, 300, 420, 600, 900, 1200, 2400]

    /// Reads the recorded responses of `breaches`. A queue routed at once was reached at detection; one reached by
    /// escalation at the routing policy's first escalation (`policies` by version; a queue reached by escalation
    /// under a version unknown here is left out, its moment of reach is not known).
    public init(_ breaches: [StoredBreach], policies: [String: RoutingPolicy]) {
        // Gathered per (queue, severity) and per queue in the breaches' order, then kept by key: the same arrays, in
        // the same order, as appending to the dictionaries breach by breach, without hashing per breach.
        var bySlot = [[Int64?]](repeating: [], count: Queue.allCases.count * Self.severities)
        var ofQueue = [[Int64?]](repeating: [], count: Queue.allCases.count)
        var routes: [(policy: String, radex: Bool, severity: Severity, route: Route?)] = []
        for b in breaches {
            let route: Route?
            if let r = routes.first(where: { $0.policy == b.policy && $0.radex == b.radex && $0.severity == b.severity })
            {
                route = r.route
            } else {
                route = policies[b.policy]?.route(radex: b.radex, severity: b.severity)
                routes.append((b.policy, b.radex, b.severity, route))
            }
            for q in b.queues {
                let reached: Timestamp
                if b.queuesAtOnce.contains(q) {  // a few queues: no Set per breach
                    reached = b.detectedAt
                } else if let route {
                    reached = b.detectedAt + route.escalateAfterSeconds * 1000
                } else {
                    continue
                }
                let delay = b.handling[q]?.firstMeasureAt.map { max(0, $0 - reached) }
                bySlot[Self.slot(q, b.severity)].append(delay)
                ofQueue[q.ordinal].append(delay)
            }
        }
        for q in Queue.allCases where !ofQueue[q.ordinal].isEmpty {
            byQueue[q] = ofQueue[q.ordinal]
            for s in Severity.allCases where !bySlot[Self.slot(q, s)].isEmpty {
                byKey[Key(queue: q, severity: s)] = bySlot[Self.slot(q, s)]
            }
        }
        // What `draw` picks from, per slot: that queue and severity, else that queue, else nil (the default).
        table = (0..<bySlot.count).map { i in
            let queue = ofQueue[i / Self.severities]
            return !bySlot[i].isEmpty ? bySlot[i] : (queue.isEmpty ? nil : queue)
        }
    }

    /// Draws per (queue, severity), with the fallback to the queue's already applied.
    private var table: [[Int64?]?] = []

    static let severities = Severity.allCases.count
    static func slot(_ q: Queue, _ s: Severity) -> Int { q.ordinal * severities + s.ordinal }

    /// Where the draws for a queue and severity come from: `recorded` (that queue and severity), `queue` (that
    /// queue, any severity) or `default`.
    public func source(_ queue: Queue, _ severity: Severity) -> String {
        if byKey[Key(queue: queue, severity: severity)] != nil { return "recorded" }
        return byQueue[queue] != nil ? "queue" : "default"
    }

    /// One draw: the delay in milliseconds from reaching `queue` to its first measure, or nil (no measure).
    public func draw(_ queue: Queue, _ severity: Severity, _ rng: inout SplitMix64) -> Int64? {
        if !table.isEmpty, let s = table[Self.slot(queue, severity)] { return s[rng.index(below: s.count)] }
        return Self.defaultDelaysSeconds[rng.index(below: Self.defaultDelaysSeconds.count)] * 1000
    }
}
