import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// An alert's detail: what happened, the dossier as the role may see it, a map, the events around the breach, the
/// action log, and the actions. It follows the alert's queue live (Assets.js, `Console.detail`).
enum AlertPage {
    static func render(_ c: AlertContext, user: SessionUser, lang: Language) -> String {
        let a = c.alert
        let e = HTML.escape
        let t = { (key: String) in tr(key, lang) }
        let follow = a.queues.first { user.role.queues.contains($0) } ?? user.role.queues[0]
        var dossier = "<p class=\"muted\">\(t("alert.noDossier"))</p>"
        var map = ""
        if let d = c.dossier {
            dossier = dossierFacts(d, c, lang)
            map = mapSVG(d, c, lang)
        }
        let events = eventRows(c, lang)
        let summary = HTML.stateBadge(a.state, lang)
            .replacingOccurrences(of: "<span ", with: #"<span title="\#(t("console.summary"))" "#)
        // The queues the user acts for, and the action log (each queue's latest measure), for the script.
        let mine = HTML.scriptJSON(
            "[" + user.role.queues.map { JSONObjectWriter.quoted($0.rawValue) }.joined(separator: ",") + "]")
        let actions = HTML.scriptJSON("[" + c.actions.map(\.json).joined(separator: ",") + "]")
        let body = """
            <div id="banner" class="banner" hidden role="alert"></div>
            <header class="alert-head sev-border-\(e(a.severity.rawValue))"><h1>\(e(a.id)) · \(ConsoleText.name("kind", a.kind.rawValue, lang))</h1>
            \(HTML.severityBadge(a.severity, lang)) \(a.radex ? HTML.radexBadge(lang) : "") \(summary)
            <span id="live" class="live off">\(t("console.connecting"))</span></header>
            \(HandlingTable.render(a, actions: c.actions, role: user.role, lang: lang))
            \(IncidentPanel.render(a, members: c.members, user: user, lang: lang))
            <div class="grid">
            <section><h2>\(t("alert.alert"))</h2><table class="facts">\(factRows(a, lang))</table>
            <h2>\(t("alert.log"))</h2><ol class="log" id="log">\(log(c.actions, lang))</ol></section>
            <section><h2>\(t("alert.map"))</h2>\(map.isEmpty ? "<p class=\"muted\">\(t("alert.noMap"))</p>" : map)
            <p class="legend-line"><span class="key key-home"></span> \(t("map.home")) <span class="key key-ex"></span> \(t("map.exclusion"))
            <span class="key key-in"></span> \(t("map.inclusion")) <span class="key key-fix"></span> \(t("alert.fixKey"))</p>
            <h2>\(t("alert.dossier"))</h2>\(dossier)</section></div>
            <section><h2>\(t("alert.events")) <span class="muted">(\(trf("alert.eventsWindow", lang, e(a.device ?? "—"))))</span></h2>
            <table class="events"><thead><tr><th>\(t("alert.time"))</th><th>\(t("alert.seq"))</th><th>\(t("alert.kind"))</th><th>\(t("alert.reading"))</th></tr></thead>
            <tbody>\(events.isEmpty ? #"<tr class="empty"><td colspan="4">\#(t("alert.noEvents"))</td></tr>"# : events)</tbody></table></section>
            \(QueuePage.actionDialog(lang))
            """
        return HTML.page(
            title: a.id, user: user, lang: lang, active: "queue-\(follow.rawValue)", body: body,
            script:
                "Console.detail(\(HTML.scriptJSON(a.json)), \(JSONObjectWriter.quoted(follow.rawValue)), \(mine), \(actions));"
                + "Console.incident(\(JSONObjectWriter.quoted(a.id)), \(JSONObjectWriter.quoted(follow.rawValue)));"
        )
    }

    /// The alert's facts, as table rows.
    static func factRows(_ a: Alert, _ lang: Language) -> String {
        let e = HTML.escape
        let when = { (ts: Timestamp) in
            #"<time datetime="\#(ts.rfc3339)">\#(e(Formats(lang).dateTime(ms: ts.milliseconds)))</time>"#
        }
        var facts: [(String, String)] = [
            ("alert.breach", ConsoleText.name("kind", a.kind.rawValue, lang)),
            ("alert.severity", HTML.severityBadge(a.severity, lang)),
            ("alert.dossier", e(a.dossier) + (a.radex ? " " + HTML.radexBadge(lang) : "")),
            ("alert.device", e(a.device ?? "—")),
            ("alert.zone", e(a.zone ?? "—")),
            ("alert.eventTime", when(a.eventTs)),
            (
                "alert.detected",
                #"\#(when(a.detectedAt)) · <span class="age" data-since="\#(a.detectedAt.rfc3339)"></span> \#(tr("alert.ago", lang))"#
            ),
            ("alert.cleared", a.clearedAt.map(when) ?? tr("alert.stillOpen", lang)),
            ("alert.queues", a.queues.map { ConsoleText.name("queue", $0.rawValue, lang) }.joined(separator: ", ")),
            ("alert.escalation", #"<span data-field="escalation">\#(a.escalation)</span>"#),
            ("alert.policy", e(a.policy)),
        ]
        if let d = a.deadline { facts.append(("alert.reviewDeadline", e(d))) }
        return facts.map { "<tr><th>\(tr($0.0, lang))</th><td>\($0.1)</td></tr>" }.joined()
    }

    /// The dossier as the role may see it: all its conditions, or (dispatch) what dispatch needs.
    static func dossierFacts(_ d: Dossier, _ c: AlertContext, _ lang: Language) -> String {
        let e = HTML.escape
        let none = tr("alert.none", lang)
        var rows: [(String, String)] = [
            ("alert.pseudonym", e(d.subject)), ("alert.radex", d.radex ? HTML.radexBadge(lang) : tr("common.no", lang)),
        ]
        rows.append(("alert.home", "\(coord(d.home.center)) ±\(Int(d.home.radiusMetres)) m"))
        if c.view == .conditions {
            rows.append(("alert.mandate", e(d.mandate.rawValue)))
            rows.append(
                ("alert.period",
                    e(d.start.description) + " – " + (d.end.map { e($0.description) } ?? tr("alert.periodOpen", lang))))
            rows.append(("alert.timeZone", e(d.timezone)))
            rows.append(("alert.curfew", d.curfew.isEmpty ? none : d.curfew.map(window).joined(separator: "<br>")))
            rows.append(("alert.devices", e(d.devices.joined(separator: ", "))))
            rows.append(("alert.lossAfter", "\(d.commsTimeoutSeconds) s"))
        }
        let zones = zoneItems(c.visibleZones, lang)
        rows.append(
            (c.view == .conditions ? "alert.zones" : "alert.breachZone", zones.isEmpty ? none : "<ul>\(zones)</ul>"))
        var html =
            "<table class=\"facts\">" + rows.map { "<tr><th>\(tr($0.0, lang))</th><td>\($0.1)</td></tr>" }.joined()
            + "</table>"
        if c.view == .dispatch { html += #"<p class="hint">\#(tr("alert.dispatchHint", lang))</p>"# }
        return html
    }

    /// One list item per zone: id, kind, shape and schedule.
    static func zoneItems(_ zones: [Zone], _ lang: Language) -> String {
        zones.map { z -> String in
            let shape: String
            switch z.shape {
            case .circle(let g): shape = "\(tr("alert.circle", lang)) \(coord(g.center)) r \(Int(g.radiusMetres)) m"
            case .polygon(let p): shape = trf("alert.polygon", lang, String(p.vertices.count))
            }
            let schedule =
                z.schedule.isEmpty ? tr("alert.always", lang) : z.schedule.map(window).joined(separator: ", ")
            let e = HTML.escape
            let kind = tr(z.kind == .exclusion ? "map.exclusion" : "map.inclusion", lang)
            return "<li><strong>\(e(z.id))</strong> \(kind) · \(shape) · \(schedule)</li>"
        }.joined()
    }

    /// The map of home, the zones the role sees and the latest fixes.
    static func mapSVG(_ d: Dossier, _ c: AlertContext, _ lang: Language) -> String {
        var map = SVGMap(
            home: d.home, zones: c.visibleZones,
            fixes: c.fixes.compactMap { ev in
                if case .position(let lat, let lon, let acc) = ev.reading {
                    return (GeoPoint(lat: lat, lon: lon), acc, ev.ts)
                }
                return nil
            }, breachZone: c.alert.zone)
        map.label = Catalogue.text("alert.svgLabel", lang)
        map.homeLabel = Catalogue.text("map.home", lang)
        return map.render()
    }

    /// The events around the breach as table rows; the event at the breach's moment is marked.
    static func eventRows(_ c: AlertContext, _ lang: Language) -> String {
        let e = HTML.escape
        return c.events.map { ev -> String in
            let mark = ev.ts == c.alert.eventTs ? #" class="at-breach""# : ""
            return
                "<tr\(mark)><td>\(e(ev.ts.rfc3339))</td><td>\(ev.seq)</td><td>\(ConsoleText.name("event", ev.kind.name, lang))</td><td>\(e(ev.readingText))</td></tr>"
        }.joined()
    }

    static func log(_ actions: [StoredAction], _ lang: Language) -> String {
        if actions.isEmpty { return #"<li class="muted">\#(tr("console.nothingRecorded", lang))</li>"# }
        return actions.map { x in
            let what = [x.record.measure.map { Catalogue.name("measure", $0.rawValue, lang) }, x.record.note]
                .compactMap { $0 }.map(HTML.escape).joined(separator: " — ")
            let role = x.role.map { #" <span class="muted">(\#(ConsoleText.name("role", $0, lang)))</span>"# } ?? ""
            let queue =
                x.queue.map {
                    #" <span class="log-queue">\#(trf("console.forQueue", lang, ConsoleText.name("queue", $0.rawValue, lang)))</span>"#
                } ?? ""
            let time = #"<time datetime="\#(x.at.rfc3339)">\#(HTML.escape(Formats(lang).dateTime(ms: x.at.milliseconds)))</time>"#
            let action = ConsoleText.name("action", x.record.kind.rawValue, lang)
            return
                "<li>\(time) <strong>\(HTML.escape(x.actor))</strong>\(role) \(action)\(queue)\(what.isEmpty ? "" : ": " + what)</li>"
        }.joined()
    }

    static func coord(_ p: GeoPoint) -> String {
        String(format: "%.5f, %.5f", p.lat, p.lon)
    }

    static func window(_ w: TimeWindow) -> String {
        w.days.map { "\($0)" }.joined(separator: " ") + " " + TimeWindow.clockText(w.from) + "–"
            + TimeWindow.clockText(w.to)
    }
}
