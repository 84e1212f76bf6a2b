import Hummingbird
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

/// The administrator's view of the audit trail: filters like `seinhuis audit list`, newest first, a page at a time,
/// and the chain's verification on request, in the reader's language.
enum AuditPage {
    static let pageSize = 100

    static func render(
        _ entries: [AuditRecord], query: AuditQuery, verification: AuditVerification?, user: SessionUser,
        lang: Language
    ) -> String {
        let e = HTML.escape
        let label = { (key: String) in tr("audit." + key, lang) }
        func field(_ name: String, _ value: String?, type: String = "text") -> String {
            #"<label>\#(label(name)) <input type="\#(type)" name="\#(name)" value="\#(e(value ?? ""))"></label>"#
        }
        let form = """
            <form class="period" method="get" action="/console/audit" id="audit-filter">\(field("actor", query.actor))
            \(field("dossier", query.dossier))\(field("action", query.action))
            \(field("from", query.from.map { String($0.rfc3339.prefix(10)) }, type: "date"))
            \(field("to", query.to.map { String($0.rfc3339.prefix(10)) }, type: "date"))
            <button type="submit">\(label("filter"))</button></form>
            <form method="get" action="/console/audit" class="inline"><input type="hidden" name="verify" value="1">
            <button type="submit" id="audit-verify">\(label("verify"))</button></form>
            """
        let rows = entries.map { r in
            "<tr data-id=\"\(r.id)\"><td class=\"num\">\(r.id)</td><td><time datetime=\"\(r.at.rfc3339)\">\(e(Formats(lang).dateTime(ms: r.at.milliseconds)))</time></td><td>\(e(r.actor))</td>"
                + "<td>\(e(r.role ?? ""))</td><td>\(e(r.queue ?? ""))</td><td>\(e(r.action))</td>"
                + "<td>\(e(r.subject))</td><td>\(e(r.dossier ?? ""))</td><td>\(e(r.detail))</td></tr>"
        }.joined()
        let headers = ["at", "actor", "role", "queue", "action", "subject", "dossier", "detail"]
            .map { "<th>\(label($0))</th>" }.joined()
        var body = """
            <header class="queue-head"><h1>\(tr("console.audit", lang))</h1></header>
            \(verification.map { status($0, lang) } ?? "")\(form)
            <table class="alerts audit" id="audit"><thead><tr><th>#</th>\(headers)</tr></thead>
            <tbody>\(rows.isEmpty ? #"<tr class="empty"><td colspan="9">\#(label("none"))</td></tr>"# : rows)</tbody></table>
            """
        if entries.count == query.limit, let last = entries.last {
            body +=
                #"<p class="paging"><a id="audit-older" href="\#(e(link(query, before: last.id)))">\#(label("older")) ›</a></p>"#
        }
        return HTML.page(title: Catalogue.text("console.audit", lang), user: user, lang: lang, active: "audit", body: body)
    }

    static func status(_ v: AuditVerification, _ lang: Language) -> String {
        let label = { (key: String) in tr("audit." + key, lang) }
        if v.intact {
            return #"<p class="ok" id="audit-status" role="status">\#(label("intact")): \#(v.verified)</p>"#
        }
        let lines = v.problems.map { "<li>#\($0.id) \(HTML.escape($0.kind.rawValue)): \(HTML.escape($0.message))</li>" }
        return
            #"<div class="error" id="audit-status" role="alert"><p>\#(label("broken"))</p><ul>\#(lines.joined())</ul></div>"#
    }

    /// The same filters, the next page down.
    static func link(_ q: AuditQuery, before: Int64) -> String {
        var parts: [String] = []
        func add(_ k: String, _ v: String?) {
            guard let v else { return }
            let enc = v.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))
            parts.append("\(k)=\(enc ?? "")")
        }
        add("actor", q.actor)
        add("dossier", q.dossier)
        add("action", q.action)
        add("from", q.from?.rfc3339)
        add("to", q.to?.rfc3339)
        add("before", String(before))
        return "/console/audit?" + parts.joined(separator: "&")
    }
}
