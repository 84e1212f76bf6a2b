import Hummingbird
import SeinhuisCore
import SeinhuisStore

extension HTTPAPI {
    /// Most alerts a page of the change feed holds, and the default.
    static let feedMaxLimit = 10_000
    static let feedDefaultLimit = 500

    /// The change feed of a queue (PROTOCOL 4.3, 1.1): `GET /api/v1/queues/{queue}/alerts?after_rev=R&limit=N`, every
    /// alert that has reached the queue and whose latest rev is above R, in its latest state, by rev, at most N
    /// (default 500), as `{"alerts": [...], "next_after_rev": R'}`: the highest rev of the page (R itself when it is
    /// empty), to ask for the next page with. The queue's role or an administrator.
    static func addChangeFeedRoute(to routes: RouterGroup<ConsoleContext>, store: APIStore) {
        routes.get("/api/v1/queues/{queue}/alerts") { request, context -> Response in
            let user = try context.requireUser()
            let name = try context.parameters.require("queue")
            guard let queue = Queue(rawValue: name) else {
                return error(.notFound, "no queue \(name); one of \(Queue.allCases.map(\.rawValue))")
            }
            guard user.role.queues.contains(queue) else {
                return error(.forbidden, "role \(user.role.rawValue) may not read queue \(queue.rawValue)")
            }
            let q = request.uri.queryParameters
            var afterRev: Int64 = 0
            if let text = q.get("after_rev") {
                guard let r = Int64(text), r >= 0 else {
                    return error(.badRequest, "after_rev must be a whole number, 0 or more, not \(text)")
                }
                afterRev = r
            }
            var limit = feedDefaultLimit
            if let text = q.get("limit") {
                guard let n = Int(text), (1...feedMaxLimit).contains(n) else {
                    return error(.badRequest, "limit must be a whole number from 1 to \(feedMaxLimit), not \(text)")
                }
                limit = n
            }
            let (r, n) = (afterRev, limit)
            let alerts = try await store.with { try $0.alerts(reached: queue, afterRev: r, limit: n) }
            var o = JSONObjectWriter()
            o.raw("alerts", "[" + alerts.map(\.json).joined(separator: ",") + "]")
            o.int("next_after_rev", alerts.last?.rev ?? afterRev)
            return json(o.finish())
        }
    }
}
