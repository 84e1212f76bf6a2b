import Hummingbird
import SeinhuisCore
import SeinhuisStore

/// The latency figures the dashboard and `GET /api/v1/latency` show: PROTOCOL 4.4's report over a period.
struct LatencyQuery: Sendable {
    var by: LatencyDimension = .queue
    var from: Timestamp = .distantPast
    var to: Timestamp = .distantFuture
    var splitAt: Timestamp?
    var radexOnly = false
    var policies: [String: RoutingPolicy] = [RoutingPolicy.v1.version: .v1]

    static func time(_ s: String) -> Timestamp? {
        Timestamp(rfc3339: s) ?? Timestamp(rfc3339: s + "T00:00:00Z")
    }

    static func parse(_ q: Parameters, policy: RoutingPolicy = .v1) -> Result<LatencyQuery, HTTPAPI.Failure> {
        var query = LatencyQuery()
        query.policies[policy.version] = policy
        if let by = q.get("by") {
            guard let d = LatencyDimension(rawValue: by) else {
                return .failure(.init(.badRequest, "by must be one of \(LatencyDimension.allCases.map(\.rawValue))"))
            }
            query.by = d
        }
        for (name, keyPath) in [("from", \LatencyQuery.from), ("to", \LatencyQuery.to)] {
            guard let text = q.get(name), !text.isEmpty else { continue }
            guard let t = time(text) else {
                return .failure(.init(.badRequest, "\(name) must be a date (2026-07-01) or an RFC 3339 time"))
            }
            query[keyPath: keyPath] = t
        }
        if let split = q.get("split_at"), !split.isEmpty {
            guard let t = time(split) else {
                return .failure(.init(.badRequest, "split_at must be a date (2026-07-01) or an RFC 3339 time"))
            }
            query.splitAt = t
        }
        if query.by == .period && query.splitAt == nil {
            return .failure(.init(.badRequest, "by=period needs split_at"))
        }
        query.radexOnly = q.get("radex") == "true"
        return .success(query)
    }

    func records(_ store: Store) throws -> [LatencyRecord] {
        let all = try store.latencyRecords(from: from, to: to) { version, radex, severity in
            policies[version]?.route(radex: radex, severity: severity).targetSeconds
        }
        return radexOnly ? all.filter(\.radex) : all
    }

    func rows(_ store: Store) throws -> [LatencyRow] {
        LatencyReport.rows(try records(store), by: by, splitAt: splitAt)
    }
}
