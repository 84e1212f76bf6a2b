import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The alert detail's table of each queue's handling (PROTOCOL 4.4, 1.1): one row per queue the alert reached, with
/// the buttons for the queues the user acts for. The script (`Console.detail`) renders the same rows again on every
/// live update; this is the first paint.
enum HandlingTable {
    /// The queues of the alert the user may act for: a role's own queue, or (an administrator) every queue reached.
    static func actable(_ alert: Alert, role: Role) -> [Queue] {
        alert.handling.queues.filter { role.queues.contains($0) }
    }

    /// The latest measure recorded for `queue` (the action log; an entry from before contract 1.1 names no queue and
    /// was the `vcet` queue's), else the queue's first.
    static func latestMeasure(_ queue: Queue, _ h: QueueHandling, _ actions: [StoredAction]) -> Measure? {
        actions.last { ($0.queue ?? .vcet) == queue && $0.record.measure != nil }?.record.measure ?? h.measure
    }

    /// The buttons for one queue: none once the queue has closed the alert; acknowledge only while it is open.
    static func buttons(_ id: String, _ queue: Queue, _ state: AlertState, _ lang: Language) -> String {
        if state == .closed { return "" }
        let e = HTML.escape
        let attrs = #"data-id="\#(e(id))" data-queue="\#(queue.rawValue)""#
        return (state == .open ? #"<button data-act="ack" \#(attrs)>\#(tr("console.ack", lang))</button>"# : "")
            + #"<button data-act="respond" \#(attrs)>\#(tr("console.respond", lang))</button>"#
            + #"<button data-act="close" \#(attrs)>\#(tr("console.close", lang))</button>"#
    }

    static func render(_ alert: Alert, actions: [StoredAction], role: Role, lang: Language) -> String {
        let mine = Set(actable(alert, role: role))
        let rows = alert.handling.queues.map { q -> String in
            row(
                alert, q, alert.handling[q] ?? .open, actions, mine: mine.contains(q), label: role.queues.count == 1,
                lang: lang)
        }.joined()
        let heads = ["queue", "state", "acknowledgedAt", "firstMeasureAt", "latestMeasure", "closedAt", "actions"]
            .map { "<th>\(tr("console." + $0, lang))</th>" }.joined()
        return """
            <section class="handling-box"><h2>\(tr("console.handling", lang))</h2>
            <table class="handling" id="handling"><thead><tr>\(heads)</tr></thead><tbody id="handling-rows">\(rows)</tbody></table>
            <p class="hint">\(tr("console.handlingHint", lang))</p><p class="error" id="detail-error" role="alert" hidden></p></section>
            """
    }

    /// One queue's row; `label` marks the user's own queue as such (a role with one queue; not the administrator's).
    static func row(
        _ a: Alert, _ q: Queue, _ h: QueueHandling, _ actions: [StoredAction], mine: Bool, label: Bool,
        lang: Language
    ) -> String {
        let e = HTML.escape
        let t = { (key: String) in tr("console." + key, lang) }
        let none = tr("common.none", lang)
        func time(_ ts: Timestamp?) -> String {
            ts.map { #"<time datetime="\#($0.rfc3339)">\#(e(Formats(lang).dateTime(ms: $0.milliseconds)))</time>"# } ?? none
        }
        func words(_ m: Measure?) -> String { m.map { ConsoleText.name("measure", $0.rawValue, lang) } ?? "" }
        var first = time(h.firstMeasureAt)
        if let f = h.firstMeasureAt {
            first +=
                #" <span class="after">+\#(ConsoleText.duration(ms: f - a.detectedAt)) \#(t("afterDetection"))</span>"#
        }
        if h.measure != nil { first += " · " + words(h.measure) }
        let latest = latestMeasure(q, h, actions)
        let cls = mine ? #" class="mine""# : ""
        let queueCell = ConsoleText.name("queue", q.rawValue, lang) + (mine && label ? #" <span class="muted">(\#(t("yours")))</span>"# : "")
        let actionsCell = mine ? buttons(a.id, q, h.state, lang) : ""
        return """
            <tr data-queue="\(q.rawValue)" data-state="\(h.state.rawValue)"\(cls)><td>\(queueCell)</td>\
            <td><span class="state state-\(h.state.rawValue)">\(ConsoleText.name("state", h.state.rawValue, lang))</span></td>\
            <td>\(time(h.acknowledgedAt))</td><td>\(first)</td><td>\(latest == nil ? none : words(latest))</td>\
            <td>\(time(h.closedAt))</td><td class="actions">\(actionsCell)</td></tr>
            """
    }
}
