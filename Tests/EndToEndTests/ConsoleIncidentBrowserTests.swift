import Foundation
import Testing
import ZeroMQ

/// (1.1) PROTOCOL 4.5 in the browser: a carrier outage becomes one incident whose page lists its alerts, and one
/// measure there is recorded on the incident and on every non-Radex member; the Radex member is left to its own page.
extension ConsoleBrowserTests {
    static var outageDossiers: String {
        "["
            + (1...5).map { i in
                """
                {"id":"D-2026-06\(i)0","subject":"S-06\(i)0","radex":\(i == 1),"mandate":"pretrial","start":"2026-01-01",
                 "devices":[{"id":"TAG-06\(i)0","network":"carrier-b"}],"home":{"lat":51.05,"lon":3.72,"radius_m":60},
                 "comms_timeout_s":1}
                """
            }.joined(separator: ",") + "]"
    }

    @Test func oneMeasureOnTheIncidentPageIsRecordedOnItsNonRadexAlerts() throws {
        let db = try Binary.temporaryDatabase()
        try Self.outageDossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        // Anna reads the console in Dutch, whatever the browser asks for.
        try Binary.run(["user", "set-language", "anna", "nl", "--db", db])
        let (server, port) = try startServer(db: db)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect("tcp://127.0.0.1:\(port + 1)")
        // Five tags report once and fall silent: five communication_loss alerts a second later, one incident.
        for i in 1...5 { try push.send(event("TAG-06\(i)0", 1, 0, #""kind":"heartbeat""#)) }
        var incident = ""
        for _ in 0..<200 where incident.isEmpty {
            let list = try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]]
            incident = list?.first { $0["breach"] as? String == "network_outage" }?["id"] as? String ?? ""
            if incident.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        try #require(!incident.isEmpty, "no network_outage incident")

        let browser = try Chromium()
        try browser.resize(width: 1400, height: 1200)
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue")
        // The queue groups the incident's five alerts right under it.
        try browser.waitFor("document.querySelectorAll('#rows tr.member').length === 5", what: "the members under the incident")
        #expect(
            try browser.evaluate(
                "[...document.querySelectorAll('#rows tr[id]')].map(r => r.classList.contains('member') ? 'm' : r.id.slice(4)).join(' ')")
                as? String == "\(incident) m m m m m")
        #expect(
            try browser.evaluate("document.querySelector('#row-\(incident) td:nth-child(5)').textContent") as? String
                == "carrier-b · 5 toestellen")
        try browser.navigate(base + "/console/alert/\(incident)")
        try browser.waitFor("document.getElementById('incident-form')", what: "the incident's group action")
        #expect(try browser.evaluate("document.querySelectorAll('#incident tr[data-member]').length") as? Int == 5)
        #expect(try browser.evaluate("document.querySelectorAll('#incident tr.radex').length") as? Int == 1)
        #expect(
            try browser.evaluate("document.querySelector('#incident h2').textContent") as? String
                == "Netwerkstoring carrier-b")
        try browser.evaluate(
            """
            document.getElementById('incident-measure').value = 'other';
            document.getElementById('incident-note').value = 'carrier-b down';
            document.querySelector('#incident-form button[value=respond]').click();
            """)
        try browser.waitFor("!document.getElementById('incident-done').hidden", what: "the group measure recorded")
        #expect(
            try browser.evaluate("document.getElementById('incident-done').textContent") as? String
                == "Geregistreerd op de storing en 4 meldingen.")

        let after = try Binary.json(try Binary.run(["alerts", "list", "--db", db, "--format", "json"])) as? [[String: Any]] ?? []
        for a in after where a["breach"] as? String == "communication_loss" {
            let vcet = (a["handling"] as? [String: [String: Any]])?["vcet"]
            if a["radex"] as? Bool == true {
                #expect(vcet?["state"] as? String == "open", "the Radex member is handled on its own")
            } else {
                #expect(vcet?["state"] as? String == "responded" && vcet?["measure"] as? String == "other", "\(a)")
            }
        }
        // A member's page links back to its incident.
        let member = try #require(after.first { $0["incident"] as? String == incident }?["id"] as? String)
        try browser.navigate(base + "/console/alert/\(member)")
        try browser.waitFor("document.querySelector('.incident-link a')", what: "the link to the incident")
        #expect(try browser.evaluate("document.querySelector('.incident-link a').textContent") as? String == incident)
    }
}
