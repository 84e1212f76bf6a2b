import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing

/// The review endpoints of the HTTP API (PROTOCOL 5, docs/API.md) on a real server.
@Suite("the review API", .serialized)
struct ReviewAPITests {
    func http(_ client: Client, _ method: String, _ path: String, _ body: String? = nil) async throws
        -> (Int, String, String)
    {
        // Signed in as a member of the cell (the review routes' role).
        let r = try await client.send(method, path, body, as: "kp")
        return (r.status, r.headers["Content-Type"] as? String ?? "", r.text)
    }

    @Test func reviewEndpoints() async throws {
        let db = temporaryDatabase()
        let today = ReviewFixtures.today()
        try ReviewFixtures.importDossiers(
            db,
            "[" + ReviewFixtures.dossier("D-A", device: "TAG-A", deadlineIn: -10, from: today) + ","
                + ReviewFixtures.dossier("D-B", device: "TAG-B", deadlineIn: 5, from: today) + "]")
        try addUser(db, "kp", .cell)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        var (status, _, body) = try await http(client, "GET", "/api/v1/reviews/due")
        #expect(status == 200)
        let due = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        #expect(due.map { $0["dossier"] as? String } == ["D-A", "D-B"])  // overdue first
        // Days over as serve counts them on its calendar day: today's, or tomorrow's if midnight just passed.
        let deadlineA = ReviewFixtures.deadline(in: -10, from: today).daysSinceEpoch
        let daysOver = [today, ReviewFixtures.today()].map { Int($0.daysSinceEpoch - deadlineA) }
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
            #"{"reviewer":"kp","date":"\#(day)","findings":"Stable <script>","decision":"adjust-conditions"}"#)
        #expect(status == 201)
        #expect(body.contains(#""decision":"adjust-conditions""#))
        let audit = try Store(path: db).auditTrail(subject: "D-A")
        #expect(audit.contains { $0.action == "review.record" && $0.actor == "kp" })

        (status, _, body) = try await http(client, "GET", "/api/v1/dossiers/D-A/reviews")
        #expect(status == 200 && body.contains(#""reviewer":"kp""#))
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
