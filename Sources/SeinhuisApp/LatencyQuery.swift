import SeinhuisCore
import SeinhuisStore

/// The latency figures of PROTOCOL 4.4 over a period: what `seinhuis report latency`, the console's dashboard and
/// `GET /api/v1/latency` select and group. Each alert's response target comes from the policy version that routed
/// it (`policies`: v1 and the one in force).
public struct LatencyQuery: Sendable {
    public var by: LatencyDimension = .queue
    public var from: Timestamp = .distantPast
    public var to: Timestamp = .distantFuture
    public var splitAt: Timestamp?
    public var radexOnly = false
    public var policies: [String: RoutingPolicy] = [RoutingPolicy.v1.version: .v1]

    /// A query grouped by queue over all time, knowing the built-in policy and `policy` (the one in force).
    public init(policy: RoutingPolicy = .v1) {
        policies[policy.version] = policy
    }

    /// A date (`2026-07-01`, UTC midnight) or an RFC 3339 time.
    public static func time(_ s: String) -> Timestamp? {
        Timestamp(rfc3339: s) ?? Timestamp(rfc3339: s + "T00:00:00Z")
    }

    /// The breach alerts detected in [from, to) (only radex ones with `radexOnly`), with their targets.
    public func records(_ store: Store) throws -> [LatencyRecord] {
        let all = try store.latencyRecords(from: from, to: to) { version, radex, severity in
            policies[version]?.route(radex: radex, severity: severity).targetSeconds
        }
        return radexOnly ? all.filter(\.radex) : all
    }

    /// The report's rows: `records` grouped `by`.
    public func rows(_ store: Store) throws -> [LatencyRow] {
        LatencyReport.rows(try records(store), by: by, splitAt: splitAt)
    }
}
