import Foundation
import Testing
import ZeroMQ

/// The console in the reader's language: a French browser (`--lang=fr-BE`, `Accept-Language: fr-BE,fr`) signs in
/// and works the queue in French, texts that only the French catalogue holds; the picker then stores Dutch for the
/// account, which beats the browser's French from then on.
extension ConsoleBrowserTests {
    func text(_ browser: Chromium, _ selector: String) throws -> String {
        try browser.evaluate("(document.querySelector(\(quoted(selector))) || {}).textContent || ''") as? String ?? ""
    }

    @Test func aFrenchBrowserSignsInAndSeesTheQueueInFrench() throws {
        let db = try Binary.temporaryDatabase()
        try dossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        let served = try ServedConsole(self, db: db)
        defer { withExtendedLifetime(served) {} }  // serve runs until the test ends
        let (base, push) = (served.base, served.push)

        let browser = try Chromium(language: "fr-BE")
        try browser.navigate(base + "/login")
        try browser.waitFor("!!document.getElementById('login')", what: "the login page")
        #expect(try browser.evaluate("document.documentElement.lang") as? String == "fr")
        #expect(try text(browser, "form#login button") == "Se connecter")
        #expect(try browser.evaluate("document.body.textContent.includes('Mot de passe')") as? Bool == true)
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue after signing in")
        try browser.waitFor("document.getElementById('live').textContent === 'en direct'", what: "the stream, in French")

        // The queue loaded (empty, in French) before the alert arrives, so that it comes as a new one.
        try browser.waitFor(
            "document.querySelector('#rows tr.empty').textContent.startsWith('Aucune alerte à traiter')",
            what: "the empty queue, in French")

        // A strap tamper of the Radex subject: critical, the banner and the row in French.
        try push.send(event("TAG-0001", 1, 5, #""kind":"strap","state":"opened""#))
        try browser.waitFor("document.querySelectorAll('#rows tr[id]').length === 1", what: "the alert's row")
        try browser.waitFor("!document.getElementById('banner').hidden", what: "the banner of a new critical alert")
        let row = try text(browser, "#rows tr[id]")
        #expect(row.contains("sabotage du bracelet") && row.contains("critique") && row.contains("ouverte"))
        #expect(try text(browser, "#rows button[data-act=ack]") == "Accuser réception")
        #expect(try text(browser, "#rows button[data-act=respond]") == "Mesure…")
        #expect(try text(browser, "#banner").contains("NOUVELLE ALERTE CRITIQUE"))
        #expect(try text(browser, "#counts").hasPrefix("1 ouvertes, 1 critiques"))
        #expect(try text(browser, "h1").hasPrefix("File"))
        #expect(try text(browser, "label.toggle:last-of-type").contains("afficher les clôturées"))
        try browser.screenshot(to: Self.screenshots + "/queue-fr.png")

        // Acknowledged: the state in French (the API keeps the contract's code).
        try browser.evaluate("document.querySelector('#rows button[data-act=ack]').click()")
        try browser.waitFor(
            "document.querySelector('#rows [data-field=state]').textContent === 'réception accusée'",
            what: "the acknowledged state in French")
        #expect(try browser.evaluate("document.querySelector('#rows tr[id]').dataset.state") as? String == "acknowledged")

        // The picker stores Dutch for the account: it beats the browser's French, on every page from now on.
        try browser.evaluate(
            "const p = document.getElementById('lang-pick'); p.value = 'nl'; p.dispatchEvent(new Event('change'))")
        try browser.waitFor("document.documentElement.lang === 'nl'", what: "the page again, in Dutch")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the stream, in Dutch")
        #expect(try text(browser, "h1").hasPrefix("Wachtrij"))
        try browser.waitFor(
            "(document.querySelector('#rows [data-field=state]') || {}).textContent === 'bevestigd'",
            what: "the state in Dutch")
        #expect(try text(browser, "#rows tr[id]").contains("sabotage enkelband"))
        let audit = try Binary.run(["audit", "list", "--action", "user.language", "--format", "json", "--db", db])
        #expect(audit.contains("\"anna\"") && audit.contains("\"nl\""))
    }
}
