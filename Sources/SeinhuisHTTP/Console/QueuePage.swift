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
            <th>Age</th><th>Esc.</th><th title="\(ConsoleText.text("queueStateHint"))">State</th><th>Actions</th></tr></thead><tbody id="rows">
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
