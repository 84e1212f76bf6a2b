/// Where an alert goes at once, and where it goes when nobody responds (PROTOCOL 4.2).
public struct Route: Sendable, Equatable {
    public var queues: [Queue]
    /// Seconds without a recorded response before escalation.
    public var escalateAfterSeconds: Int64
    public var escalateTo: [Queue]
    /// Response target for the latency report's "share within target" (defaults to the escalation time).
    public var targetSeconds: Int64
    /// The queues whose measure stops the escalation (PROTOCOL 4.4, `stops_on`); nil: the first measure of any.
    public var stopsOn: Set<Queue>?

    public init(
        queues: [Queue], escalateAfterSeconds: Int64, escalateTo: [Queue], targetSeconds: Int64? = nil,
        stopsOn: Set<Queue>? = nil
    ) {
        self.queues = queues
        self.escalateAfterSeconds = escalateAfterSeconds
        self.escalateTo = escalateTo
        self.targetSeconds = targetSeconds ?? escalateAfterSeconds
        self.stopsOn = stopsOn
    }
}

/// A versioned routing policy: the seiningsprocedure as data. Every alert records the version that routed it.
public struct RoutingPolicy: Sendable, Equatable {
    public var version: String
    public var maxEscalations: Int
    /// Rules matched in order; the first whose radex flag and severities match applies.
    public var rules: [Rule]

    /// Where alerts of a dossier kind (radex or not) and of some severities go.
    public struct Rule: Sendable, Equatable {
        /// nil matches both radex and other dossiers.
        public var radex: Bool?
        public var severities: Set<Severity>
        public var route: Route
        public init(radex: Bool?, severities: Set<Severity>, route: Route) {
            self.radex = radex
            self.severities = severities
            self.route = route
        }
    }

    public init(version: String, maxEscalations: Int, rules: [Rule]) {
        self.version = version
        self.maxEscalations = maxEscalations
        self.rules = rules
    }

    /// The route for an alert; an unmatched alert goes to `vcet` (nothing is ever routed nowhere).
    public func route(radex: Bool, severity: Severity) -> Route {
        for r in rules where (r.radex == nil || r.radex == radex) && r.severities.contains(severity) {
            return r.route
        }
        return Route(queues: [.vcet], escalateAfterSeconds: 1800, escalateTo: [.vcet])
    }

    /// The default seiningsprocedure of PROTOCOL 4.2.
    public static let v1 = RoutingPolicy(
        version: "v1", maxEscalations: 3,
        rules: [
            Rule(
                radex: true, severities: [.critical, .high],
                route: Route(
                    queues: [.vcet, .coordinator, .cic, .police], escalateAfterSeconds: 300,
                    escalateTo: [.vcet, .coordinator, .cic, .police])),
            Rule(
                radex: true, severities: [.medium, .low],
                route: Route(queues: [.vcet, .coordinator], escalateAfterSeconds: 900, escalateTo: [.cic, .police])),
            Rule(
                radex: false, severities: [.critical],
                route: Route(queues: [.vcet], escalateAfterSeconds: 600, escalateTo: [.police])),
            Rule(
                radex: false, severities: [.high, .medium, .low],
                route: Route(queues: [.vcet], escalateAfterSeconds: 1800, escalateTo: [.vcet])),
        ])
}
