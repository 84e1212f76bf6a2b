import SeinhuisCore

/// The console's words for the alert actions and each queue's handling, in one place: the pages use them here and
/// the script gets the same table (`T` in `Assets.js`). English for now; Dutch-first labelling is a later issue.
enum ConsoleText {
    static let entries: [(key: String, text: String)] = [
        ("ack", "Acknowledge"),
        ("respond", "Measure…"),
        ("close", "Close…"),
        ("handling", "Handling per queue"),
        ("handlingHint", "Each queue handles the alert for itself; the badge at the top sums them up."),
        ("queue", "Queue"),
        ("state", "State"),
        ("acknowledgedAt", "Acknowledged"),
        ("firstMeasureAt", "First measure"),
        ("latestMeasure", "Latest measure"),
        ("closedAt", "Closed"),
        ("actions", "Actions"),
        ("afterDetection", "after detection"),
        ("summary", "all queues together"),
        ("queueStateHint", "This queue's own handling; its tooltip shows all queues together."),
        ("latencyByQueue", "Each queue by its own moments: its own acknowledgement and its own first measure."),
        ("yours", "your queue"),
        ("refused", "Refused"),
        ("none", "—"),
    ]

    /// Dutch first, the English beside it (the live map; the audit page does the same with its own table). The
    /// script gets the Dutch under the same keys.
    static let dutchFirst: [(key: String, nl: String, en: String)] = [
        ("map", "Kaart", "Map"),
        ("mapTitle", "Live kaart", "Live map"),
        ("mapDevice", "Toestel", "Device"),
        ("mapDossier", "Dossier", "Dossier"),
        ("mapBreach", "Inbreuk", "Breach"),
        ("mapFixAge", "Laatste fix", "Latest fix"),
        ("mapAccuracy", "Nauwkeurigheid", "Accuracy"),
        ("mapPosition", "Positie", "Position"),
        ("mapNoFix", "geen bruikbare fix", "no qualifying fix"),
        ("mapNoDevices", "Geen toestellen in uw zicht.", "No devices in your view."),
        ("mapAgo", "geleden", "ago"),
        ("mapLive", "live", "live"),
        ("mapStale", "verbinding weg…", "reconnecting…"),
        ("mapHome", "woning", "home"),
        ("mapExclusion", "verbodszone", "exclusion zone"),
        ("mapInclusion", "gebodszone", "inclusion zone"),
        ("mapDeviceKey", "toestel (rood: open inbreuk)", "device (red: open breach)"),
        ("mapDispatch", "Uw rol ziet wat dispatch nodig heeft: enkel de toestellen en zones van uw open meldingen, geen woningen.",
            "Your role sees what dispatch needs: only the devices and zones of your open alerts, no homes."),
        ("mapScoped", "U ziet de dossiers met een open melding in uw wachtrij.",
            "You see the dossiers with an open alert in your queue."),
    ]

    /// A Dutch-first label as HTML: the Dutch, then the English in a muted span (once if they are the same).
    static func label(_ key: String) -> String {
        guard let l = dutchFirst.first(where: { $0.key == key }) else { return HTML.escape(key) }
        return l.nl == l.en
            ? HTML.escape(l.nl) : #"\#(HTML.escape(l.nl)) <span class="en" lang="en">· \#(HTML.escape(l.en))</span>"#
    }

    static let table: [String: String] = Dictionary(
        entries.map { ($0.key, $0.text) } + dutchFirst.map { ($0.key, $0.nl) }, uniquingKeysWith: { a, _ in a })

    /// The text for `key` (the key itself if it is missing, so a typo shows rather than crashes).
    static func text(_ key: String) -> String { table[key] ?? key }

    /// The table as a JavaScript object literal.
    static var json: String {
        var o = JSONObjectWriter()
        for e in entries { o.string(e.key, e.text) }
        for e in dutchFirst { o.string(e.key, e.nl) }
        return HTML.scriptJSON(o.finish())
    }

    /// A duration as the console shows ages: `45s`, `3m 05s`, `2h 04m`, `1d 3h` (the script's `age`).
    static func duration(ms: Int64) -> String {
        let s = max(0, ms / 1000)
        func p(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(p(s % 60))s" }
        if s < 86400 { return "\(s / 3600)h \(p(s % 3600 / 60))m" }
        return "\(s / 86400)d \(s % 86400 / 3600)h"
    }
}
