import Foundation
import Testing

@Suite("seinhuis alert ack / respond / close", .serialized)
struct AlertActionCLITests {
    @Test func operatorActionsAreRecordedWithWhoAndWhen() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        try Binary.addAccounts(db: db, [("op-anna", "operator"), ("op-bert", "operator")])
        let id = "A-000000001"
        try Binary.run(["alert", "ack", id, "--db", db, "--by", "op-anna"])
        try Binary.run([
            "alert", "respond", id, "--measure", "phone_call", "--note", "subject answered", "--db", db, "--by",
            "op-anna",
        ])
        let refused = try Binary.run(["alert", "close", "A-000000002", "--db", db], expectFailure: true)
        #expect(refused.contains("needs a measure"))
        try Binary.run(["alert", "close", id, "--db", db, "--by", "op-bert"])
        let bad = try Binary.run(["alert", "respond", id, "--measure", "teleport", "--db", db], expectFailure: true)
        #expect(bad.contains("measure"))

        let shown = try #require(
            try Binary.json(try Binary.run(["alert", "show", id, "--db", db, "--format", "json"])) as? [String: Any])
        let alert = try #require(shown["alert"] as? [String: Any])
        #expect(alert["state"] as? String == "closed")
        let actions = try #require(shown["actions"] as? [[String: Any]])
        #expect(actions.map { $0["action"] as? String } == ["acknowledge", "respond", "close"])
        #expect(actions.map { $0["by"] as? String } == ["op-anna", "op-anna", "op-bert"])
        #expect(actions[1]["measure"] as? String == "phone_call")
        #expect(actions.allSatisfy { ($0["at"] as? String)?.hasSuffix("Z") == true })
        let closedList = try Binary.run(["alerts", "list", "--db", db, "--state", "closed", "--format", "csv"])
        #expect(closedList.contains(id))
    }
}
