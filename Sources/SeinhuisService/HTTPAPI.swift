import Hummingbird
import Logging
import SeinhuisCore
import SeinhuisStore

/// The HTTP endpoints of `serve`: Prometheus metrics, health, and the alert catch-up API (PROTOCOL 4.3).
enum HTTPAPI {
    static func router(metrics: PipelineMetrics, store: ReadStore) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/healthz") { _, _ -> String in "ok\n" }
        // Catch-up for consumers that were away: alerts of a queue after a given id, oldest first.
        router.get("/api/v1/alerts") { request, _ -> Response in
            let q = request.uri.queryParameters
            var filter = Store.AlertFilter()
            if let queue = q.get("queue") {
                guard let parsed = Queue(rawValue: queue) else {
                    return error(.badRequest, "unknown queue \(queue); one of \(Queue.allCases.map(\.rawValue))")
                }
                filter.queue = parsed
            }
            if let state = q.get("state") {
                guard let parsed = AlertState(rawValue: state) else {
                    return error(.badRequest, "unknown state \(state)")
                }
                filter.state = parsed
            }
            filter.afterID = q.get("after")
            filter.limit = min(q.get("limit", as: Int.self) ?? 1000, 10_000)
            let f = filter
            let alerts = try await store.with { try $0.alerts(f) }
            return json("[" + alerts.map(\.json).joined(separator: ",") + "]")
        }
        return router
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var o = JSONObjectWriter()
        o.string("error", message)
        return json(o.finish(), status: status)
    }
}
