import Foundation
import SeinhuisCore

/// Formatting shared by the review report's renderers.
enum ReportText {
    /// A duration in words a reader takes in at a glance: `42 s`, `7 min 05 s`, `3 h 12 min`, `2 d 4 h` (`4,2 s` in
    /// Dutch and French).
    static func duration(_ ms: Int64, _ lang: Language) -> String {
        let s = max(0, ms) / 1000
        if s < 60 { return Formats(lang).decimal(Double(max(0, ms)) / 1000) + " s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        if s < 86_400 { return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min" }
        return "\(s / 86_400) d \((s % 86_400) / 3600) h"
    }

    /// A moment in the dossier's time zone: `2026-07-06 14:03`.
    static func local(_ t: Timestamp, _ timezone: String) -> String {
        let clock = LocalClock(identifier: timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        let localMs = t.milliseconds + clock.offset(at: t.milliseconds)
        let day = LocalDate(daysSinceEpoch: LocalClock.floorDivide(localMs, 86_400_000))
        let minutes = Int((localMs - day.daysSinceEpoch * 86_400_000) / 60_000)
        return "\(day) \(TimeWindow.clockText(minutes))"
    }

    /// `1 day`, `12 days` in the language.
    static func days(_ n: Int, _ lang: Language) -> String {
        n == 1 ? Catalogue.text("common.day", lang) : Catalogue.format("common.days", lang, Formats(lang).integer(n))
    }

    /// A calendar day in the language's long form: `30 novembre 2026` (noon UTC is the same day in Brussels).
    static func day(_ d: LocalDate, _ lang: Language) -> String {
        Formats(lang).date(ms: d.daysSinceEpoch * 86_400_000 + 43_200_000)
    }

    /// A moment for people, in the language, in Brussels time: `30 novembre 2026 01:53`.
    static func moment(_ t: Timestamp, _ lang: Language) -> String { Formats(lang).dateTime(ms: t.milliseconds) }

    /// The status line: `due: deadline 2026-11-01 (12 days left)`.
    static func status(_ p: ReviewPosition?, _ lang: Language) -> String {
        guard let p else { return Catalogue.text("report.statusNone", lang) }
        let deadline = day(p.deadline, lang)
        switch p.status {
        case .ok: return Catalogue.format("report.statusOk", lang, deadline, days(p.daysLeft, lang))
        case .due: return Catalogue.format("report.statusDue", lang, deadline, days(p.daysLeft, lang))
        case .overdue: return Catalogue.format("report.statusOverdue", lang, deadline, days(-p.daysLeft, lang))
        }
    }

    /// Latency rows: measure name, current and previous (nil: no previous period or no responses).
    static func latencyRows(_ r: ReviewReport, _ lang: Language) -> [(String, Int64?, Int64?)] {
        let c = r.latency.count > 0 ? r.latency : nil
        let p = (r.previousLatency?.count ?? 0) > 0 ? r.previousLatency : nil
        return [
            (Catalogue.text("report.mean", lang), c.map { Int64($0.meanMs) }, p.map { Int64($0.meanMs) }),
            ("p50", c?.p50Ms, p?.p50Ms),
            ("p90", c?.p90Ms, p?.p90Ms),
            ("max", c?.maxMs, p?.maxMs),
        ]
    }

    /// `2 alerts escalated (5 escalations in all). 7 alerts answered with a measure, 1 without.`
    static func escalations(_ r: ReviewReport, _ lang: Language) -> String {
        let n = Formats(lang).integer
        return Catalogue.format(
            "report.escalations", lang, n(r.escalatedAlerts), n(r.escalations), n(r.answered), n(r.unanswered))
    }

    /// `2 episodes, 1 d 6 h in all, longest 21 h 59 min.` or `No communication loss in the period.`
    static func communicationLoss(_ r: ReviewReport, _ lang: Language) -> String {
        guard r.communicationLossEpisodes > 0 else { return Catalogue.text("report.noCommsLoss", lang) }
        return Catalogue.format(
            "report.commsLossText", lang, Formats(lang).integer(r.communicationLossEpisodes),
            duration(r.communicationLossMs, lang), duration(r.longestCommunicationLossMs, lang))
    }

    /// `Time to acknowledge: p50 1 min 05 s, p90 4 min 00 s (12 acknowledged).`
    static func acknowledge(_ r: ReviewReport, _ lang: Language) -> String {
        let a = r.acknowledge
        guard a.count > 0 else { return Catalogue.text("report.noAck", lang) }
        return Catalogue.format(
            "report.ack", lang, duration(a.p50Ms, lang), duration(a.p90Ms, lang), Formats(lang).integer(a.count))
    }
}

extension LocalClock {
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
