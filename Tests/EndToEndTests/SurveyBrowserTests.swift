import Foundation
import Testing

extension ConsoleBrowserTests {
    /// An operator answers the open survey round in Chromium (the form posts JSON with the session's CSRF token);
    /// the cell reads the results and the evaluation page of a database with two policy versions.
    @Test func anOperatorAnswersTheSurveyAndTheCellReadsTheEvaluation() throws {
        let (db, _) = try EvaluationCLITests().twoPolicies()
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        let kp = try password(Binary.run(["user", "add", "kp", "--role", "cell", "--db", db]))
        try Binary.run(["survey", "open", "--db", db, "--title", "Ronde juli"])
        let (server, port) = try startServer(db: db)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        let browser = try Chromium()
        try browser.resize(width: 1300, height: 1000)
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue")
        try browser.evaluate("document.querySelector('nav a[href=\"/console/survey\"]').click()")
        try browser.waitFor("!!document.getElementById('survey-form')", what: "the survey form")
        try browser.screenshot(to: Self.screenshots + "/survey-form.png")
        try browser.evaluate(
            """
            for (const [q, v] of [[1, 4], [2, 2], [3, 5]]) document.querySelector(`input[name=q${q}][value="${v}"]`).click();
            document.getElementById('sv-comment').value = 'sneller dan vroeger';
            document.getElementById('survey-form').requestSubmit();
            """)
        try browser.waitFor("!document.getElementById('sv-done').hidden", what: "the thanks after answering")
        try browser.screenshot(to: Self.screenshots + "/survey-answered.png")
        let rounds = try #require(
            try Binary.json(try Binary.run(["survey", "list", "--db", db, "--format", "json"])) as? [[String: Any]])
        #expect(rounds.first?["answers"] as? Int == 1)
        try browser.navigate(base + "/console/survey")
        try browser.waitFor("document.readyState === 'complete'", what: "the survey page again")
        #expect(try browser.evaluate("!!document.getElementById('survey-form')") as? Bool == false)

        try signOut(browser)
        try signIn(browser, base, "kp", kp)
        try browser.waitFor("location.pathname === '/console/queue/cell'", what: "the cell's queue")
        try browser.evaluate("document.querySelector('nav a[href=\"/console/evaluation\"]').click()")
        try browser.waitFor("!!document.querySelector('form.period select[name=after]')", what: "the evaluation form")
        try browser.evaluate("document.querySelector('form.period').submit()")
        try browser.waitFor("!!document.querySelector('#distributions svg.chart')", what: "the evaluation's plots")
        #expect(try browser.evaluate("document.querySelectorAll('#latency tbody tr').length > 0") as? Bool == true)
        try browser.screenshot(to: Self.screenshots + "/evaluation.png", fullPage: true)
    }
}
