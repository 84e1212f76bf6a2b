import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Synchronization

/// The live map (`/console/map`) and its data (`GET /api/v1/map`): every device the role may see at its latest
/// qualifying fix, zones and homes as `MapScope` allows, open breaches highlighted. The page polls the API every
/// few seconds (`Console.map`): positions do not travel on the alert feed, and one small read is cheaper than a
/// second fan-out.
enum MapPage {
    /// How often the page asks again, in milliseconds.
    static let pollMs = 3000

    static func addRoutes(page: RouterGroup<ConsoleContext>, api: RouterGroup<ConsoleContext>, store: APIStore) {
        page.get("/console/map") { request, context -> Response in
            let user = try context.requireUser()
            let map = try await load(user.role, store)
            return HTML.response(render(map, user: user, lang: ConsoleLanguage.of(request, user: user)))
        }
        // `?svg=1` adds the map drawn on the server (what the page shows), so the browser draws nothing itself.
        api.get("/api/v1/map") { request, context -> Response in
            let user = try context.requireUser()
            let map = try await load(user.role, store)
            var body = map.json
            if request.uri.queryParameters.get("svg") == "1" {
                body = String(body.dropLast()) + #","svg":\#(JSONObjectWriter.quoted(map.svg(ConsoleLanguage.of(request, user: user))))}"#
            }
            var response = HTTPAPI.json(body)
            response.headers[.cacheControl] = "no-store"  // positions of people: never kept by a cache
            return response
        }
    }

    typealias Parsed = [(dossier: Dossier, period: (start: Timestamp, end: Timestamp))]

    /// Every dossier parsed, with its active period, as of the database's dossier change key: parsing thousands of
    /// dossiers on every poll of every open map would hold up the HTTP side's one connection.
    static let parsed = Mutex<(key: String, dossiers: Parsed)>(("", []))

    static func load(_ role: Role, _ store: APIStore) async throws -> LiveMap {
        let now = WallClock.now()
        let path = store.path
        return try await store.with { s in
            try s.reloadDevices()
            return try LiveMap.load(role: role, store: s, at: now) {
                let key = path + "|" + (try s.dossierChangeKey())
                if let hit = parsed.withLock({ $0.key == key ? $0.dossiers : nil }) { return hit }
                let all: Parsed = try s.dossiers().compactMap { r in
                    try Dossier.parse(r.json).first.map { ($0, $0.activePeriod) }
                }
                parsed.withLock { $0 = (key, all) }
                return all
            }
        }
    }

    static func render(_ map: LiveMap, user: SessionUser, lang: Language) -> String {
        let l = { (key: String) in tr("map." + key, lang) }
        let hint =
            !map.scope.conditions ? l("dispatch") : map.scope.allDossiers ? "" : l("scoped")
        let body = """
            <header class="queue-head"><h1>\(l("title"))</h1>
            <span id="live" class="live off" title="\(tr("console.liveTitle", lang))">\(tr("console.connecting", lang))</span>
            <span class="counts" id="map-counts"></span></header>
            \(hint.isEmpty ? "" : #"<p class="hint">\#(hint)</p>"#)
            <div class="map-wrap" id="map-svg">\(map.svg(lang))</div>
            <p class="legend-line">\(map.scope.conditions ? #"<span class="key key-home"></span> \#(l("home"))"# : "")
            <span class="key key-ex"></span> \(l("exclusion")) <span class="key key-in"></span> \(l("inclusion"))
            <span class="key key-dev"></span> \(l("deviceKey"))</p>
            <table class="alerts" id="map-devices"><thead><tr><th>\(l("device"))</th><th>\(l("dossier"))</th>
            <th>\(l("breach"))</th><th>\(l("fixAge"))</th><th class="num">\(l("accuracy"))</th><th>\(l("position"))</th></tr></thead>
            <tbody id="map-rows">\(rows(map, lang))</tbody></table>
            """
        return HTML.page(
            title: Catalogue.text("map.title", lang), user: user, lang: lang, active: "map", body: body,
            script: "Console.map(\(pollMs));")
    }

    /// The device table's rows (the script builds the same from the JSON on every poll).
    static func rows(_ map: LiveMap, _ lang: Language) -> String {
        let e = HTML.escape
        if map.devices.isEmpty {
            return #"<tr class="empty"><td colspan="6">\#(tr("map.noDevices", lang))</td></tr>"#
        }
        return map.devices.map { d -> String in
            let breach =
                d.breaches.first.map {
                    #"<a class="alert-link" href="/console/alert/\#(e($0.id))">\#(e($0.id))</a> \#(HTML.severityBadge($0.severity, lang)) \#(ConsoleText.name("kind", $0.kind.rawValue, lang))"#
                } ?? ""
            var cells = #"<td class="muted" colspan="3">\#(tr("map.noFix", lang))</td>"#
            if let f = d.fix {
                let ts = Timestamp(milliseconds: f.ts).rfc3339
                cells =
                    #"<td><span class="age" data-since="\#(ts)">\#(ConsoleText.duration(ms: map.at.milliseconds - f.ts))</span> \#(tr("map.ago", lang))</td>"#
                    + #"<td class="num">±\#(Int(f.acc.rounded())) m</td><td>\#(AlertPage.coord(GeoPoint(lat: f.lat, lon: f.lon)))</td>"#
            }
            let cls = d.breaches.first.map { #" class="sev-row-\#($0.severity.rawValue) row-open""# } ?? ""
            return
                #"<tr data-device="\#(e(d.device))"\#(cls)><td>\#(e(d.device))</td><td>\#(e(d.dossier))\#(d.radex ? " " + HTML.radexBadge(lang) : "")</td><td>\#(breach)</td>\#(cells)</tr>"#
        }.joined()
    }
}
