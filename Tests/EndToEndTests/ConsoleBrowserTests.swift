import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The console in a real browser: headless Chromium signs in as an operator on the real `seinhuis serve`, sees an
/// alert appear live after an event is pushed over ZeroMQ, acknowledges it, and sees a measure recorded from the
/// command line arrive without a reload. Screenshots land in `.build/e2e-screenshots/`.
@Suite("the operators' console in headless Chromium", .serialized)
struct ConsoleBrowserTests {
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/e2e-screenshots").path

    let dossiers = """
        [{"id":"D-2026-0001","subject":"P-7Q2K","radex":true,"mandate":"pretrial",
          "start":"\(Self.day(monthsAgo: 8, plusDays: 0))",
          "devices":["TAG-0001"],"home":{"lat":51.0500,"lon":3.7200,"radius_m":60},"comms_timeout_s":86400,
          "curfew":[{"days":["mon","tue","wed","thu","fri","sat","sun"],\(Self.curfewAwayFromNow())}],
          "zones":[{"id":"Z-station","kind":"exclusion","circle":{"lat":51.0536,"lon":3.7262,"radius_m":180}},
                   {"id":"Z-city","kind":"inclusion","polygon":[[51.040,3.700],[51.062,3.702],[51.064,3.742],[51.041,3.745]]}]},
         {"id":"D-2026-0002","subject":"P-3M8T","radex":false,"mandate":"sentence","start":"2026-01-01",
          "devices":["TAG-0002"],"home":{"lat":51.2100,"lon":4.4000,"radius_m":80},"comms_timeout_s":86400},
         {"id":"D-2026-0003","subject":"P-9X4B","radex":false,"mandate":"sentence","start":"2026-01-01",
          "devices":["TAG-0003"],"home":{"lat":50.8500,"lon":4.3500,"radius_m":80},"comms_timeout_s":86400},
         {"id":"D-2025-0104","subject":"P-5H1R","radex":true,"mandate":"sentence","start":"2025-01-01",
          "last_review":"\(Self.day(monthsAgo: 6, plusDays: 12))",
          "devices":["TAG-0004"],"home":{"lat":51.0300,"lon":3.7000,"radius_m":60},"comms_timeout_s":86400},
         {"id":"D-2025-0117","subject":"P-8K2W","radex":true,"mandate":"pretrial","start":"2025-01-01",
          "last_review":"\(Self.day(monthsAgo: 1, plusDays: 0))",
          "devices":["TAG-0005"],"home":{"lat":51.0700,"lon":3.7400,"radius_m":60},"comms_timeout_s":86400}]
        """

    /// The Radex dossier's nightly curfew, placed where the test's hour cannot fall into it: an 8-hour window
    /// from 3 hours after the current Brussels hour (it crosses midnight when the test runs in the afternoon, as a
    /// real night curfew does). A fixed 22:00-06:00 curfew made the walk away from home a `curfew_absence` too, to
    /// police, whenever the suite ran at night.
    static func curfewAwayFromNow(now: Date = Date()) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Brussels")!
        let hour = cal.component(.hour, from: now)
        return String(format: #""from":"%02d:00","to":"%02d:00""#, (hour + 3) % 24, (hour + 11) % 24)
    }

    /// A calendar day (Brussels) some months before today: review dates that are due, or recent, and the start of a
    /// dossier never reviewed (overdue two months after its six, whatever the date).
    static func day(monthsAgo: Int, plusDays: Int) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Brussels")!
        let d = cal.date(
            byAdding: .day, value: plusDays, to: cal.date(byAdding: .month, value: -monthsAgo, to: Date())!)!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func ts(_ secondsAgo: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date().addingTimeInterval(-secondsAgo))
    }

    func event(_ device: String, _ seq: Int, _ secondsAgo: Double, _ body: String) -> String {
        #"{"v":1,"device":"\#(device)","seq":\#(seq),"ts":"\#(Self.ts(secondsAgo))",\#(body)}"#
    }

    /// Starts `serve` on four consecutive ports, below Linux's ephemeral range (32768-60999, where the machine's
    /// outgoing connections take theirs); if serve cannot bind them (taken meanwhile) or does not answer, it tries
    /// other ports.
    func startServer(db: String) throws -> (Process, Int) {
        var last = ""
        for _ in 0..<3 {
            let port = 20000 + Int.random(in: 0..<3000) * 4
            let p = Process()
            p.executableURL = Binary.path
            p.environment = Binary.environment
            p.arguments = [
                "serve", "--db", db, "--ingest", "tcp://127.0.0.1:\(port + 1)", "--reliable",
                "tcp://127.0.0.1:\(port + 2)", "--alerts", "tcp://127.0.0.1:\(port + 3)", "--http-port", String(port),
                "--log-level", "error",
            ]
            p.standardError = FileHandle.nullDevice
            try p.run()
            for _ in 0..<150 where p.isRunning {
                if (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/healthz")!, encoding: .utf8))
                    == "ok\n", p.isRunning
                {
                    return (p, port)
                }
                usleep(100_000)
            }
            last = p.isRunning ? "serve did not answer on port \(port)" : "serve exited on ports \(port)-\(port + 3)"
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
        }
        throw Chromium.Failure(description: last)
    }

    func password(_ output: String) throws -> String {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("password: ") })
        return String(line.dropFirst("password: ".count))
    }

    func signIn(_ browser: Chromium, _ base: String, _ user: String, _ password: String) throws {
        try browser.navigate(base + "/")
        try browser.waitFor("location.pathname === '/login'", what: "the login page")
        try browser.evaluate(
            """
            document.getElementById('user').value = \(quoted(user));
            document.getElementById('password').value = \(quoted(password));
            document.getElementById('login').requestSubmit();
            """)
    }

    func quoted(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    @Test func anOperatorSeesAnAlertArriveLiveAndAcknowledgesIt() throws {
        let db = try Binary.temporaryDatabase()
        try dossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        try Binary.addAccounts(db: db, [("bert", "operator")])
        let admin = try password(Binary.run(["user", "add", "admin", "--role", "admin", "--db", db]))
        let piet = try password(Binary.run(["user", "add", "piet", "--role", "police", "--db", db]))
        let cel = try password(Binary.run(["user", "add", "cel", "--role", "cell", "--db", db]))
        try Binary.addAccounts(db: db, [("k.peeters", "cell")])  // the reviewer named in the review form
        let served = try ServedConsole(self, db: db)
        defer { withExtendedLifetime(served) {} }  // serve runs until the test ends
        let (base, push) = (served.base, served.push)
        // Earlier alerts in the queue: a strap tamper and a low battery of two other dossiers.
        try push.send(event("TAG-0002", 1, 420, #""kind":"strap","state":"opened""#))
        try push.send(event("TAG-0003", 1, 95, #""kind":"battery","level":0.08,"charging":false"#))

        let browser = try Chromium()
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue after signing in")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the live stream")
        try browser.waitFor("document.querySelectorAll('#rows tr[id]').length >= 2", what: "the earlier alerts")

        // Now the subject walks from home into the exclusion zone around the station.
        let walk: [(Double, Double, Double)] = [
            (51.0502, 3.7204, 14), (51.0512, 3.7222, 11), (51.0524, 3.7241, 9), (51.0531, 3.7255, 12),
            (51.0535, 3.7260, 8),
        ]
        for (i, p) in walk.enumerated() {
            try push.send(
                event(
                    "TAG-0001", 10 + i, Double(4 - i) * 20,
                    #""kind":"position","lat":\#(p.0),"lon":\#(p.1),"acc":\#(p.2)"#))
        }
        try browser.waitFor(
            "[...document.querySelectorAll('#rows tr')].some(r => r.textContent.includes('exclusion zone entry'))",
            what: "the new alert to appear live, without a reload")
        let id = try #require(
            try browser.evaluate(
                "[...document.querySelectorAll('#rows tr')].find(r => r.textContent.includes('exclusion zone entry')).id.slice(4)"
            ) as? String)
        // A new critical alert cannot be missed: the banner shows it.
        #expect(
            try browser.evaluate(
                "!document.getElementById('banner').hidden && document.getElementById('banner').textContent") as? String
                != nil)
        #expect(try browser.evaluate("document.getElementById('row-\(id)').dataset.state") as? String == "open")
        try browser.screenshot(to: Self.screenshots + "/queue.png")

        try browser.evaluate("document.querySelector('#row-\(id) button[data-act=ack]').click()")
        try browser.waitFor(
            "document.getElementById('row-\(id)').dataset.state === 'acknowledged'", what: "the state to change")
        // Handled: the banner goes.
        #expect(try browser.evaluate("document.getElementById('banner').hidden") as? Bool == true)
        // A measure recorded elsewhere (the command line, another process) reaches the open console by itself.
        try Binary.run([
            "alert", "respond", id, "--measure", "phone_call", "--note", "subject reached", "--by", "bert", "--db", db,
        ])
        try browser.waitFor(
            "document.getElementById('row-\(id)').dataset.state === 'responded'",
            what: "a measure recorded from the command line to appear live")
        try browser.screenshot(to: Self.screenshots + "/queue-after-actions.png")

        let shown = try Binary.run(["alert", "show", id, "--format", "json", "--db", db])
        #expect(shown.contains(#""by":"anna""#) && shown.contains(#""action":"acknowledge""#))

        // The alert detail: dossier, map, events around the breach, the action log.
        try browser.resize(width: 1400, height: 1500)
        try browser.navigate(base + "/console/alert/\(id)")
        try browser.waitFor("document.querySelector('svg.map circle.fix-latest')", what: "the map with the latest fix")
        #expect(try browser.evaluate("document.querySelectorAll('svg.map .zone').length") as? Int == 2)
        #expect(try browser.evaluate("document.body.textContent.includes('P-7Q2K')") as? Bool == true)
        #expect(try browser.evaluate("document.getElementById('log').textContent.includes('anna')") as? Bool == true)
        try browser.screenshot(to: Self.screenshots + "/alert-detail.png")

        // The operator may not open the dossier overview; the administrator sees it and the latency dashboard.
        try browser.navigate(base + "/console/dossiers")
        #expect(try browser.evaluate("document.body.textContent.includes('may not open this page')") as? Bool == true)
        try browser.evaluate("document.querySelector('form[action=\"/logout\"]').submit()")
        try browser.waitFor("location.pathname === '/login'", what: "the login page after signing out")
        try signIn(browser, base, "admin", admin)
        try browser.waitFor("location.pathname.startsWith('/console/queue/')", what: "the admin's first queue")
        try browser.resize(width: 1400, height: 900)
        try browser.navigate(base + "/console/dossiers")
        try browser.waitFor("document.body.textContent.includes('D-2026-0001')", what: "the dossier overview")
        try browser.resize(width: 1400, height: 1500)
        try browser.navigate(base + "/console/latency")
        try browser.waitFor("document.querySelector('svg.chart')", what: "the latency charts")
        try browser.screenshot(to: Self.screenshots + "/latency.png")

        // The police see the Radex alert in their queue, and of its dossier only what dispatch needs.
        try browser.evaluate("document.querySelector('form[action=\"/logout\"]').submit()")
        try browser.waitFor("location.pathname === '/login'", what: "the login page after signing out")
        try signIn(browser, base, "piet", piet)
        try browser.waitFor("location.pathname === '/console/queue/police'", what: "the police queue")
        try browser.waitFor("document.getElementById('row-\(id)')", what: "the Radex alert in the police queue")
        #expect(try browser.evaluate("document.querySelectorAll('#rows tr[id]').length") as? Int == 1)
        try browser.navigate(base + "/console/alert/\(id)")
        try browser.waitFor("document.querySelector('svg.map')", what: "the police's alert detail")
        #expect(try browser.evaluate("document.body.textContent.includes('P-7Q2K')") as? Bool == true)
        #expect(try browser.evaluate("document.body.textContent.includes('Mandate')") as? Bool == false)
        #expect(try browser.evaluate("document.querySelectorAll('svg.map .zone').length") as? Int == 1)
        try browser.screenshot(to: Self.screenshots + "/alert-detail-police.png")
        try reviewsAsTheCell(browser, base, cel)
    }

    /// The cell's review list: an overdue dossier, a refused and an accepted review through the form, the dossier
    /// overview with review status, and the review report through its link (the session cookie is all it needs).
    func reviewsAsTheCell(_ browser: Chromium, _ base: String, _ cel: String) throws {
        try browser.evaluate("document.querySelector('form[action=\"/logout\"]').submit()")
        try browser.waitFor("location.pathname === '/login'", what: "the login page after signing out")
        try signIn(browser, base, "cel", cel)
        try browser.waitFor("location.pathname === '/console/queue/cell'", what: "the cell's queue")
        #expect(try browser.evaluate("!!document.querySelector('nav a[href=\"/console/reviews\"]')") as? Bool == true)
        try browser.resize(width: 1400, height: 1000)
        try browser.navigate(base + "/console/reviews")
        let overdue = "#due tr[data-dossier=\"D-2026-0001\"]"
        try browser.waitFor("document.querySelector('\(overdue)')", what: "the overdue dossier on the review list")
        #expect(
            try browser.evaluate("document.querySelector('\(overdue) .review').textContent") as? String == "overdue")
        #expect(
            try browser.evaluate("document.querySelector('#due tr[data-dossier=\"D-2025-0104\"] .review').textContent")
                as? String == "due")
        #expect(
            try browser.evaluate("!!document.querySelector('#up-to-date tr[data-dossier=\"D-2025-0117\"]')") as? Bool
                == true)
        try browser.screenshot(to: Self.screenshots + "/reviews.png", fullPage: true)

        // The form: the server's refusal shows as it is; then a complete review moves the dossier out of the due list.
        try browser.evaluate(
            """
            document.querySelector('\(overdue) button[data-record]').click();
            document.getElementById('rv-reviewer').value = 'k.peeters';
            document.getElementById('rv-decision').value = 'continue';
            document.getElementById('rv-save').click();
            """)
        try browser.waitFor(
            "!document.getElementById('rv-error').hidden && document.getElementById('rv-error').textContent.includes('findings are required')",
            what: "the server's validation message")
        try browser.evaluate(
            """
            document.getElementById('rv-findings').value = 'Stable; contacts with the network stopped.';
            document.getElementById('rv-save').click();
            """)
        try browser.waitFor(
            "document.querySelector('#up-to-date tr[data-dossier=\"D-2026-0001\"]')",
            what: "the reviewed dossier among the up-to-date ones after the reload")

        try browser.navigate(base + "/console/dossiers")
        try browser.waitFor(
            "document.querySelector('#dossiers tr[data-dossier=\"D-2025-0104\"] .review-due')", what: "the overview")
        try browser.screenshot(to: Self.screenshots + "/dossiers.png", fullPage: true)
        try browser.evaluate("document.querySelector('#dossiers tr[data-dossier=\"D-2026-0001\"] a.report').click()")
        try browser.waitFor(
            "location.pathname.endsWith('/review-report') && document.body.textContent.includes('k.peeters')",
            what: "the review report through its link")
        try browser.screenshot(to: Self.screenshots + "/review-report.png")
    }
}
