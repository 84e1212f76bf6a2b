import SeinhuisCore
import SeinhuisStore

/// A live queue: the frame is rendered here; the rows come from the API and stay live over the event stream
/// (Assets.js, `Console.queue`).
enum QueuePage {
    static func render(queue: Queue, user: SessionUser) -> String {
        let measures = Measure.allCases.map {
            #"<option value="\#($0.rawValue)">\#($0.rawValue.replacingOccurrences(of: "_", with: " "))</option>"#
        }
        .joined()
        let body = """
            <div id="banner" class="banner" hidden role="alert"></div>
            <header class="queue-head"><h1>Queue <span class="qname">\(HTML.escape(queue.rawValue))</span></h1>
            <span id="live" class="live off" title="Live updates">connecting…</span>
            <span class="counts" id="counts"></span>
            <label class="toggle"><input type="checkbox" id="sound"> sound on new critical</label>
            <label class="toggle"><input type="checkbox" id="show-closed"> show closed</label></header>
            <table class="alerts" id="alerts"><thead><tr><th></th><th>Alert</th><th>Breach</th><th>Dossier</th><th>Zone</th>
            <th>Age</th><th>Esc.</th><th>State</th><th>Actions</th></tr></thead><tbody id="rows">
            <tr class="empty"><td colspan="9">Loading…</td></tr></tbody></table>
            \(actionDialog(measures))
            """
        return HTML.page(
            title: "Queue \(queue.rawValue)", user: user, active: "queue-\(queue.rawValue)", body: body,
            script: "Console.queue(\(JSONObjectWriter.quoted(queue.rawValue)));")
    }

    /// The dialog for a measure (with a note) or a close; shared by the queue and the alert detail.
    static func actionDialog(_ measures: String) -> String {
        """
        <dialog id="act"><form method="dialog" id="act-form"><h2 id="act-title">Record a measure</h2>
        <label>Measure <select name="measure" id="act-measure"><option value="">— none (close only) —</option>\(measures)</select></label>
        <label>Note <textarea name="note" id="act-note" rows="3" maxlength="4000" placeholder="What was done, for the record"></textarea></label>
        <p class="error" id="act-error" hidden></p>
        <div class="buttons"><button value="cancel" formnovalidate>Cancel</button><button value="ok" class="primary" id="act-ok">Record</button></div>
        </form></dialog>
        """
    }
}

/// The dossier overview: every dossier, Radex first, with open alerts and last contact.
enum DossierPage {
    static func render(_ rows: [DossierSummary], user: SessionUser, radexOnly: Bool, now: Timestamp) -> String {
        let shown = rows.filter { !radexOnly || $0.record.radex }.sorted {
            ($0.record.radex ? 0 : 1, -$0.openAlerts, $0.record.id) < (
                $1.record.radex ? 0 : 1, -$1.openAlerts, $1.record.id
            )
        }
        func ago(_ t: Timestamp?) -> String {
            guard let t else { return #"<span class="muted">none in the last hour</span>"# }
            return #"<span class="age" data-since="\#(t.rfc3339)" title="\#(t.rfc3339)"></span> ago"#
        }
        let lines = shown.map { s -> String in
            let r = s.record
            return """
                <tr class="\(r.radex ? "radex-row" : "")"><td>\(HTML.escape(r.id))</td><td>\(HTML.escape(r.subject))</td>
                <td>\(r.radex ? HTML.radexBadge : "")</td><td>\(HTML.escape(r.mandate))</td>
                <td>\(HTML.escape(r.start))\(r.end.map { " – " + HTML.escape($0) } ?? "")</td>
                <td class="num">\(s.openAlerts > 0 ? "<strong>\(s.openAlerts)</strong>" : "0")</td>
                <td>\(s.lastAlertAt.map { #"<span class="age" data-since="\#($0.rfc3339)"></span> ago"# } ?? "—")</td>
                <td>\(ago(s.lastContact))</td><td class="muted">—</td></tr>
                """
        }.joined()
        let radexCount = rows.filter(\.record.radex).count
        let body = """
            <header class="queue-head"><h1>Dossiers</h1><span class="counts">\(rows.count) dossiers, \(radexCount) Radex</span>
            <a class="toggle" href="/console/dossiers\(radexOnly ? "" : "?radex=1")">\(radexOnly ? "show all" : "Radex only")</a></header>
            <table class="alerts"><thead><tr><th>Dossier</th><th>Pseudonym</th><th></th><th>Mandate</th><th>Period</th>
            <th class="num">Open alerts</th><th>Last alert</th><th>Last contact</th><th>Review</th></tr></thead>
            <tbody>\(lines.isEmpty ? #"<tr class="empty"><td colspan="9">No dossiers.</td></tr>"# : lines)</tbody></table>
            <p class="hint">Review status, the review list and the review reports appear here once the review calendar is installed.</p>
            """
        return HTML.page(title: "Dossiers", user: user, active: "dossiers", body: body, script: "Console.ages();")
    }
}
