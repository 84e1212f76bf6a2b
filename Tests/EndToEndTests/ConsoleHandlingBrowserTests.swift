import Foundation
import Testing
import ZeroMQ

/// Each queue handles an alert for itself (PROTOCOL 4.4, 1.1), in the browser: the police acknowledge and the vcet
/// row stays open, the operator's buttons still act for vcet, a measure recorded elsewhere refreshes the table live,
/// and the administrator acts per row, naming the queue.
extension ConsoleBrowserTests {
    /// The handling table's row of `queue`, as a selector.
    func handlingRow(_ queue: String) -> String { "#handling-rows tr[data-queue=\(queue)]" }

    func state(_ browser: Chromium, _ queue: String) throws -> String? {
        try browser.evaluate("document.querySelector('\(handlingRow(queue))')?.dataset.state") as? String
    }

    func signOut(_ browser: Chromium) throws {
        try browser.evaluate("document.querySelector('form[action=\"/logout\"]').submit()")
        try browser.waitFor("location.pathname === '/login'", what: "the login page after signing out")
    }

    /// Clicks `verb`'s button in `queue`'s row; for a measure or a close, fills the dialog (`measure` "" for none).
    func act(_ browser: Chromium, _ verb: String, _ queue: String, measure: String? = nil) throws {
        try browser.evaluate("document.querySelector('\(handlingRow(queue)) button[data-act=\(verb)]').click()")
        guard let measure else { return }
        try browser.waitFor("document.getElementById('act').open", what: "the action dialog")
        try browser.evaluate(
            """
            document.getElementById('act-measure').value = \(quoted(measure));
            document.getElementById('act-ok').click();
            """)
    }

    @Test func eachQueueHandlesTheAlertForItselfInTheConsole() throws {
        let db = try Binary.temporaryDatabase()
        try dossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        let admin = try password(Binary.run(["user", "add", "admin", "--role", "admin", "--db", db]))
        let piet = try password(Binary.run(["user", "add", "piet", "--role", "police", "--db", db]))
        try Binary.addAccounts(db: db, [("bert", "police")])
        let served = try ServedConsole(self, db: db)
        defer { withExtendedLifetime(served) {} }  // serve runs until the test ends
        let (base, push) = (served.base, served.push)
        // A strap tamper of the Radex dossier: critical, to vcet, coordinator, cic and police at once.
        try push.send(event("TAG-0001", 1, 30, #""kind":"strap","state":"opened""#))

        // The police acknowledge for the police; the vcet row stays open.
        let browser = try Chromium()
        try browser.resize(width: 1400, height: 1200)
        try signIn(browser, base, "piet", piet)
        try browser.waitFor("location.pathname === '/console/queue/police'", what: "the police queue")
        try browser.waitFor("document.querySelector('#rows tr[id]')", what: "the alert in the police queue")
        let id = try #require(try browser.evaluate("document.querySelector('#rows tr[id]').id.slice(4)") as? String)
        try browser.navigate(base + "/console/alert/\(id)")
        try browser.waitFor("document.querySelector('\(handlingRow("police")) button[data-act=ack]')", what: "the buttons")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the live stream")
        #expect(try browser.evaluate("document.querySelectorAll('#handling-rows tr').length") as? Int == 4)
        #expect(try browser.evaluate("document.querySelectorAll('#handling-rows button').length") as? Int == 3)
        #expect(try browser.evaluate("document.querySelectorAll('\(handlingRow("vcet")) button').length") as? Int == 0)
        try act(browser, "ack", "police")
        try browser.waitFor("'acknowledged' === \(handlingStateJS("police"))", what: "the police row acknowledged")
        #expect(try state(browser, "vcet") == "open")
        #expect(
            try browser.evaluate("document.querySelector('.alert-head [data-field=state]').textContent") as? String
                == "acknowledged")
        // Closing with no measure is refused (409); the page shows the server's reason.
        try act(browser, "close", "police", measure: "")
        try browser.waitFor(
            "!document.getElementById('detail-error').hidden && document.getElementById('detail-error').textContent.includes('409')",
            what: "the refusal's reason")
        #expect(
            try browser.evaluate("document.getElementById('detail-error').textContent.includes('needs a measure')")
                as? Bool == true)
        #expect(try state(browser, "police") == "acknowledged")
        try browser.screenshot(to: Self.screenshots + "/alert-handling-police.png")

        try signOut(browser)
        try vcetStillActs(browser, base, anna, id: id, db: db)
        try signOut(browser)
        try adminNamesTheQueue(browser, base, admin, id: id)

        let shown = try Binary.run(["alert", "show", id, "--format", "json", "--db", db])
        for (by, role, queue, action) in [
            ("piet", "police", "police", "acknowledge"), ("anna", "operator", "vcet", "acknowledge"),
            ("admin", "admin", "coordinator", "acknowledge"), ("admin", "admin", "vcet", "close"),
        ] {
            #expect(
                shown.contains(#""by":"\#(by)","role":"\#(role)","queue":"\#(queue)","action":"\#(action)""#),
                "\(by) \(action) for \(queue)")
        }
    }

    func handlingStateJS(_ queue: String) -> String {
        "document.querySelector('\(handlingRow(queue))')?.dataset.state"
    }

    /// The operator's queue shows the vcet queue's own state (open) with the summary behind it; the vcet buttons act,
    /// and a measure the police record elsewhere (the command line) refreshes the police row live.
    func vcetStillActs(_ browser: Chromium, _ base: String, _ anna: String, id: String, db: String) throws {
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("document.getElementById('row-\(id)')", what: "the alert in the vcet queue")
        #expect(try browser.evaluate("document.getElementById('row-\(id)').dataset.state") as? String == "open")
        #expect(
            try browser.evaluate("document.getElementById('row-\(id)').dataset.summary") as? String == "acknowledged")
        #expect(
            try browser.evaluate("!!document.querySelector('#row-\(id) button[data-act=ack][data-queue=vcet]')")
                as? Bool == true)
        try browser.navigate(base + "/console/alert/\(id)")
        try browser.waitFor("document.querySelector('\(handlingRow("vcet")) button[data-act=ack]')", what: "vcet's buttons")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the live stream")
        #expect(try state(browser, "police") == "acknowledged")
        try act(browser, "ack", "vcet")
        try browser.waitFor("'acknowledged' === \(handlingStateJS("vcet"))", what: "the vcet row acknowledged")
        try Binary.run([
            "alert", "respond", id, "--queue", "police", "--measure", "field_visit", "--by", "bert", "--db", db,
        ])
        try browser.waitFor(
            "'responded' === \(handlingStateJS("police")) && document.querySelector('\(handlingRow("police"))').textContent.includes('field visit')",
            what: "the police's measure from the command line to reach the table live")
        #expect(try state(browser, "vcet") == "acknowledged")
        try browser.screenshot(to: Self.screenshots + "/alert-handling-vcet.png")
    }

    /// The administrator has one set of buttons per queue row; each action names its queue, and a queue that closed
    /// the alert has none left.
    func adminNamesTheQueue(_ browser: Chromium, _ base: String, _ admin: String, id: String) throws {
        try signIn(browser, base, "admin", admin)
        try browser.waitFor("location.pathname.startsWith('/console/queue/')", what: "the admin's first queue")
        try browser.navigate(base + "/console/alert/\(id)")
        try browser.waitFor(
            "document.querySelector('\(handlingRow("coordinator")) button[data-act=ack]')", what: "the admin's buttons")
        #expect(try browser.evaluate("document.querySelectorAll('#handling-rows button[data-act=close]').length") as? Int == 4)
        try act(browser, "ack", "coordinator")
        try browser.waitFor("'acknowledged' === \(handlingStateJS("coordinator"))", what: "coordinator acknowledged")
        #expect(try state(browser, "cic") == "open")
        try act(browser, "close", "vcet", measure: "false_alarm")
        try browser.waitFor("'closed' === \(handlingStateJS("vcet"))", what: "vcet closed by the administrator")
        #expect(try browser.evaluate("document.querySelectorAll('\(handlingRow("vcet")) button').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('\(handlingRow("cic")) button').length") as? Int == 3)
        // vcet closed it: the summary is closed (PROTOCOL 4.4), though the police have not.
        #expect(
            try browser.evaluate("document.querySelector('.alert-head [data-field=state]').textContent") as? String
                == "closed")
        #expect(try state(browser, "police") == "responded")
        try browser.screenshot(to: Self.screenshots + "/alert-handling-admin.png")
    }
}
