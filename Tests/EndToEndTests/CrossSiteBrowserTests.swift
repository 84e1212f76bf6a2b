import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A page on another port of 127.0.0.1 tries to close an operator's critical alert as a false alarm, in headless
/// Chromium with the operator signed in (docs/TRUST.md). Every port of a host is the same site, so SameSite=Strict
/// lets the session cookie go along; the request guard must refuse what the page sends: a JSON fetch (its CORS
/// preflight fails), a text/plain fetch (no preflight), and HTML forms, in a frame and auto-submitted. The console's
/// own buttons still act.
extension ConsoleBrowserTests {
    /// SIGTERM, then SIGKILL if serve has not ended within 10 s: a test never waits on it for ever.
    func stopBounded(_ server: Process) {
        guard server.isRunning else { return }
        server.terminate()
        for _ in 0..<100 where server.isRunning { usleep(100_000) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    /// The attacker's pages: `/` with a fetch helper and a form posting into a frame, `/form` a form that submits
    /// itself as the page loads. Both aim at closing `id` as a false alarm on the console at `target`.
    static func attackerPages(target: String, id: String) -> [String: String] {
        let action = "\(target)/api/v1/alerts/\(id)/close"
        // The classic JSON-in-a-form trick: a text/plain form whose one field reads as a JSON object.
        let field = #"<input type="hidden" name='{"measure":"false_alarm","queue":"vcet","x":"' value='"}'>"#
        return [
            "/": """
            <!doctype html><html><head><title>Cat pictures</title></head><body><h1>Cat pictures</h1>
            <form id="framed" method="post" action="\(action)" enctype="text/plain" target="sink">\(field)</form>
            <iframe name="sink" id="sink"></iframe>
            <script>
            window.attempt = async (init) => {
              try {
                const r = await fetch("\(action)", Object.assign({method: "POST", credentials: "include"}, init));
                return "answered " + r.status;
              } catch (e) { return "failed " + e.name; }
            };
            window.submitFramed = () => new Promise(done => {
              document.getElementById("sink").onload = () => done("loaded");
              setTimeout(() => done("no load within 5 s"), 5000);
              document.getElementById("framed").submit();
            });
            </script></body></html>
            """,
            "/form": """
            <!doctype html><html><body onload="document.forms[0].submit()">
            <form method="post" action="\(action)" enctype="text/plain">\(field)</form></body></html>
            """,
        ]
    }

    @Test func aPageOnAnotherPortCannotActInTheOperatorsName() throws {
        let db = try Binary.temporaryDatabase()
        try dossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        let (server, port) = try startServer(db: db)
        defer { stopBounded(server) }
        let base = "http://127.0.0.1:\(port)"
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect("tcp://127.0.0.1:\(port + 1)")
        try push.send(event("TAG-0002", 1, 30, #""kind":"strap","state":"opened""#))

        let browser = try Chromium()
        // The login page posts JSON now: a refusal shows the server's reason on the page.
        try signIn(browser, base, "anna", "not-her-password")
        try browser.waitFor(
            "!document.getElementById('login-error').hidden", what: "the login page's refusal")
        #expect(
            try browser.evaluate("document.getElementById('login-error').textContent") as? String
                == "unknown user or wrong password")
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue after signing in")
        try browser.waitFor("document.querySelector('#rows tr[id]')", what: "the strap alert in the queue")
        let id = try #require(try browser.evaluate("document.querySelector('#rows tr[id]').id.slice(4)") as? String)
        #expect(try browser.evaluate("document.getElementById('row-\(id)').textContent") as? String ?? "" != "")

        let site = try AttackerSite(pages: Self.attackerPages(target: base, id: id))
        defer { site.stop() }
        let evil = "http://127.0.0.1:\(site.port)"
        // The browser holds the session cookie for the attacker's origin too: cookies do not keep ports apart.
        let cookies = try browser.call("Network.getCookies", ["urls": [evil + "/"]])["cookies"] as? [[String: Any]]
        #expect(cookies?.contains { $0["name"] as? String == "seinhuis_session" } == true)

        try browser.navigate(evil + "/")
        try browser.waitFor("typeof window.attempt === 'function'", what: "the attacker's page")
        let json = try browser.evaluate(
            #"attempt({headers: {"Content-Type": "application/json"}, body: JSON.stringify({measure: "false_alarm", queue: "vcet"})})"#
        )
        let text = try browser.evaluate(
            #"attempt({mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: JSON.stringify({measure: "false_alarm", queue: "vcet"})})"#
        )
        let framed = try browser.evaluate("submitFramed()")
        #expect(framed as? String == "loaded")
        try browser.navigate(evil + "/form")
        try browser.waitFor(
            "location.port === '\(port)' && document.readyState === 'complete' && document.body.textContent !== ''",
            what: "the auto-submitted form's answer from serve")
        let answer = try browser.evaluate("document.body.textContent") as? String ?? ""
        #expect(answer.contains("refused: a request from origin \(evil)"), "\(answer)")
        try browser.screenshot(to: Self.screenshots + "/cross-site-refused.png")

        // Nothing changed: still open, nothing in its log; serve saw and refused the requests that reached it.
        let shown =
            try Binary.json(Binary.run(["alert", "show", id, "--format", "json", "--db", db])) as? [String: Any]
        #expect(
            (shown?["alert"] as? [String: Any])?["state"] as? String == "open",
            "json \(json ?? "-"), text \(text ?? "-")")
        #expect((shown?["actions"] as? [Any])?.isEmpty == true)
        let metrics = TinyHTTP.get(port: port, path: "/metrics")?.body ?? ""
        let refused = metrics.split(separator: "\n").first {
            $0.hasPrefix(#"seinhuis_http_requests_refused_total{reason="origin"}"#)
        }
        #expect(Int(refused?.split(separator: " ").last ?? "") ?? 0 >= 3, "\(refused ?? "no counter")")
        #expect(site.requests.contains("GET / HTTP/1.1") && site.requests.contains("GET /form HTTP/1.1"))

        // The console itself still acts: acknowledge, then close as a false alarm through the dialog.
        try browser.navigate(base + "/console/queue/vcet")
        try browser.waitFor("document.querySelector('#row-\(id) button[data-act=ack]')", what: "the alert's buttons")
        try browser.evaluate("document.querySelector('#row-\(id) button[data-act=ack]').click()")
        try browser.waitFor(
            "document.getElementById('row-\(id)').dataset.state === 'acknowledged'", what: "the console's acknowledge")
        try browser.evaluate("document.querySelector('#row-\(id) button[data-act=close]').click()")
        try browser.waitFor("document.getElementById('act').open", what: "the close dialog")
        try browser.evaluate(
            "document.getElementById('act-measure').value = 'false_alarm'; document.getElementById('act-ok').click();")
        try browser.waitFor("!document.getElementById('row-\(id)')", what: "the closed alert to leave the queue")
        let after =
            try Binary.json(Binary.run(["alert", "show", id, "--format", "json", "--db", db])) as? [String: Any]
        #expect((after?["alert"] as? [String: Any])?["state"] as? String == "closed")
        let log = (after?["actions"] as? [[String: Any]] ?? []).map {
            "\($0["by"] ?? "?") \($0["action"] ?? "?") \(($0["measure"] as? String) ?? "-")"
        }
        #expect(log == ["anna acknowledge -", "anna respond false_alarm", "anna close -"])
        withExtendedLifetime(browser) {}
    }
}
