import Foundation
import Testing

/// PROTOCOL 4.5 on the real binary, with `serve` killed (`kill -9`) at each moment of a carrier outage: six tags of
/// one network fall silent together, then two come back. Killed or not, the database ends with the same alerts: one
/// `network_outage` incident for vcet (raised at the fifth loss, the sixth joining it, republished at each recovery,
/// cleared at the recovery that leaves four), six `communication_loss` alerts linked to it, the non-Radex ones for
/// vcet only and never escalated, the Radex one routed to all four queues.
@Suite("network outages: a kill -9 at any moment changes nothing (PROTOCOL 4.5, 2.4)", .serialized)
struct OutageRestartTests {
    enum Kill: String, CaseIterable, Sendable {
        case never, whileSilent, afterTheIncident, betweenRecoveries
    }

    static let tags = (1...6).map { "TAG-075\($0)" }

    static var dossiers: String {
        "["
            + tags.enumerated().map { i, tag in
                """
                {"id":"D-2026-075\(i + 1)","subject":"S-075\(i + 1)","radex":\(i == 0),"mandate":"pretrial",
                 "start":"2026-01-01","timezone":"Europe/Brussels","devices":[{"id":"\(tag)","network":"carrier-a"}],
                 "home":{"lat":51.21,"lon":4.40,"radius_m":100},"comms_timeout_s":2}
                """
            }.joined(separator: ",") + "]"
    }

    static func heartbeat(_ tag: String, _ seq: Int, _ ts: String) -> String {
        #"{"v":1,"device":"\#(tag)","seq":\#(seq),"ts":"\#(ts)","kind":"heartbeat"}"#
    }

    static func alerts(_ db: String) throws -> [[String: Any]] {
        try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]] ?? []
    }

    static func incident(_ db: String) throws -> [String: Any]? {
        try alerts(db).first { $0["breach"] as? String == "network_outage" }
    }

    /// Polls the database (serve keeps writing it) until `done` holds for the incident.
    static func waitFor(_ db: String, _ what: String, _ done: ([String: Any]) -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let i = try incident(db), done(i) { return }
            RestartHarness.sleep(ms: 100)
        }
        throw RestartHarness.Failure(description: "no incident \(what) within 20 s: \(try alerts(db))")
    }

    @Test(arguments: Kill.allCases)
    func anOutageEndsTheSameWhereverServeIsKilled(_ kill: Kill) throws {
        let served = try ServedDatabase(dir: try RestartHarness.temporaryDirectory("outage-\(kill.rawValue)"))
        defer { served.cleanUp() }
        try served.importDossiers(Self.dossiers, name: "dossiers.json")
        try served.start()
        var client = try ReliableClient(endpoint: served.ports.reliable)
        func restart() throws {
            try served.restart(.kill)
            client = try ReliableClient(endpoint: served.ports.reliable)
        }
        let silentFrom = RestartHarness.rfc3339(Date())
        try client.send(Self.tags.map { Self.heartbeat($0, 1, silentFrom) })
        if kill == .whileSilent {
            served.server?.kill9()
            RestartHarness.sleep(ms: 3000)  // the timers expire while serve is down
            try served.start()
            client = try ReliableClient(endpoint: served.ports.reliable)
        }
        try Self.waitFor(served.db, "with six devices") { ($0["devices"] as? [String])?.count == 6 }
        if kill == .afterTheIncident { try restart() }
        try client.send([Self.heartbeat(Self.tags[1], 2, RestartHarness.rfc3339(Date()))])
        try Self.waitFor(served.db, "with five devices") { ($0["devices"] as? [String])?.count == 5 }
        if kill == .betweenRecoveries { try restart() }
        let underAt = RestartHarness.rfc3339(Date())
        try client.send([Self.heartbeat(Self.tags[2], 2, underAt)])
        try Self.waitFor(served.db, "cleared") { $0["cleared_at"] is String }
        try served.stop()

        let all = try Self.alerts(served.db)
        let incidents = all.filter { $0["breach"] as? String == "network_outage" }
        let losses = all.filter { $0["breach"] as? String == "communication_loss" }
        try #require(incidents.count == 1, "\(all)")
        let incident = incidents[0]
        #expect(incident["dossier"] is NSNull && incident["device"] is NSNull)
        #expect(incident["queues"] as? [String] == ["vcet"] && incident["network"] as? String == "carrier-a")
        #expect(incident["devices"] as? [String] == [Self.tags[0]] + Self.tags[3...])
        #expect(incident["cleared_at"] as? String == underAt)
        #expect(incident["escalation"] as? Int == 0)
        // The incident's event_ts is the fifth loss's: all six were lost at the same moment, 2 s after the heartbeat.
        let lostAt = RestartHarness.rfc3339(milliseconds: RestartHarness.milliseconds(silentFrom)! + 2000)
        #expect(incident["event_ts"] as? String == lostAt)
        #expect(losses.count == 6, "one communication_loss per tag: \(losses.map { $0["device"] ?? "?" })")
        #expect(Set(losses.compactMap { $0["device"] as? String }) == Set(Self.tags))
        for a in losses {
            #expect(a["incident"] as? String == incident["id"] as? String, "\(a)")
            #expect(a["event_ts"] as? String == lostAt)
            if a["radex"] as? Bool == true {
                #expect(a["queues"] as? [String] == ["vcet", "coordinator", "cic", "police"])
            } else {
                #expect(a["queues"] as? [String] == ["vcet"] && a["escalation"] as? Int == 0, "\(a)")
            }
        }
        let recovered = losses.filter { $0["cleared_at"] is String }.compactMap { $0["device"] as? String }
        #expect(Set(recovered) == [Self.tags[1], Self.tags[2]])
    }
}
