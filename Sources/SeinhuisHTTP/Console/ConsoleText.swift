import SeinhuisApp
import SeinhuisCore

/// The console's texts come from the one message catalogue (`Catalogue`, in SeinhuisApp): `tr` and `trf` give them
/// escaped for HTML in the page's language (`ConsoleLanguage.of`); the script gets the same texts as `T`.
enum ConsoleText {
    /// The catalogue's areas the script reads (`T["console.ack"]`, and the display names of codes).
    static let scriptAreas = ["common.", "console.", "map.", "kind.", "severity.", "state.", "measure.", "action.",
        "queue.", "role."]

    /// The script's table for `lang`, as JSON safe inside a `<script>` element.
    static func script(_ lang: Language) -> String {
        var o = JSONObjectWriter()
        for (key, text) in Catalogue.table(lang).sorted(by: { $0.key < $1.key })
        where scriptAreas.contains(where: { key.hasPrefix($0) }) {
            o.string(key, text)
        }
        return HTML.scriptJSON(o.finish())
    }

    /// The display name of a contract code (`kind`, `severity`, `state`, `queue`, `measure`, `action`, `role`), escaped.
    static func name(_ area: String, _ code: String, _ lang: Language) -> String {
        HTML.escape(Catalogue.name(area, code, lang))
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

/// The catalogue's text for `key` in `lang`, escaped for HTML.
func tr(_ key: String, _ lang: Language) -> String { HTML.escape(Catalogue.text(key, lang)) }

/// The catalogue's text with its placeholders filled: the template is escaped, the arguments go in as given (the
/// caller escapes what came from the database or a request).
func trf(_ key: String, _ lang: Language, _ args: String...) -> String {
    var out = HTML.escape(Catalogue.text(key, lang))
    for (i, a) in args.enumerated() { out = out.replacingOccurrences(of: "{\(i + 1)}", with: a) }
    return out
}
