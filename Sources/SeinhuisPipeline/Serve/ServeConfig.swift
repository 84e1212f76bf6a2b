import SeinhuisCore
import SeinhuisStore

/// Everything `serve` can be told; defaults are PROTOCOL section 1's.
public struct ServeConfig: Sendable {
    public var databasePath = Store.defaultPath
    public var durability = Database.Durability.normal
    public var ingestEndpoint = "tcp://127.0.0.1:7460"
    public var reliableEndpoint = "tcp://127.0.0.1:7461"
    public var alertsEndpoint = "tcp://127.0.0.1:7462"
    public var httpHost = "127.0.0.1"
    public var httpPort = 8460
    /// `--http-origin`: origins beside serve's own (`http://` and the request's Host) from which the console's
    /// state-changing requests are accepted, such as a reverse proxy's `https://console.example` (docs/TRUST.md).
    public var httpOrigins: [String] = []
    /// How long a console session lasts from login.
    public var sessionHours: Int64 = 12
    /// Most frames taken from the sockets before one commit.
    public var maxBatch = 8192
    /// How long events from the PULL endpoint may wait in memory for a commit when their turn has nothing urgent
    /// (no alert to publish, no reliable batch to acknowledge). The PULL endpoint is unacknowledged and may lose
    /// what is in flight (PROTOCOL 2.3); grouping its commits saves most of a commit's cost per turn at moderate
    /// load. An alert's commit always carries every event before it.
    public var pullCommitDelayMs: Int64 = 5
    /// An event more than this far ahead of the receive clock is stored, not evaluated (PROTOCOL 2.1).
    public var maxClockSkewMs: Int64 = 5 * 60 * 1000
    public var policy = RoutingPolicy.v1
    public var rules = RuleConfig()
    /// Which dossiers get review notices (PROTOCOL 5): radex ones, or every ET dossier.
    public var reviewScope = ReviewScope.radex
    /// A snapshot of the pipeline's state is committed after this many events (PROTOCOL 2.4: start-up reads the
    /// latest snapshot and the journal after it, so this bounds the journal read at start) ...
    public var snapshotEvents = 500_000
    /// ... or this long after the previous one, if any event came since.
    public var snapshotIntervalMs: Int64 = 60_000
    /// Events are purged this many days after their `ts`, but for alerts' evidence (PROTOCOL 7); stored as meta
    /// `retention_days` so that `seinhuis retention run` uses the same setting.
    public var retentionDays: Int64 = RetentionPlan.defaultDays
    /// The first purge runs this long after serve is ready, ...
    public var retentionFirstRunMs: Int64 = 60_000
    /// ... then every this long.
    public var retentionEveryMs: Int64 = 86_400_000
    /// How the purge paces its transactions beside ingest.
    public var retentionBatching = RetentionBatching()
    /// `--curve DIR`: CURVE on every ZeroMQ endpoint with these keys (PROTOCOL 7); nil: plain ZMTP, loopback only.
    public var curve: CurveKeys?
    /// `--insecure`: bind non-loopback endpoints without CURVE.
    public var insecure = false

    public init() {}

    /// What the pipeline is told.
    public var pipelineSettings: PipelineSettings {
        var s = PipelineSettings()
        s.rules = rules
        s.policy = policy
        s.maxClockSkewMs = maxClockSkewMs
        s.reviewScope = reviewScope
        return s
    }
}
