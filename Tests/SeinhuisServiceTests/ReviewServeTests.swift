import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisCore
import SeinhuisService
import SeinhuisStore
import Testing
import ZeroMQ

/// Review notices raised by `serve` on its receive clock (PROTOCOL 5), and the review endpoints of the HTTP API.
@Suite("review notices in serve, and the review API", .serialized)
struct ReviewServeTests {
    /// Today in Brussels, the dossiers' time zone, as serve counts days (PROTOCOL 5: the dossier's calendar). The
    /// UTC date is a day behind from 22:00 or 23:00 UTC to midnight.
    static func today() -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Brussels")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// The start of a dossier whose six months end about `days` after `today`: six calendar months before that
    /// day. Months clamp to their end, so the deadline can come up to 3 days earlier (today - 10 = 31 December:
    /// start 30 June, deadline 30 December); `deadline(in:from:)` gives it exactly.
    static func start(deadlineIn days: Int, from today: LocalDate) -> LocalDate {
        ReviewCalendar.adding(months: -6, to: today.adding(days: days))
    }

    static func deadline(in days: Int, from today: LocalDate) -> LocalDate {
        ReviewCalendar.deadline(from: start(deadlineIn: days, from: today))
    }

    /// A radex dossier whose six months (from `start`) end about `deadlineIn` days after `today` (the test keeps
    /// clear of the statuses' boundaries by using deadlines days away). Each test reads `today` once, so that its
    /// dossiers and its expectations agree even if Brussels midnight passes while it runs.
    static func dossier(
        _ id: String, device: String, deadlineIn days: Int, radex: Bool = true, from today: LocalDate
    ) -> String {
        let start = start(deadlineIn: days, from: today)
        return """
            {"id":"\(id)","subject":"S-\(id)","radex":\(radex),"mandate":"pretrial","start":"\(start)",
             "timezone":"Europe/Brussels","devices":["\(device)"],"home":{"lat":51.0,"lon":3.7,"radius_m":100},
             "comms_timeout_s":86400}
            """
    }

    func importDossiers(_ db: String, _ json: String) throws {
        try DossierImport.run(
            data: Data(json.utf8), source: "test", store: try Store(path: db), by: "test", at: .init(milliseconds: 0))
    }

    func drain(_ sub: ZMQSocket, for ms: Int) throws -> [(String, String)] {
        var out: [(String, String)] = []
        try sub.setReceiveTimeout(Int32(ms))
        while let m = try sub.receiveMessage() {
            out.append((String(decoding: m[0], as: UTF8.self), String(decoding: m[1], as: UTF8.self)))
        }
        return out
    }

    @Test func noticesGoToTheirQueuesOnceAndStopWhenAReviewIsRecorded() async throws {
        let db = temporaryDatabase()
        let today = Self.today()
        try importDossiers(db, "[" + Self.dossier("D-OK", device: "TAG-OK", deadlineIn: 100, from: today) + "]")
        let server = RunningServer(db: db)
        try await server.start()
        let ctx = try ZMQContext()
        let sub = try ZMQSocket(ctx, .sub)
        try sub.subscribe("")
        try sub.connect(server.config.alertsEndpoint)
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        // Wait until the subscription has propagated (a probe alert arrives).
        var seq = 1
        var probed = false
        while !probed && seq < 60 {
            try push.send(frame("TAG-OK", seq, "strap", #","state":"opened""#))
            try push.send(frame("TAG-OK", seq + 1, "strap", #","state":"closed""#))
            seq += 2
            probed = !(try drain(sub, for: 100)).isEmpty
        }
        #expect(probed)
        #expect(try Store(path: db).alerts().allSatisfy { $0.device != nil })  // D-OK is not due: no notice

        // Another process imports an overdue and a due dossier: serve notices within about a second.
        try importDossiers(
            db,
            "[" + Self.dossier("D-OVER", device: "TAG-OVER", deadlineIn: -3, from: today) + ","
                + Self.dossier("D-DUE", device: "TAG-DUE", deadlineIn: 12, from: today) + ","
                + Self.dossier("D-OTHER", device: "TAG-OTHER", deadlineIn: -3, radex: false, from: today) + "]")
        var got: [(String, String)] = []
        for _ in 0..<40 where got.count < 3 { got += try drain(sub, for: 100).filter { $0.1.contains("review_") } }
        let overdue = got.filter { $0.1.contains(#""breach":"review_overdue""#) }
        let due = got.filter { $0.1.contains(#""breach":"review_due""#) }
        #expect(Set(overdue.map(\.0)) == ["cell", "coordinator"])
        #expect(overdue.allSatisfy { $0.1.contains(#""dossier":"D-OVER""#) && $0.1.contains(#""severity":"medium""#) })
        #expect(overdue.allSatisfy { $0.1.contains(#""device":null"#) })
        #expect(overdue.first?.1.contains(#""deadline":"\#(Self.deadline(in: -3, from: today))""#) == true)
        #expect(due.map(\.0) == ["cell"])
        #expect(due.first?.1.contains(#""severity":"low""#) == true)
        #expect(!got.contains { $0.1.contains("D-OTHER") })  // not radex: out of the default scope

        // A review recorded by another process ends the cycle: its notice is cleared, nothing more is raised.
        let store = try Store(path: db)
        _ = try ReviewDesk.record(
            store, dossier: "D-OVER", reviewer: "cell member", date: today.adding(days: -1).description,
            findings: "reviewed", decision: "continue", by: "test",
            at: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        let later = try drain(sub, for: 1500).filter { $0.1.contains("review_") }
        #expect(later.isEmpty)
        try await server.stop()
        let notices = try store.alerts().filter { $0.device == nil }
        #expect(notices.count == 2)
        #expect(notices.first { $0.dossier == "D-OVER" }?.clearedAt != nil)
        #expect(notices.first { $0.dossier == "D-DUE" }?.clearedAt == nil)

        // A restart raises nothing twice.
        let again = RunningServer(db: db)
        try await again.start()
        try await Task.sleep(for: .milliseconds(300))
        try await again.stop()
        #expect(try Store(path: db).alerts().filter { $0.device == nil }.count == 2)
    }

    func http(_ client: Client, _ method: String, _ path: String, _ body: String? = nil) async throws
        -> (Int, String, String)
    {
        // Signed in as a member of the cell (the review routes' role).
        let r = try await client.send(method, path, body, as: "kp")
        return (r.status, r.headers["Content-Type"] as? String ?? "", r.text)
    }

    @Test func reviewEndpoints() async throws {
        let db = temporaryDatabase()
        let today = Self.today()
        try importDossiers(
            db,
            "[" + Self.dossier("D-A", device: "TAG-A", deadlineIn: -10, from: today) + ","
                + Self.dossier("D-B", device: "TAG-B", deadlineIn: 5, from: today) + "]")
        try addUser(db, "kp", .cell)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        var (status, _, body) = try await http(client, "GET", "/api/v1/reviews/due")
        #expect(status == 200)
        let due = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        #expect(due.map { $0["dossier"] as? String } == ["D-A", "D-B"])  // overdue first
        // Days over as serve counts them on its calendar day: today's, or tomorrow's if midnight just passed.
        let deadlineA = Self.deadline(in: -10, from: today).daysSinceEpoch
        let daysOver = [today, Self.today()].map { Int($0.daysSinceEpoch - deadlineA) }
        #expect((10...13).contains(daysOver[0]))
        #expect(daysOver.contains(due.first?["days_over"] as? Int ?? -1))
        (status, _, body) = try await http(client, "GET", "/api/v1/reviews/due?as_of=nonsense")
        #expect(status == 400)

        (status, _, body) = try await http(client, "POST", "/api/v1/dossiers/D-A/reviews", #"{"reviewer":"kp"}"#)
        #expect(status == 400)
        #expect(body.contains("the findings are required") && body.contains("the date is required"))
        let future = today.adding(days: 3)
        (status, _, body) = try await http(
            client, "POST", "/api/v1/dossiers/D-A/reviews",
            #"{"reviewer":"kp","date":"\#(future)","findings":"x","decision":"continue"}"#)
        #expect(status == 400)
        #expect(body.contains("in the future"))
        (status, _, body) = try await http(
            client, "POST", "/api/v1/dossiers/D-NOPE/reviews",
            #"{"reviewer":"kp","date":"2026-01-01","findings":"x","decision":"continue"}"#)
        #expect(status == 404)
        let day = today.adding(days: -1)
        (status, _, body) = try await http(
            client, "POST", "/api/v1/dossiers/D-A/reviews",
            #"{"reviewer":"K. Peeters","date":"\#(day)","findings":"Stable <script>","decision":"adjust-conditions"}"#)
        #expect(status == 201)
        #expect(body.contains(#""decision":"adjust-conditions""#))
        let audit = try Store(path: db).auditTrail(subject: "D-A")
        #expect(audit.contains { $0.action == "review.record" && $0.actor == "kp" })

        (status, _, body) = try await http(client, "GET", "/api/v1/dossiers/D-A/reviews")
        #expect(status == 200 && body.contains("K. Peeters"))
        (status, _, body) = try await http(client, "GET", "/api/v1/reviews/due")
        #expect(!body.contains("D-A"))  // the review moved its deadline

        var type: String
        (status, type, body) = try await http(client, "GET", "/api/v1/dossiers/D-A/review-report")
        #expect(status == 200 && type.hasPrefix("text/html"))
        #expect(body.contains("Stable &lt;script&gt;") && !body.contains("<script>"))
        (status, type, body) = try await http(client, "GET", "/api/v1/dossiers/D-A/review-report?format=csv")
        #expect(type.hasPrefix("text/csv") && body.hasPrefix("section,item,value,previous"))
        (status, _, _) = try await http(client, "GET", "/api/v1/dossiers/D-A/review-report?format=pdf")
        #expect(status == 400)

        (status, _, body) = try await http(client, "GET", "/api/v1/dossiers?radex=true")
        let overview = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        #expect(overview.count == 2)
        #expect((overview.first?["review"] as? [String: Any])?["status"] as? String == "ok")
        try await server.stop()
    }
}
