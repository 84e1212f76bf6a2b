import Hummingbird
import SeinhuisApp
import SeinhuisCore

extension LatencyQuery {
    /// The query of the dashboard and `GET /api/v1/latency`: `by`, `from`, `to`, `split_at`, `radex`.
    static func parse(_ q: Parameters, policy: RoutingPolicy = .v1) -> Result<LatencyQuery, HTTPAPI.Failure> {
        var query = LatencyQuery(policy: policy)
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
}
