import Foundation
import SeinhuisCore

/// Formatting shared by the review report's renderers.
enum ReportText {
    /// A duration in words a reader takes in at a glance: `42 s`, `7 min 05 s`, `3 h 12 min`, `2 d 4 h`.
    static func duration(_ ms: Int64) -> String {
        let s = max(0, ms) / 1000
        if s < 60 { return String(format: "%.1f s", Double(max(0, ms)) / 1000) }
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

    /// The status line: `due: 12 days left (deadline 2026-11-01)`.
    static func status(_ p: ReviewPosition?) -> String {
        guard let p else { return "not in review scope" }
        switch p.status {
        case .ok: return "ok: deadline \(p.deadline) (\(p.daysLeft) days left)"
        case .due: return "due: deadline \(p.deadline) (\(p.daysLeft) days left)"
        case .overdue: return "overdue: deadline \(p.deadline) (\(-p.daysLeft) days over)"
        }
    }

    /// Latency rows: measure name, current and previous (nil: no previous period or no responses).
    static func latencyRows(_ r: ReviewReport) -> [(String, Int64?, Int64?)] {
        let c = r.latency.count > 0 ? r.latency : nil
        let p = (r.previousLatency?.count ?? 0) > 0 ? r.previousLatency : nil
        return [
            ("mean", c.map { Int64($0.meanMs) }, p.map { Int64($0.meanMs) }),
            ("p50", c?.p50Ms, p?.p50Ms),
            ("p90", c?.p90Ms, p?.p90Ms),
            ("max", c?.maxMs, p?.maxMs),
        ]
    }

    /// `3 alerts`, `1 alert`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `2 alerts escalated (5 escalations in all). 7 alerts answered with a measure, 1 without.`
    static func escalations(_ r: ReviewReport) -> String {
        "\(count(r.escalatedAlerts, "alert")) escalated (\(count(r.escalations, "escalation")) in all). "
            + "\(count(r.answered, "alert")) answered with a measure, \(r.unanswered) without."
    }

    /// `2 episodes, 1 d 6 h in all, longest 21 h 59 min.` or `None in the period.`
    static func communicationLoss(_ r: ReviewReport) -> String {
        guard r.communicationLossEpisodes > 0 else { return "No communication loss in the period." }
        return "\(count(r.communicationLossEpisodes, "episode")), \(duration(r.communicationLossMs)) in all, "
            + "longest \(duration(r.longestCommunicationLossMs))."
    }

    /// `Time to acknowledge: p50 1 min 05 s, p90 4 min 00 s (12 acknowledged).`
    static func acknowledge(_ r: ReviewReport) -> String {
        let a = r.acknowledge
        guard a.count > 0 else { return "Time to acknowledge: no alert acknowledged." }
        return "Time to acknowledge: p50 \(duration(a.p50Ms)), p90 \(duration(a.p90Ms)) (\(a.count) acknowledged)."
    }

}

extension LocalClock {
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
