/// Which dossiers the six-monthly review covers (PROTOCOL 5): the radex dossiers (the contract's minimum), or every
/// ET dossier when the cell chooses to review them all.
public enum ReviewScope: String, Sendable, CaseIterable {
    case radex, all
}

/// Where a dossier stands in its review cycle on a given day.
public enum ReviewStatus: String, Sendable, CaseIterable {
    /// More than 30 days before the deadline.
    case ok
    /// From 30 days before the deadline up to and including the deadline day.
    case due
    /// After the deadline day, until a review is recorded.
    case overdue
}

/// The review calendar of PROTOCOL 5, pure: a dossier is reviewed at least every six calendar months, counted from its
/// latest review (`last_review`, or a review recorded in Seinhuis) or else its `start`.
///
/// Dates are calendar dates in the dossier's own time zone: the deadline is a day, and "today" is the local day of
/// the receive clock in that zone (`LocalClock`).
public enum ReviewCalendar {
    /// How many calendar months a review lasts.
    public static let months = 6
    /// A review becomes due this many days before its deadline.
    public static let dueDays = 30
    /// An overdue notice repeats this many days apart.
    public static let repeatDays = 7

    /// `date` plus `n` calendar months; a day the target month does not have becomes its last day
    /// (31 August + 6 months = 28 or 29 February).
    public static func adding(months n: Int, to date: LocalDate) -> LocalDate {
        let total = Int64(date.year) * 12 + Int64(date.month - 1) + Int64(n)
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        let d = min(Int64(date.day), CivilDate.daysInMonth(year: y, month: m))
        return LocalDate(daysSinceEpoch: CivilDate.days(fromYear: y, month: m, day: d))
    }

    /// The deadline of the cycle that started on `basis` (the latest review, or the dossier's start).
    public static func deadline(from basis: LocalDate) -> LocalDate { adding(months: months, to: basis) }

    /// The first day the review is due.
    public static func dueFrom(deadline: LocalDate) -> LocalDate { deadline.adding(days: -dueDays) }

    /// The status on `today` for a deadline.
    public static func status(deadline: LocalDate, on today: LocalDate) -> ReviewStatus {
        if today > deadline { return .overdue }
        if today >= dueFrom(deadline: deadline) { return .due }
        return .ok
    }

    /// The basis of the current cycle: the latest of the dossier's `last_review` and the latest review recorded on or
    /// before `today`; otherwise the dossier's start.
    public static func basis(start: LocalDate, lastReview: LocalDate?, latestRecorded: LocalDate?) -> LocalDate {
        [lastReview, latestRecorded].compactMap { $0 }.max() ?? start
    }

    /// Whether a dossier is reviewed on `today`: in scope (radex, or every dossier with scope `all`), active that day
    /// (from `start` to `end`), and not ended by a review's decision `end`.
    public static func inScope(
        radex: Bool, start: LocalDate, end: LocalDate?, endedByReview: Bool, scope: ReviewScope, on today: LocalDate
    ) -> Bool {
        guard radex || scope == .all, !endedByReview else { return false }
        return start <= today && (end.map { today <= $0 } ?? true)
    }
}

/// One dossier's review position on a day: what `review due`, the overview and the notices show.
public struct ReviewPosition: Sendable, Equatable {
    public var dossier: String
    public var radex: Bool
    public var timezone: String
    /// The day the current cycle counts from.
    public var basis: LocalDate
    public var deadline: LocalDate
    public var status: ReviewStatus
    /// Days to the deadline (negative once overdue): `deadline - today`.
    public var daysLeft: Int

    public init(
        dossier: String, radex: Bool, timezone: String, basis: LocalDate, today: LocalDate
    ) {
        self.dossier = dossier
        self.radex = radex
        self.timezone = timezone
        self.basis = basis
        deadline = ReviewCalendar.deadline(from: basis)
        status = ReviewCalendar.status(deadline: deadline, on: today)
        daysLeft = Int(deadline.daysSinceEpoch - today.daysSinceEpoch)
    }

    /// Overdue first (most days over first), then due (fewest days left first), then by dossier.
    public static func dueOrder(_ a: ReviewPosition, _ b: ReviewPosition) -> Bool {
        (a.daysLeft, a.dossier) < (b.daysLeft, b.dossier)
    }
}

/// What the calendar needs of a dossier and its recorded reviews.
public struct ReviewSubject: Sendable, Equatable {
    public var dossier: String
    public var radex: Bool
    public var start: LocalDate
    public var end: LocalDate?
    public var timezone: String
    /// `last_review` of the imported dossier (a review held before Seinhuis recorded them).
    public var lastReview: LocalDate?
    /// Recorded reviews: their dates and whether the decision was `end`, in the order recorded.
    public var reviews: [(date: LocalDate, ended: Bool)]

    public init(
        dossier: String, radex: Bool, start: LocalDate, end: LocalDate?, timezone: String, lastReview: LocalDate?,
        reviews: [(date: LocalDate, ended: Bool)]
    ) {
        self.dossier = dossier
        self.radex = radex
        self.start = start
        self.end = end
        self.timezone = timezone
        self.lastReview = lastReview
        self.reviews = reviews
    }

    public init(_ d: Dossier, reviews: [(date: LocalDate, ended: Bool)]) {
        self.init(
            dossier: d.id, radex: d.radex, start: d.start, end: d.end, timezone: d.timezone, lastReview: d.lastReview,
            reviews: reviews)
    }

    public static func == (a: ReviewSubject, b: ReviewSubject) -> Bool {
        a.dossier == b.dossier && a.radex == b.radex && a.start == b.start && a.end == b.end
            && a.timezone == b.timezone && a.lastReview == b.lastReview
            && a.reviews.map(\.date) == b.reviews.map(\.date) && a.reviews.map(\.ended) == b.reviews.map(\.ended)
    }

    /// The position on `today` (local date), or nil when the dossier is out of review scope that day. Reviews dated
    /// after `today` are not seen (so `review due --as-of` shows the past as it stood).
    public func position(on today: LocalDate, scope: ReviewScope) -> ReviewPosition? {
        let known = reviews.filter { $0.date <= today }
        // The latest review's decision stands: `end` takes the dossier out, a later review brings it back.
        let ended = known.last(where: { r in !known.contains { $0.date > r.date } })?.ended ?? false
        guard
            ReviewCalendar.inScope(
                radex: radex, start: start, end: end, endedByReview: ended, scope: scope, on: today)
        else { return nil }
        let basis = ReviewCalendar.basis(
            start: start, lastReview: lastReview, latestRecorded: known.map(\.date).max())
        return ReviewPosition(dossier: dossier, radex: radex, timezone: timezone, basis: basis, today: today)
    }

    /// The local date of an instant in the dossier's time zone (an unknown zone reads as the default one).
    public func localDate(at t: Timestamp) -> LocalDate {
        LocalDate(daysSinceEpoch: ReviewSubject.clock(timezone).localDay(at: t.milliseconds))
    }

    static func clock(_ timezone: String) -> LocalClock {
        LocalClock(identifier: timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
    }
}
