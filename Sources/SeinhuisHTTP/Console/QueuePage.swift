import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// A live queue: the frame is rendered here; the rows come from the API and stay live over the event stream
/// (Assets.js, `Console.queue`).
enum QueuePage {
    static func render(queue: Queue, user: SessionUser, lang: Language) -> String {
        let t = { (key: String) in tr(key, lang) }
        let heads = ["colAlert", "colBreach", "colDossier", "colZone", "colAge", "colEscalation"]
            .map { "<th>\(t("console." + $0))</th>" }.joined()
        let name = ConsoleText.name("queue", queue.rawValue, lang)
        let body = """
            <div id="banner" class="banner" hidden role="alert"></div>
            <header class="queue-head"><h1>\(t("console.queueTitle")) <span class="qname">\(name)</span></h1>
            <span id="live" class="live off" title="\(t("console.liveTitle"))">\(t("console.connecting"))</span>
            <span class="counts" id="counts"></span>
            <label class="toggle"><input type="checkbox" id="sound"> \(t("console.sound"))</label>
            <label class="toggle"><input type="checkbox" id="show-closed"> \(t("console.showClosed"))</label></header>
            <table class="alerts" id="alerts"><thead><tr><th></th>\(heads)
            <th title="\(t("console.queueStateHint"))">\(t("console.state"))</th><th>\(t("console.actions"))</th></tr></thead><tbody id="rows">
            <tr class="empty"><td colspan="9">\(t("console.loading"))</td></tr></tbody></table>
            \(actionDialog(lang))
            """
        return HTML.page(
            title: Catalogue.format("console.queueLink", lang, Catalogue.name("queue", queue.rawValue, lang)),
            user: user, lang: lang, active: "queue-\(queue.rawValue)", body: body,
            script: "Console.queue(\(JSONObjectWriter.quoted(queue.rawValue)));")
    }

    /// The dialog for a measure (with a note) or a close; shared by the queue and the alert detail.
    static func actionDialog(_ lang: Language) -> String {
        let t = { (key: String) in tr(key, lang) }
        let measures = Measure.allCases.map {
            #"<option value="\#($0.rawValue)">\#(ConsoleText.name("measure", $0.rawValue, lang))</option>"#
        }.joined()
        return """
            <dialog id="act"><form method="dialog" id="act-form"><h2 id="act-title">\(t("console.measureTitle"))</h2>
            <label>\(t("console.measure")) <select name="measure" id="act-measure"><option value="">\(t("console.noMeasure"))</option>\(measures)</select></label>
            <label>\(t("console.note")) <textarea name="note" id="act-note" rows="3" maxlength="4000" placeholder="\(t("console.notePlaceholder"))"></textarea></label>
            <p class="error" id="act-error" hidden></p>
            <div class="buttons"><button value="cancel" formnovalidate>\(t("console.cancel"))</button><button value="ok" class="primary" id="act-ok">\(t("console.record"))</button></div>
            </form></dialog>
            """
    }
}
