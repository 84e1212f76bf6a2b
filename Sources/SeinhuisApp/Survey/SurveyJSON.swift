import SeinhuisCore
import SeinhuisStore

/// The survey as JSON: `seinhuis survey list|results --format json` and the API alike.
extension SurveyRound {
    /// The round, its standard title and questions in `lang`; `answeredByYou` for the API's caller (nil: not said).
    public func json(answeredByYou: Bool? = nil, lang: Language = .standard) -> String {
        var o = JSONObjectWriter()
        o.int("id", id)
        o.string("title", title(lang))
        o.strings("questions", questions(lang))
        o.string("state", isOpen ? "open" : "closed")
        o.string("opened_at", openedAt.rfc3339)
        o.string("closed_at", closedAt?.rfc3339)
        o.int("answers", answered)
        if let answeredByYou { o.bool("answered_by_you", answeredByYou) }
        return o.finish()
    }
}

extension SurveyResults {
    public func json(_ lang: Language = .standard) -> String {
        var o = JSONObjectWriter()
        o.raw("round", round.json(lang: lang))
        o.bool("shown", shown)
        o.int("minimum_group", Self.minimumGroup)
        o.int("withheld", withheld)
        o.raw("groups", "[" + groups.map(\.json).joined(separator: ",") + "]")
        return o.finish()
    }
}

extension SurveyGroupResult {
    public var json: String {
        var o = JSONObjectWriter()
        o.string("group", group)
        o.int("answers", answers)
        let qs = questions.enumerated().map { i, q in
            var w = JSONObjectWriter()
            w.int("question", i + 1)
            w.int("count", q.count)
            if let m = q.mean { w.double("mean", m) } else { w.raw("mean", "null") }
            w.raw("distribution", "[" + q.distribution.map(String.init).joined(separator: ",") + "]")
            return w.finish()
        }
        o.raw("questions", "[" + qs.joined(separator: ",") + "]")
        o.strings("comments", comments)
        return o.finish()
    }
}
