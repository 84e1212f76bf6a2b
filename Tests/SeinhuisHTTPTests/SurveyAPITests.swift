import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing

/// The survey over real HTTP on a real server: answering once per round, refusals, results per role, the pages.
@Suite("the survey API and pages", .serialized)
struct SurveyAPITests {
    func setUp() async throws -> (String, RunningServer, Client, Int64) {
        let db = temporaryDatabase()
        for (name, role) in [
            ("anna", Role.operator), ("kp", .cell), ("pol", .police), ("o2", .operator), ("o3", .operator),
        ] {
            try addUser(db, name, role)
        }
        let round = try SurveyDesk.open(
            try Store(path: db), title: "Ronde", questions: ["Duidelijk?", "Sneller?"], by: "root",
            role: .admin, at: Timestamp(milliseconds: 0))
        let server = RunningServer(db: db)
        try await server.start()
        return (db, server, Client(server), round.id)
    }

    @Test func answeringOnceARoundAndTheRefusals() async throws {
        let (db, server, client, id) = try await setUp()
        let path = "/api/v1/surveys/\(id)/answers"
        var r = try await client.send("POST", path, #"{"answers":[4,6]}"#, as: "anna")
        #expect(r.status == 400 && r.error.contains("question 2 must be 1 to 5, not 6"))
        r = try await client.send("POST", path, #"{"answers":[4]}"#, as: "anna")
        #expect(r.status == 400 && r.error.contains("one score per question"))
        r = try await client.send("POST", path, #"{"comment":"no scores"}"#, as: "anna")
        #expect(r.status == 400)
        r = try await client.send("POST", path, #"{"answers":["4","5"]}"#, as: "anna")
        #expect(r.status == 400)
        r = try await client.send("POST", "/api/v1/surveys/99/answers", #"{"answers":[4,5]}"#, as: "anna")
        #expect(r.status == 404)
        r = try await client.send("POST", path, #"{"answers":[4,5],"comment":"goed"}"#, as: "anna")
        #expect(r.status == 201)
        r = try await client.send("POST", path, #"{"answers":[1,1]}"#, as: "anna")
        #expect(r.status == 409 && r.error.contains("answered survey round \(id) already"))
        // A form's body is refused by the request guard, as everywhere.
        r = try await client.send(
            "POST", path, "answers=1", as: "pol", contentType: "application/x-www-form-urlencoded")
        #expect(r.status == 415)
        r = try await client.send("GET", "/api/v1/surveys", as: "anna")
        #expect(r.array.first?["answered_by_you"] as? Bool == true && r.array.first?["answers"] as? Int == 1)
        r = try await client.send("GET", "/api/v1/surveys", as: "pol")
        #expect(r.array.first?["answered_by_you"] as? Bool == false)
        // The audit trail records that anna answered, never what.
        let audit = try Store(path: db).auditTrail(subject: Store.surveySubject(id))
        #expect(audit.contains { $0.action == "survey.answer" && $0.actor == "anna" && $0.detail == "answered" })
        _ = try Store(path: db).closeSurvey(id, by: "root", role: "admin", at: Timestamp(milliseconds: 1))
        r = try await client.send("POST", path, #"{"answers":[2,2]}"#, as: "pol")
        #expect(r.status == 409 && r.error.contains("closed"))
        try await server.stop()
    }

    @Test func resultsPerRoleForTheEvaluationsRolesOnly() async throws {
        let (db, server, client, id) = try await setUp()
        let path = "/api/v1/surveys/\(id)/answers"
        for (name, body) in [("anna", "[4,2]"), ("o2", "[5,3]"), ("o3", "[3,4]"), ("pol", "[1,1]")] {
            #expect(try await client.send("POST", path, #"{"answers":\#(body)}"#, as: name).status == 201)
        }
        var r = try await client.send("GET", "/api/v1/surveys/\(id)/results", as: "anna")
        #expect(r.status == 403)
        r = try await client.send("GET", "/api/v1/surveys/\(id)/results", as: "kp")
        #expect(r.status == 200 && r.object["shown"] as? Bool == false)
        _ = try Store(path: db).closeSurvey(id, by: "root", role: "admin", at: Timestamp(milliseconds: 1))
        r = try await client.send("GET", "/api/v1/surveys/\(id)/results", as: "kp")
        let groups = try #require(r.object["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["operator", "all"])
        let q = try #require(groups.first?["questions"] as? [[String: Any]])
        #expect(q.map { $0["mean"] as? Double } == [4.0, 3.0])
        #expect(q.first?["distribution"] as? [Int] == [0, 0, 1, 1, 1])
        #expect(r.object["withheld"] as? Int == 1)  // the one police answer
        let page = try await client.send("GET", "/console/survey/\(id)", as: "kp", headers: ["Accept-Language": "fr"])
        #expect(page.status == 200 && page.text.contains("moyenne"))
        try await server.stop()
    }

    @Test func theAnswerPageInTheBrowsersLanguage() async throws {
        let (_, server, client, id) = try await setUp()
        var page = try await client.send("GET", "/console/survey", as: "pol", headers: ["Accept-Language": "fr-BE"])
        #expect(page.status == 200)
        #expect(page.text.contains("Envoyer la réponse") && page.text.contains("/api/v1/surveys/\(id)/answers"))
        #expect(page.text.contains(#"name="q2" value="5""#))
        _ = try await client.send("POST", "/api/v1/surveys/\(id)/answers", #"{"answers":[3,3]}"#, as: "pol")
        page = try await client.send("GET", "/console/survey", as: "pol", headers: ["Accept-Language": "nl-BE"])
        #expect(page.text.contains("U hebt deze ronde al beantwoord") && !page.text.contains("survey-form"))
        try await server.stop()
    }

    @Test func answersGoThroughTheRequestGuard() async throws {
        let (_, server, client, id) = try await setUp()
        let path = "/api/v1/surveys/\(id)/answers"
        let token = try await client.token("pol")
        // The browser's session cookie without the CSRF token, or from another site: refused before the route.
        var r = try await client.send("POST", path, #"{"answers":[3,3]}"#, cookie: token)
        #expect(r.status == 403 && r.error.contains("X-CSRF-Token"))
        r = try await client.send(
            "POST", path, #"{"answers":[3,3]}"#, cookie: token, headers: ["Origin": "http://evil.example"])
        #expect(r.status == 403)
        r = try await client.send("GET", "/api/v1/surveys", as: "pol")
        #expect(r.array.first?["answers"] as? Int == 0)
        // Without a session: 401.
        r = try await client.send("POST", path, #"{"answers":[3,3]}"#)
        #expect(r.status == 401)
        try await server.stop()
    }

    @Test func theEvaluationPageIsForTheEvaluationsRolesAndNamesABadVersion() async throws {
        let (_, server, client, _) = try await setUp()
        var r = try await client.send("GET", "/console/evaluation", as: "anna")
        #expect(r.status == 403)
        r = try await client.send("GET", "/console/evaluation", as: "kp", headers: ["Accept-Language": "nl"])
        #expect(r.status == 200 && r.text.contains("Evaluatie van de seiningsprocedure"))
        r = try await client.send("GET", "/console/evaluation?before=v1&after=v2", as: "kp")
        #expect(r.status == 400 && r.text.contains("no alert in the period was routed by policy version v1"))
        r = try await client.send("GET", "/console/evaluation/report?before=v1&after=v2&from=soon", as: "kp")
        #expect(r.status == 400 && r.text.contains("from must be a date"))
        try await server.stop()
    }
}
