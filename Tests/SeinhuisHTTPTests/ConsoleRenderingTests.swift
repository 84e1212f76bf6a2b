import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import Testing

@Suite("console pieces: escaping, the map, the live fan-out")
struct ConsoleRenderingTests {
    @Test func htmlEscapingCoversMarkupAndQuotes() {
        #expect(
            HTML.escape(#"<script>alert("x")</script> & 'y'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTML.scriptJSON(#"{"a":"</script>"}"#) == #"{"a":"\u003c/script\u003e"}"#)
        // Pages carry no external asset and a content security policy that forbids loading any.
        let page = HTML.page(title: "<x>", user: nil, lang: .nl, body: "")
        #expect(page.contains("&lt;x&gt;") && !page.contains("http://") && !page.contains("https://"))
        let csp = HTML.response(page).headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'self'"))
    }

    @Test func theMapPutsNorthUpEastRightAndEscapesLabels() throws {
        let home = GeoCircle(center: GeoPoint(lat: 51.05, lon: 3.72), radiusMetres: 60)
        let east = GeoPoint(lat: 51.05, lon: 3.7243)  // about 300 m east
        let north = GeoPoint(lat: 51.0527, lon: 3.72)  // about 300 m north
        let zone = Zone(
            id: "Z-<b>", kind: .exclusion, shape: .circle(GeoCircle(center: north, radiusMetres: 50)))
        let map = SVGMap(
            home: home, zones: [zone],
            fixes: [(east, 25, Timestamp(milliseconds: 0)), (north, 10, Timestamp(milliseconds: 1000))],
            breachZone: "Z-<b>")
        let p = map.local(east)
        #expect(abs(p.x - 300) < 5 && abs(p.y) < 1)
        let q = map.local(north)
        #expect(abs(q.y - 300) < 5 && abs(q.x) < 1)
        let svg = map.render()
        #expect(svg.contains("Z-&lt;b&gt;") && !svg.contains("Z-<b>"))
        #expect(svg.contains(#"class="zone zone-exclusion zone-breach""#))
        #expect(svg.contains("fix-latest") && svg.contains("acc-latest"))
        // Screen coordinates: the eastern fix right of home, the northern one above it.
        func circle(_ cls: String) throws -> (Double, Double) {
            let r = try #require(svg.range(of: #"<circle class="\#(cls)" cx=""#))
            let rest = svg[r.upperBound...]
            let cx = Double(rest.prefix { $0 != "\"" })!
            let cy = Double(rest.drop { $0 != "y" }.dropFirst(3).prefix { $0 != "\"" })!
            return (cx, cy)
        }
        let h = try circle("home")
        let fix = try circle("fix")
        let latest = try circle("fix fix-latest")
        #expect(fix.0 > h.0 + 50 && abs(fix.1 - h.1) < 2)
        #expect(latest.1 < h.1 - 50 && abs(latest.0 - h.0) < 2)
    }

    @Test func liveAlertsReachOnlyTheQueuesFollowersAndEndOnShutdown() async throws {
        let live = LiveAlerts()
        let vcet = live.follow(.vcet)
        let police = live.follow(.police)
        #expect(live.followerCount == 2)
        live.publish(queue: .vcet, json: "one")
        live.publish(queue: .cell, json: "nobody")
        // More than a buffer's worth never blocks the publisher; the oldest are dropped.
        for i in 0..<(LiveAlerts.bufferSize + 10) { live.publish(queue: .police, json: "p\(i)") }
        live.finishAll()
        var got: [String] = []
        for await m in vcet { if case .alert(let j) = m { got.append(j) } }
        #expect(got == ["one"])
        var count = 0
        var first: String?
        for await m in police {
            if case .alert(let j) = m {
                count += 1
                if first == nil { first = j }
            }
        }
        #expect(count == LiveAlerts.bufferSize)
        #expect(first == "p10")
        // Following after shutdown ends at once.
        for await _ in live.follow(.vcet) { Issue.record("no message expected") }
    }
}
