import SeinhuisCore

/// The evaluation's texts and table rows in a language: the HTML and Markdown renderers show the same.
struct EvaluationText {
    let e: Evaluation
    let lang: Language
    var f: Formats { Formats(lang) }

    func t(_ key: String) -> String { Catalogue.text(key, lang) }

    /// `voor v1` / `avant v1`.
    var beforeName: String { Catalogue.format("evaluation.beforeVersion", lang, e.before) }
    var afterName: String { Catalogue.format("evaluation.afterVersion", lang, e.after) }

    /// The period and the versions compared, in one sentence.
    var subtitle: String {
        let from = e.from.map { f.date(ms: $0.milliseconds) } ?? t("evaluation.start")
        let to = e.to.map { f.date(ms: $0.milliseconds) } ?? t("evaluation.now")
        return Catalogue.format("evaluation.subtitle", lang, e.before, e.after, from, to)
            + " " + Catalogue.format("evaluation.generated", lang, f.dateTime(ms: e.generatedAt.milliseconds))
    }

    /// A duration: `42,0 s`, `7 min 05 s`, `3 h 12 min`; signed when `signed`.
    func duration(_ ms: Double?, signed: Bool = false) -> String {
        guard let ms else { return "—" }
        var text = ReportText.duration(Int64(abs(ms).rounded()), lang)
        if lang == .fr { text = text.replacingOccurrences(of: " d ", with: " j ") }  // jours
        guard signed else { return text }
        return (ms < 0 ? "−" : ms > 0 ? "+" : "") + text
    }

    var decimalMark: String { lang == .en ? "." : "," }

    func share(_ x: Double?) -> String { x.map { f.percent($0) } ?? "—" }

    var latencyHeadings: [String] {
        [
            "evaluation.queue", "evaluation.side", "evaluation.alerts", "evaluation.answered", "evaluation.mean",
            "evaluation.median", "evaluation.withinTarget", "evaluation.difference", "evaluation.interval",
        ].map(t)
    }

    /// Two rows per queue (before, after); the difference and its interval on the second.
    var latencyRows: [[String]] {
        e.queues.flatMap { q -> [[String]] in
            let fewer =
                q.resamples == Evaluation.resamples
                ? "" : " (" + Catalogue.format("evaluation.resamples", lang, f.integer(q.resamples)) + ")"
            let interval = q.interval.map {
                "\(duration($0.lowerBound, signed: true)) … \(duration($0.upperBound, signed: true))" + fewer
            }
            return [
                [
                    q.queue.rawValue, beforeName, f.integer(q.before?.alerts ?? 0), f.integer(q.beforeMs.count),
                    duration(q.meanBeforeMs), duration(q.medianBeforeMs), share(q.before?.withinTarget), "", "",
                ],
                [
                    q.queue.rawValue, afterName, f.integer(q.after?.alerts ?? 0), f.integer(q.afterMs.count),
                    duration(q.meanAfterMs), duration(q.medianAfterMs), share(q.after?.withinTarget),
                    duration(q.differenceMs, signed: true), interval ?? "—",
                ],
            ]
        }
    }

    var method: String {
        Catalogue.format(
            "evaluation.method", lang, f.integer(Evaluation.resamples), String(Evaluation.seed),
            f.integer(Evaluation.maxDraws / Evaluation.resamples), f.integer(Evaluation.minimumResamples))
    }

    var monthHeadings: [String] { ["evaluation.month", "evaluation.incidents", "evaluation.escalations"].map(t) }
    var monthRows: [[String]] { e.months.map { [$0.group, f.integer($0.alerts), f.integer($0.escalations)] } }

    var whatIfHeadings: [String] {
        [
            "evaluation.policy", "evaluation.queue", "evaluation.alerts", "evaluation.escalations", "evaluation.mean",
            "p50", "p90", "evaluation.withinTarget",
        ].map { $0.hasPrefix("evaluation.") ? t($0) : $0 }
    }

    var whatIfRows: [[String]] {
        guard let w = e.whatIf else { return [] }
        return w.policies.flatMap { side in
            side.rows.map { r in
                [
                    "\(t(side.role == "current" ? "evaluation.current" : "evaluation.proposed")) \(side.version)",
                    r.queue, f.integer(r.alerts), f.integer(r.escalations), modelled(r, r.response.mean_s),
                    modelled(r, r.response.p50_s), modelled(r, r.response.p90_s), share(r.within_target),
                ]
            }
        }
    }

    /// A modelled duration in seconds; none when the model answered no alert of the row.
    func modelled(_ r: WhatIfComparison.Row, _ seconds: Double) -> String {
        r.response.count == 0 ? "—" : duration(seconds * 1000)
    }

    var whatIfNote: String {
        guard let w = e.whatIf else { return "" }
        let check = t(w.honesty.within_tolerance ? "evaluation.whatIfHonest" : "evaluation.whatIfOff")
        return Catalogue.format(
            "evaluation.whatIfNote", lang, f.integer(w.breaches), f.decimal(w.days), w.seed,
            duration(w.honesty.p50_off_s * 1000, signed: true), duration(w.honesty.p90_off_s * 1000, signed: true))
            + " " + check
    }

    var targetsNote: String? {
        e.unknownTargets.isEmpty
            ? nil : Catalogue.format("evaluation.unknownTargets", lang, e.unknownTargets.joined(separator: ", "))
    }
}
