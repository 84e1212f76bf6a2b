import SeinhuisCore
import SeinhuisStore

/// An alert's detail: what happened, the dossier as the role may see it, a map, the events around the breach, the
/// action log, and the actions. It follows the alert's queue live (Assets.js, `Console.detail`).
enum AlertPage {
    static func render(_ c: AlertContext, user: SessionUser) -> String {
        let a = c.alert
        let e = HTML.escape
        let follow = a.queues.first { user.role.queues.contains($0) } ?? user.role.queues[0]
        var dossier = "<p class=\"muted\">The dossier is not in the database.</p>"
        var map = ""
        if let d = c.dossier {
            dossier = dossierFacts(d, c)
            map = mapSVG(d, c)
        }
        let events = eventRows(c)
        let summary = HTML.stateBadge(a.state)
            .replacingOccurrences(of: "<span ", with: #"<span title="\#(ConsoleText.text("summary"))" "#)
        // The queues the user acts for, and the action log (each queue's latest measure), for the script.
        let mine = HTML.scriptJSON(
            "[" + user.role.queues.map { JSONObjectWriter.quoted($0.rawValue) }.joined(separator: ",") + "]")
        let actions = HTML.scriptJSON("[" + c.actions.map(\.json).joined(separator: ",") + "]")
        let measures = Measure.allCases.map {
            #"<option value="\#($0.rawValue)">\#($0.rawValue.replacingOccurrences(of: "_", with: " "))</option>"#
        }
        .joined()
        let body = """
            <div id="banner" class="banner" hidden role="alert"></div>
            <header class="alert-head sev-border-\(e(a.severity.rawValue))"><h1>\(e(a.id)) · \(e(a.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</h1>
            \(HTML.severityBadge(a.severity)) \(a.radex ? HTML.radexBadge : "") \(summary)
            <span id="live" class="live off">connecting…</span></header>
            \(HandlingTable.render(a, actions: c.actions, role: user.role))
            \(IncidentPanel.render(a, members: c.members, user: user, lang: .standard))
            <div class="grid">
            <section><h2>Alert</h2><table class="facts">\(factRows(a))</table>
            <h2>Action log</h2><ol class="log" id="log">\(log(c.actions))</ol></section>
            <section><h2>Map</h2>\(map.isEmpty ? "<p class=\"muted\">No map: no dossier.</p>" : map)
            <p class="legend-line"><span class="key key-home"></span> home <span class="key key-ex"></span> exclusion zone
            <span class="key key-in"></span> inclusion zone <span class="key key-fix"></span> fix with accuracy (latest filled)</p>
            <h2>Dossier</h2>\(dossier)</section></div>
            <section><h2>Events around the breach <span class="muted">(±30 min, device \(e(a.device ?? "—")))</span></h2>
            <table class="events"><thead><tr><th>Time</th><th>Seq</th><th>Kind</th><th>Reading</th></tr></thead>
            <tbody>\(events.isEmpty ? #"<tr class="empty"><td colspan="4">No events in the journal for this window.</td></tr>"# : events)</tbody></table></section>
            \(QueuePage.actionDialog(measures))
            """
        return HTML.page(
            title: a.id, user: user, active: "queue-\(follow.rawValue)", body: body,
            script:
                "Console.detail(\(HTML.scriptJSON(a.json)), \(JSONObjectWriter.quoted(follow.rawValue)), \(mine), \(actions));"
                + "Console.incident(\(JSONObjectWriter.quoted(a.id)), \(JSONObjectWriter.quoted(follow.rawValue)));"
        )
    }

    /// The alert's facts, as table rows.
    static func factRows(_ a: Alert) -> String {
        let e = HTML.escape
        var facts: [(String, String)] = [
            ("Breach", e(a.kind.rawValue.replacingOccurrences(of: "_", with: " "))),
            ("Severity", HTML.severityBadge(a.severity)),
            ("Dossier", e(a.dossier) + (a.radex ? " " + HTML.radexBadge : "")),
            ("Device", e(a.device ?? "—")),
            ("Zone", e(a.zone ?? "—")),
            ("Event time", e(a.eventTs.rfc3339)),
            (
                "Detected",
                #"\#(e(a.detectedAt.rfc3339)) · <span class="age" data-since="\#(a.detectedAt.rfc3339)"></span> ago"#
            ),
            ("Cleared", a.clearedAt.map { e($0.rfc3339) } ?? "breach still open"),
            ("Queues", e(a.queues.map(\.rawValue).joined(separator: ", "))),
            ("Escalation", #"<span data-field="escalation">\#(a.escalation)</span>"#),
            ("Policy", e(a.policy)),
        ]
        if let d = a.deadline { facts.append(("Review deadline", e(d))) }
        return facts.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
    }

    /// The dossier as the role may see it: all its conditions, or (dispatch) what dispatch needs.
    static func dossierFacts(_ d: Dossier, _ c: AlertContext) -> String {
        let e = HTML.escape
        var rows: [(String, String)] = [("Pseudonym", e(d.subject)), ("Radex", d.radex ? HTML.radexBadge : "no")]
        rows.append(("Home", "\(coord(d.home.center)) ±\(Int(d.home.radiusMetres)) m"))
        if c.view == .conditions {
            rows.append(("Mandate", e(d.mandate.rawValue)))
            rows.append(("Period", e(d.start.description) + (d.end.map { " – " + e($0.description) } ?? " – open")))
            rows.append(("Time zone", e(d.timezone)))
            rows.append(("Curfew", d.curfew.isEmpty ? "none" : d.curfew.map(window).joined(separator: "<br>")))
            rows.append(("Devices", e(d.devices.joined(separator: ", "))))
            rows.append(("Loss of contact after", "\(d.commsTimeoutSeconds) s"))
        }
        let zones = zoneItems(c.visibleZones)
        rows.append(
            (c.view == .conditions ? "Zones" : "Zone of the breach", zones.isEmpty ? "none" : "<ul>\(zones)</ul>"))
        var html =
            "<table class=\"facts\">" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
            + "</table>"
        if c.view == .dispatch {
            html +=
                #"<p class="hint">Your role sees what dispatch needs: no mandate, curfew, other zones or review findings.</p>"#
        }
        return html
    }

    /// One list item per zone: id, kind, shape and schedule.
    static func zoneItems(_ zones: [Zone]) -> String {
        zones.map { z -> String in
            let shape: String
            switch z.shape {
            case .circle(let g): shape = "circle \(coord(g.center)) r \(Int(g.radiusMetres)) m"
            case .polygon(let p): shape = "polygon of \(p.vertices.count) points"
            }
            let schedule = z.schedule.isEmpty ? "always" : z.schedule.map(window).joined(separator: ", ")
            let e = HTML.escape
            return "<li><strong>\(e(z.id))</strong> \(e(z.kind.rawValue)) · \(shape) · \(schedule)</li>"
        }.joined()
    }

    /// The map of home, the zones the role sees and the latest fixes.
    static func mapSVG(_ d: Dossier, _ c: AlertContext) -> String {
        SVGMap(
            home: d.home, zones: c.visibleZones,
            fixes: c.fixes.compactMap { ev in
                if case .position(let lat, let lon, let acc) = ev.reading {
                    return (GeoPoint(lat: lat, lon: lon), acc, ev.ts)
                }
                return nil
            }, breachZone: c.alert.zone
        ).render()
    }

    /// The events around the breach as table rows; the event at the breach's moment is marked.
    static func eventRows(_ c: AlertContext) -> String {
        let e = HTML.escape
        return c.events.map { ev -> String in
            let mark = ev.ts == c.alert.eventTs ? #" class="at-breach""# : ""
            return
                "<tr\(mark)><td>\(e(ev.ts.rfc3339))</td><td>\(ev.seq)</td><td>\(e(ev.kind.name))</td><td>\(e(ev.readingText))</td></tr>"
        }.joined()
    }

    static func log(_ actions: [StoredAction]) -> String {
        if actions.isEmpty { return #"<li class="muted">Nothing recorded yet.</li>"# }
        return actions.map { x in
            let what = [x.record.measure.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }, x.record.note]
                .compactMap { $0 }.map(HTML.escape).joined(separator: " — ")
            let role = x.role.map { #" <span class="muted">(\#(HTML.escape($0)))</span>"# } ?? ""
            let queue = x.queue.map { #" <span class="log-queue">for \#($0.rawValue)</span>"# } ?? ""
            return
                "<li><time>\(HTML.escape(x.at.rfc3339))</time> <strong>\(HTML.escape(x.actor))</strong>\(role) \(x.record.kind.rawValue)\(queue)\(what.isEmpty ? "" : ": " + what)</li>"
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
