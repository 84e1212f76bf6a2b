import Foundation

/// The review calendar as the testers read PROTOCOL 5, written independently of SeinhuisCore (Foundation's
/// Gregorian calendar does the month arithmetic): the truth `review due` is checked against.
struct HistoryCalendar {
    let cal: Calendar
    let parser: DateFormatter

    init() {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        cal = c
        let f = DateFormatter()
        f.calendar = c
        f.timeZone = c.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        parser = f
    }

    func date(_ s: String) -> Date { parser.date(from: s)! }
    func text(_ d: Date) -> String { parser.string(from: d) }
    func adding(days n: Int, to d: Date) -> Date { cal.date(byAdding: .day, value: n, to: d)! }
    /// Foundation clamps a day the target month lacks to its last day (31 Aug + 6 months = 28/29 Feb).
    func deadline(from basis: Date) -> Date { cal.date(byAdding: .month, value: 6, to: basis)! }
    func days(from a: Date, to b: Date) -> Int { cal.dateComponents([.day], from: a, to: b).day! }

    struct Entry: Equatable {
        var dossier: String
        var status: String
        var deadline: String
        var daysLeft: Int
    }

    /// Due and overdue dossiers on `day` (radex only, active, not ended by a review), overdue first.
    func due(on day: Date, dossiers: [HistoryDossier], reviews: [HistoryReview]) -> [Entry] {
        var out: [Entry] = []
        for d in dossiers where d.radex {
            let start = date(d.start)
            guard start <= day, d.end.map({ day <= date($0) }) ?? true else { continue }
            let known = reviews.filter { $0.dossier == d.id && date($0.date) <= day }
            let latest = known.max { date($0.date) < date($1.date) }
            if latest?.decision == "end" { continue }
            let basis =
                ([d.lastReview.map(date)] + known.map { Optional(date($0.date)) }).compactMap { $0 }.max() ?? start
            let deadline = deadline(from: basis)
            let left = days(from: day, to: deadline)
            if left > 30 { continue }
            out.append(
                Entry(dossier: d.id, status: left < 0 ? "overdue" : "due", deadline: text(deadline), daysLeft: left))
        }
        return out.sorted { ($0.daysLeft, $0.dossier) < ($1.daysLeft, $1.dossier) }
    }
}

/// A dossier of the generated history, as written to dossiers.json.
struct HistoryDossier {
    var id: String
    var radex: Bool
    var start: String
    var end: String?
    var timezone: String
    var lastReview: String?
    var device: String
    var lat: Double
    var lon: Double
}

/// A review the cell holds in the generated history (recorded with `seinhuis review record`).
struct HistoryReview {
    /// The cell members who review: user names of cell accounts (`scripts/review-history` creates them first).
    static let reviewers = ["k.peeters", "a.janssens", "m.elamrani"]

    var dossier: String
    var date: String
    var reviewer: String
    var decision: String
    var findings: String
}
