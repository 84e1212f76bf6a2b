import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// (1.1) A network incident's page (PROTOCOL 4.5): its member alerts grouped under it, and one measure for the whole
/// group (`POST /api/v1/incidents/{id}/respond|close`: the incident and every non-Radex member the queue has not
/// closed). Radex members are listed, marked, and handled on their own pages. A member's page links to its incident.
enum IncidentPanel {
    /// The panel for `alert`: the group (an incident), a link to it (a member), or nothing.
    static func render(_ alert: Alert, members: [Alert], user: SessionUser, lang: Language) -> String {
        let e = HTML.escape
        func t(_ key: String) -> String { e(Catalogue.text(key, lang)) }
        if let incident = alert.incident {
            return #"<p class="incident-link">\#(t("incident.partOf")) <a href="/console/alert/\#(e(incident))">\#(e(incident))</a></p>"#
        }
        guard case .incident = alert.kind else { return "" }
        let queue = user.role.queues.first { alert.queues.contains($0) } ?? .vcet
        let rows = members.map { m -> String in memberRow(m, queue: queue, lang: lang) }.joined()
        let measures = Measure.allCases.map { m -> String in
            let name: String = ConsoleText.name("measure", m.rawValue, lang)
            return #"<option value="\#(m.rawValue)">\#(name)</option>"#
        }.joined()
        let lead = e(Catalogue.format("incident.lead", lang, "\((alert.devices ?? []).count)"))
        return """
            <section class="incident" id="incident" data-incident="\(e(alert.id))">
            <h2>\(e(Catalogue.format("incident.title", lang, alert.network ?? "?")))</h2><p>\(lead)</p>
            <form id="incident-form" class="incident-form"><h3>\(t("incident.groupMeasure"))</h3><p class="muted">\(t("incident.groupHint"))</p>
            <label>\(t("incident.measure")) <select name="measure" id="incident-measure" required>\(measures)</select></label>
            <label>\(t("incident.note")) <input name="note" id="incident-note" maxlength="4000"></label>
            <button type="submit" class="primary" value="respond">\(t("incident.record"))</button>
            <button type="submit" value="close" id="incident-close">\(t("incident.recordAndClose"))</button>
            <p class="error" id="incident-error" hidden></p><p class="ok" id="incident-done" hidden data-text="\(e(Catalogue.text("incident.done", lang)))"></p></form>
            <h3>\(t("incident.members"))</h3>
            <table class="members"><thead><tr><th>\(t("incident.alert"))</th><th>\(t("incident.dossier"))</th><th>\(t("incident.device"))</th>
            <th>\(t("incident.lost"))</th><th>\(t("incident.back"))</th><th>\(t("incident.state"))</th></tr></thead><tbody>\(rows)</tbody></table>
            </section>
            """
    }
}

extension IncidentPanel {
    /// One member alert: its link, dossier (Radex marked), device, when it was lost and back, the queue's handling.
    static func memberRow(_ m: Alert, queue: Queue, lang: Language) -> String {
        let e = HTML.escape
        let state: AlertState = m.handling.byQueue[queue]?.state ?? m.state
        let back: String = m.clearedAt.map { e($0.rfc3339) } ?? "—"
        var dossier: String = e(m.dossier)
        if m.radex {
            let note: String = e(Catalogue.text("incident.radex", lang))
            dossier += " " + HTML.radexBadge(lang) + #" <span class="muted">\#(note)</span>"#
        }
        let head: String = #"<tr data-member="\#(e(m.id))"\#(m.radex ? #" class="radex""# : "")>"#
        let link: String = #"<td><a href="/console/alert/\#(e(m.id))">\#(e(m.id))</a></td>"#
        let cells: String = "<td>\(dossier)</td><td>\(e(m.device ?? "—"))</td><td>\(e(m.eventTs.rfc3339))</td>"
            + "<td>\(back)</td><td>\(HTML.stateBadge(state, lang))</td></tr>"
        return head + link + cells
    }
}

extension Assets {
    /// The incident's group action: posts the measure (and, for "record and close", the close) for the incident and
    /// its non-Radex members, then reloads the page to show their new states.
    static let scriptIncident = #"""
          function incident(id, queue) {
            const form = document.getElementById("incident-form");
            if (!form) return;
            const err = document.getElementById("incident-error"), done = document.getElementById("incident-done");
            form.addEventListener("submit", async ev => {
              ev.preventDefault();
              const close = ev.submitter && ev.submitter.value === "close";
              const body = {measure: form.measure.value, queue};
              if (form.note.value.trim()) body.note = form.note.value;
              err.hidden = true;
              let r = await api("POST", `/api/v1/incidents/${encodeURIComponent(id)}/respond`, body);
              if (r.status === 200 && close) r = await api("POST", `/api/v1/incidents/${encodeURIComponent(id)}/close`, {queue});
              if (r.status !== 200) { err.textContent = r.json.error || String(r.status); err.hidden = false; return; }
              done.textContent = done.dataset.text.replace("{1}", String((r.json.members || []).length));
              done.hidden = false;
              setTimeout(() => location.reload(), 800);
            });
          }
    """#
}
