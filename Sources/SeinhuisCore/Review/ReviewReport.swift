/// The review report of one dossier (PROTOCOL 5): the period since the previous review, as pure data. Built by
/// `ReviewReport.build` from what the store holds; rendered to HTML, Markdown and CSV by the service.
public struct ReviewReport: Sendable {
    /// A span of local calendar days, [from, to), with the instants it covers.
    public struct Period: Sendable, Equatable {
        public var from: LocalDate
        /// Exclusive: the day after the last day covered.
        public var to: LocalDate
        public var start: Timestamp
        public var end: Timestamp
        public var days: Int { Int(to.daysSinceEpoch - from.daysSinceEpoch) }
        public func contains(_ t: Timestamp) -> Bool { start <= t && t < end }
    }

    /// One breach alert of the period (the timeline's dots and the breach tables).
    public struct Breach: Sendable, Equatable {
        public var alertID: String
        public var kind: AlertKind
        public var severity: Severity
        public var device: String
        public var zone: String?
        public var at: Timestamp
        public var clearedAt: Timestamp?
        public var state: AlertState
        public var escalation: Int
        public var queues: [Queue]
        /// Detected to the first measure, in milliseconds; nil if unanswered.
        public var responseMs: Int64?
    }

    public struct Count: Sendable, Equatable {
        public var key: String
        public var count: Int
    }

    /// A re-import of the dossier within the period and what it changed.
    public struct ConditionChange: Sendable, Equatable {
        public var version: Int64
        public var at: Timestamp
        public var by: String
        public var changes: [String]
    }

    /// Something the cell should look at: an alert not closed, a breach still open, a review overdue.
    public struct OpenItem: Sendable, Equatable {
        public var alertID: String
        public var what: String
        public var since: Timestamp
        public var state: String
    }

    public var generatedAt: Timestamp
    public var dossier: Dossier
    public var version: Int64
    /// The current conditions in words (curfew windows, zones), one line each.
    public var conditions: [String]
    public var period: Period
    /// The period before the previous review (for the latency comparison); nil if there was none.
    public var previousPeriod: Period?
    /// Where the dossier stands in its review cycle on the report's last day (nil: out of review scope).
    public var position: ReviewPosition?
    public var conditionChanges: [ConditionChange]
    public var breaches: [Breach]
    /// Per breach kind, per severity (critical first).
    public var breachesByKind: [Count]
    public var breachesBySeverity: [Count]
    /// Breach alerts per queue they reached (an alert counts in every queue).
    public var alertsPerQueue: [Count]
    /// Review notices of the period, per kind.
    public var notices: [Count]
    public var escalatedAlerts: Int
    public var escalations: Int
    /// Measures recorded in the period, per measure.
    public var measures: [Count]
    public var answered: Int
    public var unanswered: Int
    public var latency: LatencySummary
    public var previousLatency: LatencySummary?
    public var acknowledge: LatencySummary
    public var communicationLossEpisodes: Int
    public var communicationLossMs: Int64
    public var longestCommunicationLossMs: Int64
    public var openItems: [OpenItem]
    /// The review the period starts from (its findings), if it was recorded in Seinhuis.
    public var previousReview: RecordedReview?
    /// The `last_review` of the imported dossier, when the period starts from it (no findings recorded here).
    public var importedLastReview: LocalDate?
}

/// What the report is built from: everything the store holds about the dossier, unfiltered.
public struct ReviewReportInput: Sendable {
    public var dossier: Dossier
    public var version: Int64
    /// Every stored version, oldest first, with the parsed conditions (nil if a stored version no longer parses).
    public var versions: [(version: Int64, importedAt: Timestamp, by: String, dossier: Dossier?)]
    /// Every alert of the dossier (breaches and notices).
    public var alerts: [Alert]
    /// The handling moments of the breach alerts.
    public var latency: [LatencyRecord]
    /// Every measure recorded on the dossier's alerts: alert id, measure, when.
    public var measures: [(alertID: String, measure: Measure, at: Timestamp)]
    public var reviews: [RecordedReview]
    public var scope: ReviewScope

    public init(
        dossier: Dossier, version: Int64,
        versions: [(version: Int64, importedAt: Timestamp, by: String, dossier: Dossier?)], alerts: [Alert],
        latency: [LatencyRecord], measures: [(alertID: String, measure: Measure, at: Timestamp)],
        reviews: [RecordedReview], scope: ReviewScope
    ) {
        self.dossier = dossier
        self.version = version
        self.versions = versions
        self.alerts = alerts
        self.latency = latency
        self.measures = measures
        self.reviews = reviews
        self.scope = scope
    }
}

extension ReviewReport {
    /// Builds the report for the period since the previous review, up to and including the local day of `asOf`.
    public static func build(_ input: ReviewReportInput, asOf: Timestamp) -> ReviewReport {
        let d = input.dossier
        let clock = ReviewSubject.clock(d.timezone)
        let today = LocalDate(daysSinceEpoch: clock.localDay(at: asOf.milliseconds))
        let reviews = input.reviews.filter { $0.review.date <= today }.sorted {
            ($0.review.date, $0.id) < ($1.review.date, $1.id)
        }
        let (period, previous) = periods(d, reviews: reviews, today: today, clock: clock)
        let subject = ReviewSubject(d, reviews: input.reviews.map { ($0.review.date, $0.review.decision == .end) })

        let breachAlerts = input.alerts.filter { $0.device != nil }
        let inPeriod = breachAlerts.filter { period.contains($0.eventTs) }
        let breaches = breachList(inPeriod, latency: input.latency)
        let ids = Set(inPeriod.map(\.id))
        let acks = input.latency.filter { ids.contains($0.alertID) }.compactMap { r in
            r.acknowledgedAt.map { $0 - r.detectedAt }
        }
        let loss = communicationLoss(breachAlerts, in: period)
        let previousReview = reviews.last(where: { $0.review.date == period.from })
        return ReviewReport(
            generatedAt: asOf, dossier: d, version: input.version, conditions: describeConditions(d), period: period,
            previousPeriod: previous, position: subject.position(on: today, scope: input.scope),
            conditionChanges: changes(input.versions, in: period), breaches: breaches,
            breachesByKind: counts(inPeriod.map(\.kind.rawValue)),
            breachesBySeverity: counts(inPeriod.map(\.severity.rawValue), order: Severity.allCases.map(\.rawValue)),
            alertsPerQueue: counts(
                inPeriod.flatMap { $0.queues.map(\.rawValue) }, order: Queue.allCases.map(\.rawValue)),
            notices: counts(
                input.alerts.filter { $0.device == nil && period.contains($0.eventTs) }.map(\.kind.rawValue),
                order: ReviewNotice.Kind.allCases.map(\.rawValue)),
            escalatedAlerts: inPeriod.filter { $0.escalation > 0 }.count,
            escalations: inPeriod.reduce(0) { $0 + $1.escalation },
            measures: counts(input.measures.filter { ids.contains($0.alertID) }.map(\.measure.rawValue)),
            answered: breaches.filter { $0.responseMs != nil }.count,
            unanswered: breaches.filter { $0.responseMs == nil }.count,
            latency: LatencySummary(responseTimes(breachAlerts, input.latency, in: period)),
            previousLatency: previous.map { LatencySummary(responseTimes(breachAlerts, input.latency, in: $0)) },
            acknowledge: LatencySummary(acks),
            communicationLossEpisodes: loss.episodes, communicationLossMs: loss.total,
            longestCommunicationLossMs: loss.longest, openItems: openItems(input.alerts, before: period.end),
            previousReview: previousReview,
            importedLastReview: previousReview == nil && d.lastReview == period.from ? period.from : nil)
    }

    /// The period since the latest of the days a review cycle starts from (the start, an imported `last_review`,
    /// each recorded review) up to and including `today`, and the period before it, if any.
    static func periods(_ d: Dossier, reviews: [RecordedReview], today: LocalDate, clock: LocalClock)
        -> (Period, Period?)
    {
        func instant(_ day: LocalDate) -> Timestamp {
            Timestamp(milliseconds: clock.instant(day: day.daysSinceEpoch, minutes: 0))
        }
        var bases = [d.start]
        if let l = d.lastReview, l <= today { bases.append(l) }
        bases += reviews.map(\.review.date)
        bases = Array(Set(bases)).sorted()
        let from = bases.last!
        let end = today.adding(days: 1)
        let period = Period(from: from, to: end, start: instant(from), end: instant(end))
        var previous: Period?
        if bases.count >= 2 {
            let p = bases[bases.count - 2]
            previous = Period(from: p, to: from, start: instant(p), end: instant(from))
        }
        return (period, previous)
    }

    /// The breach alerts of the period as the report's breaches, with their response time.
    static func breachList(_ alerts: [Alert], latency: [LatencyRecord]) -> [Breach] {
        let latencyByID = Dictionary(latency.map { ($0.alertID, $0) }, uniquingKeysWith: { a, _ in a })
        return alerts.map { a in
            Breach(
                alertID: a.id, kind: a.kind, severity: a.severity, device: a.device ?? "", zone: a.zone,
                at: a.eventTs, clearedAt: a.clearedAt, state: a.state, escalation: a.escalation, queues: a.queues,
                responseMs: latencyByID[a.id]?.respondedAt.map { $0 - a.detectedAt })
        }
    }

    /// How often each key occurs: in `order` when given, else most frequent first (then by key).
    static func counts(_ keys: [String], order: [String]? = nil) -> [Count] {
        var c: [String: Int] = [:]
        for k in keys { c[k, default: 0] += 1 }
        let keys = order.map { $0.filter { c[$0] != nil } } ?? c.keys.sorted { (c[$1]!, $0) < (c[$0]!, $1) }
        return keys.map { Count(key: $0, count: c[$0]!) }
    }

    /// Breach-to-response times of the breaches that began in a period (the same alerts the breach tables count).
    static func responseTimes(_ breachAlerts: [Alert], _ latency: [LatencyRecord], in p: Period) -> [Int64] {
        let began = Set(breachAlerts.filter { p.contains($0.eventTs) }.map(\.id))
        return latency.filter { began.contains($0.alertID) }.compactMap { r in
            r.respondedAt.map { $0 - r.detectedAt }
        }
    }

    /// Communication loss: each episode's overlap with the period (an episode still open runs to the period's end).
    static func communicationLoss(_ breachAlerts: [Alert], in period: Period)
        -> (episodes: Int, total: Int64, longest: Int64)
    {
        var episodes = 0
        var total: Int64 = 0
        var longest: Int64 = 0
        for a in breachAlerts where a.kind == .breach(.communication_loss) {
            let s = max(a.eventTs, period.start)
            let e = min(a.clearedAt ?? period.end, period.end)
            guard s < e else { continue }
            episodes += 1
            total += e - s
            longest = max(longest, e - s)
        }
        return (episodes, total, longest)
    }

    /// The alerts not closed that began before `end`: what they are, since when, their state.
    static func openItems(_ alerts: [Alert], before end: Timestamp) -> [OpenItem] {
        alerts.filter { $0.state != .closed && $0.eventTs < end }.map { a in
            var what = a.kind.rawValue + (a.device.map { " (\($0)" + (a.zone.map { ", \($0)" } ?? "") + ")" } ?? "")
            if let dl = a.deadline { what += " (deadline \(dl))" }
            if a.device != nil, a.clearedAt == nil { what += ", breach still open" }
            return OpenItem(alertID: a.id, what: what, since: a.eventTs, state: a.state.rawValue)
        }
    }

    /// The conditions in words, one line per curfew window and zone.
    public static func describeConditions(_ d: Dossier) -> [String] {
        var out: [String] = []
        out.append("home: within \(Int(d.home.radiusMetres)) m")
        for w in d.curfew { out.append("curfew: \(window(w))") }
        for z in d.zones {
            let shape: String
            switch z.shape {
            case .circle(let c): shape = "circle of \(Int(c.radiusMetres)) m"
            case .polygon(let p): shape = "polygon of \(p.vertices.count) points"
            }
            let when = z.schedule.isEmpty ? "always" : z.schedule.map(window).joined(separator: "; ")
            out.append("\(z.kind.rawValue) zone \(z.id): \(shape), \(when)")
        }
        out.append("communication timeout: \(d.commsTimeoutSeconds) s")
        return out
    }

    static func window(_ w: TimeWindow) -> String {
        w.days.map(\.name).joined(separator: ",") + " " + TimeWindow.clockText(w.from) + "-"
            + TimeWindow.clockText(w.to)
    }

    /// The re-imports within the period, each compared with the version before it.
    static func changes(
        _ versions: [(version: Int64, importedAt: Timestamp, by: String, dossier: Dossier?)], in p: Period
    ) -> [ConditionChange] {
        var out: [ConditionChange] = []
        for (i, v) in versions.enumerated() where i > 0 && p.contains(v.importedAt) {
            var what: [String] = []
            if let old = versions[i - 1].dossier, let new = v.dossier {
                what = diff(old, new)
            } else {
                what = ["conditions replaced"]
            }
            out.append(ConditionChange(version: v.version, at: v.importedAt, by: v.by, changes: what))
        }
        return out
    }

    /// What changed between two versions of a dossier, in words.
    public static func diff(_ a: Dossier, _ b: Dossier) -> [String] {
        var out: [String] = []
        if a.curfew != b.curfew {
            let w = b.curfew.isEmpty ? "none" : b.curfew.map(window).joined(separator: "; ")
            out.append("curfew now \(w)")
        }
        let oldZones = Dictionary(a.zones.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let newZones = Dictionary(b.zones.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        for z in b.zones where oldZones[z.id] == nil { out.append("zone \(z.id) added (\(z.kind.rawValue))") }
        for z in a.zones where newZones[z.id] == nil { out.append("zone \(z.id) removed") }
        for z in b.zones { if let o = oldZones[z.id], o != z { out.append("zone \(z.id) changed") } }
        if a.home != b.home { out.append("home changed") }
        if a.end != b.end { out.append("end \(a.end?.description ?? "none") -> \(b.end?.description ?? "none")") }
        if a.devices != b.devices {
            out.append("devices \(a.devices.joined(separator: " ")) -> \(b.devices.joined(separator: " "))")
        }
        if a.commsTimeoutSeconds != b.commsTimeoutSeconds {
            out.append("communication timeout \(a.commsTimeoutSeconds) s -> \(b.commsTimeoutSeconds) s")
        }
        if a.radex != b.radex { out.append("radex \(a.radex) -> \(b.radex)") }
        if a.mandate != b.mandate { out.append("mandate \(a.mandate.rawValue) -> \(b.mandate.rawValue)") }
        if a.lastReview != b.lastReview {
            out.append("last_review \(a.lastReview?.description ?? "none") -> \(b.lastReview?.description ?? "none")")
        }
        if a.rules != b.rules { out.append("false-alarm limits changed") }
        if a.timezone != b.timezone { out.append("time zone \(a.timezone) -> \(b.timezone)") }
        if a.start != b.start { out.append("start \(a.start) -> \(b.start)") }
        return out.isEmpty ? ["no change of conditions"] : out
    }
}
