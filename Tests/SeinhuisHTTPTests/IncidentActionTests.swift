import Foundation
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing

/// PROTOCOL 4.5: one action for a whole network incident, over the HTTP API on a real server.
@Suite("one measure for a network incident and its non-Radex members", .serialized)
struct IncidentActionTests {
    static let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    /// An incident A-…1 of `carrier-a` over four members: A-…2, A-…3 (non-Radex, vcet), A-…4 (Radex, all four
    /// queues), A-…5 (non-Radex, already closed by vcet); and A-…6, an alert of no incident.
    static func seed(_ db: String) throws {
        let s = try Store(path: db)
        func member(_ n: Int64, radex: Bool, incident: String?) -> Alert {
            Alert(
                id: Alert.id(forNumber: n), dossier: "D-\(n)", device: "T-\(n)", kind: .breach(.communication_loss),
                severity: .high, radex: radex, queues: radex ? [.vcet, .coordinator, .cic, .police] : [.vcet],
                zone: nil, eventTs: t0, detectedAt: t0, policy: "v1", incident: incident)
        }
        let id = Alert.id(forNumber: 1)
        try s.transaction {
            try s.save(
                Alert(
                    id: id, dossier: "", device: nil, kind: .incident(.network_outage), severity: .high, radex: false,
                    queues: [.vcet], zone: nil, eventTs: t0, detectedAt: t0, policy: "v1", network: "carrier-a",
                    devices: ["T-2", "T-3", "T-4", "T-5"]), at: t0)
            try s.save(member(2, radex: false, incident: id), at: t0)
            try s.save(member(3, radex: false, incident: id), at: t0)
            try s.save(member(4, radex: true, incident: id), at: t0)
            try s.save(member(5, radex: false, incident: id), at: t0)
            try s.save(member(6, radex: false, incident: nil), at: t0)
        }
        _ = try s.act(.close(.false_alarm, note: nil), on: Alert.id(forNumber: 5), by: "earlier", at: t0 + 1)
    }

    @Test func aMeasureOnTheIncidentIsRecordedOnItsNonRadexMembersAndAudited() async throws {
        let db = temporaryDatabase()
        try Self.seed(db)
        try addUser(db, "anna", .operator)
        try addUser(db, "pol", .police)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let closedBefore = try Store(path: db).actions(alertID: "A-000000005").count

        let r = try await client.send(
            "POST", "/api/v1/incidents/A-000000001/respond", #"{"measure":"other","note":"carrier outage"}"#,
            as: "anna")
        #expect(r.status == 200, "\(r.text)")
        #expect((r.object["incident"] as? [String: Any])?["state"] as? String == "responded")
        let members = (r.object["members"] as? [[String: Any]]) ?? []
        #expect(members.map { $0["id"] as? String } == ["A-000000002", "A-000000003"])
        // A measure on an open alert acknowledges it too (PROTOCOL 4.4).
        #expect(members.allSatisfy { $0["recorded"] as? [String] == ["acknowledge", "respond"] }, "\(members)")

        let s = try Store(path: db)
        #expect(try s.alert(id: "A-000000002")?.handling.byQueue[.vcet]?.measure == .other)
        #expect(try s.alert(id: "A-000000003")?.state == .responded)
        // The Radex member is handled on its own; the closed one and the alert of no incident are untouched.
        #expect(try s.alert(id: "A-000000004")?.state == .open)
        #expect(try s.alert(id: "A-000000006")?.state == .open)
        #expect(try s.actions(alertID: "A-000000005").count == closedBefore)
        // Each alert acted on is in the audit trail in the operator's name.
        let audited = try s.auditTrail().filter { $0.actor == "anna" && $0.action == "alert.respond" }
        #expect(Set(audited.map(\.subject)) == ["A-000000001", "A-000000002", "A-000000003"])

        // Closing the group closes the incident and the open non-Radex members (the measure is recorded already).
        let close = try await client.send("POST", "/api/v1/incidents/A-000000001/close", "{}", as: "anna")
        #expect(close.status == 200, "\(close.text)")
        #expect(try s.alert(id: "A-000000002")?.state == .closed)
        #expect(try s.alert(id: "A-000000004")?.state == .open)

        // Not an incident: 409, nothing recorded. Police never reached the incident: 403.
        let notIncident = try await client.send(
            "POST", "/api/v1/incidents/A-000000006/respond", #"{"measure":"other"}"#, as: "anna")
        #expect(notIncident.status == 409 && notIncident.error.contains("no network incident"))
        #expect(try s.alert(id: "A-000000006")?.state == .open)
        let police = try await client.send(
            "POST", "/api/v1/incidents/A-000000001/respond", #"{"measure":"other"}"#, as: "pol")
        #expect(police.status == 403)
        let unknown = try await client.send(
            "POST", "/api/v1/incidents/A-000000099/respond", #"{"measure":"other"}"#, as: "anna")
        #expect(unknown.status == 404)
        try await server.stop()
    }
}
