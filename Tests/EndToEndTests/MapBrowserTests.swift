import Foundation
import Testing
import ZeroMQ

/// The live map in the browser: the operator opens it from the navigation, sees every device with the one in
/// breach highlighted, and a position pushed over ZeroMQ moves a device on the open page without a reload; the
/// police see only the device of their alert, and no home.
extension ConsoleBrowserTests {
    func marker(_ device: String) -> String { "document.querySelector('svg.map g.device[data-device=\"\(device)\"]')" }

    @Test func aPositionEventMovesTheDeviceOnTheOpenMap() throws {
        let db = try Binary.temporaryDatabase()
        try dossiers.write(toFile: db + ".json", atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", db + ".json", "--db", db])
        let anna = try password(Binary.run(["user", "add", "anna", "--role", "operator", "--db", db]))
        let piet = try password(Binary.run(["user", "add", "piet", "--role", "police", "--db", db]))
        let served = try ServedConsole(self, db: db)
        defer { withExtendedLifetime(served) {} }  // serve runs until the test ends
        let (base, push) = (served.base, served.push)
        // A device of another dossier near its home, and the Radex subject in the exclusion zone (critical: to vcet,
        // coordinator, cic and police).
        try push.send(event("TAG-0002", 1, 60, #""kind":"position","lat":51.2101,"lon":4.4001,"acc":10"#))
        try push.send(event("TAG-0001", 1, 40, #""kind":"position","lat":51.0534,"lon":3.7259,"acc":9"#))
        try push.send(event("TAG-0001", 2, 20, #""kind":"position","lat":51.0535,"lon":3.7260,"acc":8"#))

        let browser = try Chromium()
        try browser.resize(width: 1400, height: 1100)
        try signIn(browser, base, "anna", anna)
        try browser.waitFor("location.pathname === '/console/queue/vcet'", what: "the vcet queue after signing in")
        try browser.evaluate("document.querySelector('nav a[href=\"/console/map\"]').click()")
        try browser.waitFor("location.pathname === '/console/map'", what: "the map from the navigation")
        try browser.waitFor(
            "\(marker("TAG-0002")) && document.querySelector('svg.map g.device-breach[data-device=\"TAG-0001\"]')",
            what: "both devices, the one in breach highlighted")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the map's polling")
        #expect(
            try browser.evaluate(
                "document.querySelector('#map-rows tr[data-device=\"TAG-0001\"]').textContent.includes('exclusion zone entry')"
            ) as? Bool == true)
        #expect(
            try browser.evaluate("!!document.querySelector('svg.map g.device-breach a[href^=\"/console/alert/A-\"]')")
                as? Bool == true)
        #expect(try browser.evaluate("document.querySelectorAll('svg.map .home').length") as? Int == 5)
        try browser.screenshot(to: Self.screenshots + "/map.png")

        // The subject of the other dossier walks on: the marker moves, the page is the same page (no reload).
        try browser.evaluate("window.sameMapPage = true")
        let before = try browser.evaluate("\(marker("TAG-0002")).querySelector('.dev-dot').getAttribute('cx')") as? String
        try push.send(event("TAG-0002", 2, 1, #""kind":"position","lat":51.2150,"lon":4.4100,"acc":6"#))
        try browser.waitFor(
            "Number(\(marker("TAG-0002")).dataset.lat) === 51.215", what: "the device to move on the open map",
            timeout: 20)
        #expect(try browser.evaluate("window.sameMapPage === true") as? Bool == true)
        let after = try browser.evaluate("\(marker("TAG-0002")).querySelector('.dev-dot').getAttribute('cx')") as? String
        #expect(before != nil && after != nil && before != after)
        #expect(
            try browser.evaluate("document.querySelector('#map-rows tr[data-device=\"TAG-0002\"]').textContent.includes('±6 m')")
                as? Bool == true)
        try browser.screenshot(to: Self.screenshots + "/map-moved.png")

        // The police: the device of their alert and its zone only; no other device, no home.
        try signOut(browser)
        try signIn(browser, base, "piet", piet)
        try browser.waitFor("location.pathname === '/console/queue/police'", what: "the police queue")
        try browser.navigate(base + "/console/map")
        try browser.waitFor("document.getElementById('live').textContent === 'live'", what: "the police's map")
        #expect(try browser.evaluate("document.querySelectorAll('svg.map g.device').length") as? Int == 1)
        #expect(try browser.evaluate("!!\(marker("TAG-0001"))") as? Bool == true)
        #expect(try browser.evaluate("document.querySelectorAll('svg.map .home').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('svg.map .zone').length") as? Int == 1)
        #expect(try browser.evaluate("document.body.textContent.includes('TAG-0002')") as? Bool == false)
        try browser.screenshot(to: Self.screenshots + "/map-police.png")
    }
}
