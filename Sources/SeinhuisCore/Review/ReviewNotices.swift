/// A review notice to raise (PROTOCOL 4.3 and 5): `review_due` to the cell, or `review_overdue` to the cell and the
/// coordinator.
public struct ReviewNotice: Sendable, Equatable {
    /// The notices of a review cycle; the raw value is the contract's name (an `AlertKind.reviewNotice`).
    public enum Kind: String, Sendable, CaseIterable {
        case due = "review_due"
        case overdue = "review_overdue"

        /// PROTOCOL 4.3: `review_due` is low, `review_overdue` medium.
        public var severity: Severity { self == .due ? .low : .medium }
        /// PROTOCOL 5: due to the cell; overdue to the cell and the coordinator.
        public var queues: [Queue] { self == .due ? [.cell] : [.coordinator, .cell] }
    }

    public var dossier: String
    public var radex: Bool
    public var kind: Kind
    public var deadline: LocalDate
    /// When the notice became due: local midnight of its first day (the alert's `event_ts`).
    public var at: Timestamp

    public init(dossier: String, radex: Bool, kind: Kind, deadline: LocalDate, at: Timestamp) {
        self.dossier = dossier
        self.radex = radex
        self.kind = kind
        self.deadline = deadline
        self.at = at
    }

    /// The notice as an alert (no device, no zone, the deadline); `id` and `detectedAt` come from the pipeline.
    public func alert(id: String, detectedAt: Timestamp, policy: String) -> Alert {
        Alert(
            id: id, dossier: dossier, device: nil, kind: .reviewNotice(kind), severity: kind.severity, radex: radex,
            queues: kind.queues, zone: nil, eventTs: at, detectedAt: detectedAt, policy: policy,
            deadline: deadline.description)
    }
}

/// What was already raised for one review cycle (a dossier and a deadline): read back from the stored notices, so a
/// restart raises nothing twice.
public struct ReviewNoticeMarks: Sendable, Equatable {
    public var dueRaised = false
    /// `event_ts` of the latest `review_overdue` of the cycle.
    public var lastOverdue: Timestamp?

    public init(dueRaised: Bool = false, lastOverdue: Timestamp? = nil) {
        self.dueRaised = dueRaised
        self.lastOverdue = lastOverdue
    }

    /// Identifies a cycle: recording a review moves the deadline, which starts a new cycle.
    public struct Key: Sendable, Hashable {
        public var dossier: String
        public var deadline: LocalDate
        public init(dossier: String, deadline: LocalDate) {
            self.dossier = dossier
            self.deadline = deadline
        }
    }
}

/// Which review notices to raise at `now` (pure; `serve` calls it on its receive clock).
///
/// Per cycle: one `review_due` from local midnight 30 days before the deadline; one `review_overdue` at local
/// midnight after the deadline day, then one every 7 days, until a review is recorded (which starts a new cycle).
/// After a pause (the server was down) only the latest notice owed is raised, never a burst of missed weeks; a cycle
/// found already overdue raises no `review_due`.
public enum ReviewNotices {
    public static func evaluate(
        _ subjects: [ReviewSubject], marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks], now: Timestamp,
        scope: ReviewScope
    ) -> (notices: [ReviewNotice], next: Timestamp) {
        var out: [ReviewNotice] = []
        var next = Timestamp.distantFuture
        for s in subjects {
            let clock = ReviewSubject.clock(s.timezone)
            let today = s.localDate(at: now)
            // Scope and status change only at local midnight: look again at the next one.
            next = min(next, Timestamp(milliseconds: clock.instant(day: today.daysSinceEpoch + 1, minutes: 0)))
            guard let p = s.position(on: today, scope: scope) else { continue }
            let mark = marks[ReviewNoticeMarks.Key(dossier: s.dossier, deadline: p.deadline)] ?? ReviewNoticeMarks()
            switch p.status {
            case .ok:
                break
            case .due:
                if !mark.dueRaised {
                    let day = ReviewCalendar.dueFrom(deadline: p.deadline)
                    out.append(notice(s, .due, p.deadline, clock, day))
                }
            case .overdue:
                let first = p.deadline.adding(days: 1)
                let weeks = (today.daysSinceEpoch - first.daysSinceEpoch) / Int64(ReviewCalendar.repeatDays)
                let day = first.adding(days: Int(weeks) * ReviewCalendar.repeatDays)
                let n = notice(s, .overdue, p.deadline, clock, day)
                if let last = mark.lastOverdue, last >= n.at { continue }
                out.append(n)
            }
        }
        return (out, next)
    }

    static func notice(
        _ s: ReviewSubject, _ kind: ReviewNotice.Kind, _ deadline: LocalDate, _ clock: LocalClock, _ day: LocalDate
    ) -> ReviewNotice {
        ReviewNotice(
            dossier: s.dossier, radex: s.radex, kind: kind, deadline: deadline,
            at: Timestamp(milliseconds: clock.instant(day: day.daysSinceEpoch, minutes: 0)))
    }
}
