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
    static func buttons(_ id: String, _ queue: Queue, _ state: AlertState) -> String {
        if state == .closed { return "" }
        let e = HTML.escape
        let t = ConsoleText.text
        let attrs = #"data-id="\#(e(id))" data-queue="\#(queue.rawValue)""#
        return (state == .open ? #"<button data-act="ack" \#(attrs)>\#(t("ack"))</button>"# : "")
            + #"<button data-act="respond" \#(attrs)>\#(t("respond"))</button>"#
            + #"<button data-act="close" \#(attrs)>\#(t("close"))</button>"#
    }

    static func render(_ alert: Alert, actions: [StoredAction], role: Role) -> String {
        let t = ConsoleText.text
        let mine = Set(actable(alert, role: role))
        let rows = alert.handling.queues.map { q -> String in
            row(alert, q, alert.handling[q] ?? .open, actions, mine: mine.contains(q), label: role.queues.count == 1)
        }.joined()
        let heads = ["queue", "state", "acknowledgedAt", "firstMeasureAt", "latestMeasure", "closedAt", "actions"]
            .map { "<th>\(t($0))</th>" }.joined()
        return """
            <section class="handling-box"><h2>\(t("handling"))</h2>
            <table class="handling" id="handling"><thead><tr>\(heads)</tr></thead><tbody id="handling-rows">\(rows)</tbody></table>
            <p class="hint">\(t("handlingHint"))</p><p class="error" id="detail-error" role="alert" hidden></p></section>
            """
    }

    /// One queue's row; `label` marks the user's own queue as such (a role with one queue; not the administrator's).
    static func row(
        _ a: Alert, _ q: Queue, _ h: QueueHandling, _ actions: [StoredAction], mine: Bool, label: Bool
    ) -> String {
        let e = HTML.escape
        let t = ConsoleText.text
        func time(_ ts: Timestamp?) -> String { ts.map { "<time>\(e($0.rfc3339))</time>" } ?? t("none") }
        func words(_ m: Measure?) -> String { m.map { e($0.rawValue.replacingOccurrences(of: "_", with: " ")) } ?? "" }
        var first = time(h.firstMeasureAt)
        if let f = h.firstMeasureAt {
            first +=
                #" <span class="after">+\#(ConsoleText.duration(ms: f - a.detectedAt)) \#(t("afterDetection"))</span>"#
        }
        if h.measure != nil { first += " · " + words(h.measure) }
        let latest = latestMeasure(q, h, actions)
        let cls = mine ? #" class="mine""# : ""
        let queueCell = e(q.rawValue) + (mine && label ? #" <span class="muted">(\#(t("yours")))</span>"# : "")
        let actionsCell = mine ? buttons(a.id, q, h.state) : ""
        return """
            <tr data-queue="\(q.rawValue)" data-state="\(h.state.rawValue)"\(cls)><td>\(queueCell)</td>\
            <td><span class="state state-\(h.state.rawValue)">\(h.state.rawValue)</span></td>\
            <td>\(time(h.acknowledgedAt))</td><td>\(first)</td><td>\(latest == nil ? t("none") : words(latest))</td>\
            <td>\(time(h.closedAt))</td><td class="actions">\(actionsCell)</td></tr>
            """
    }
}
