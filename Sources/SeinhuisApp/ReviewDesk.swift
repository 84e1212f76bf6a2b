import Foundation
import SeinhuisCore
import SeinhuisStore

/// The review desk: what the CLI and the HTTP API share for PROTOCOL 5 — the due list, recording a review, the
/// report, and the overview of dossiers. Reads and writes through one `Store`; the rules are SeinhuisCore's.
public enum ReviewDesk {
    /// The day to judge: a given calendar date for every dossier, or each dossier's local date at an instant.
    public enum Day: Sendable {
        case date(LocalDate)
        case instant(Timestamp)

        func local(_ s: ReviewSubject) -> LocalDate {
            switch self {
            case .date(let d): d
            case .instant(let t): s.localDate(at: t)
            }
        }
    }

    /// The stored dossiers with their reviews, as the calendar sees them.
    public static func subjects(_ store: Store) throws -> [(Dossier, ReviewSubject)] {
        try store.reviewSubjects(of: store.dossierSet().dossiers)
    }

    /// Every dossier in scope whose review is due or overdue on `day`: overdue first (most days over first).
    public static func due(_ store: Store, on day: Day, scope: ReviewScope) throws -> [ReviewPosition] {
        try subjects(store).compactMap { _, s in s.position(on: day.local(s), scope: scope) }
            .filter { $0.status != .ok }.sorted(by: ReviewPosition.dueOrder)
    }

    /// Validates and records a review (`ReviewError` lists every problem; nothing is stored then). The reviewer is
    /// the user name of an enabled cell or admin account (`Actors.reviewerProblem`), for the console as for the CLI.
    public static func record(
        _ store: Store, dossier: String, reviewer: String?, date: String?, findings: String?, decision: String?,
        by actor: String, role: String? = nil, at: Timestamp
    ) throws -> RecordedReview {
        guard let record = try store.dossier(id: dossier),
            let d = try Dossier.parse(Data(record.json.utf8)).first
        else { throw ReviewError(dossier: dossier, ["no dossier \(dossier)"]) }
        let subject = ReviewSubject(d, reviews: [])
        var problems: [String] = []
        var review: Review?
        let latest = try store.latestReview(dossier: dossier)?.review.date
        do throws(ReviewError) {
            review = try Review.validated(
                dossier: dossier, reviewer: reviewer, date: date, findings: findings, decision: decision,
                today: subject.localDate(at: at), start: d.start, latest: latest)
        } catch {
            problems = error.problems
        }
        let who = (reviewer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !who.isEmpty, let problem = try Actors.reviewerProblem(who, in: store) { problems.append(problem) }
        guard let review, problems.isEmpty else { throw ReviewError(dossier: dossier, problems) }
        return try store.recordReview(review, by: actor, role: role, at: at)
    }

    /// The review report of a dossier as of an instant; nil for an unknown dossier.
    public static func report(_ store: Store, dossier: String, asOf: Timestamp, scope: ReviewScope) throws
        -> ReviewReport?
    {
        guard let record = try store.dossier(id: dossier),
            let d = try Dossier.parse(Data(record.json.utf8)).first
        else { return nil }
        let versions = try store.dossierVersions(id: dossier).map { v in
            (
                version: v.version, importedAt: v.importedAt, by: v.by,
                dossier: try? Dossier.parse(Data(v.json.utf8)).first
            )
        }
        let input = ReviewReportInput(
            dossier: d, version: record.version, versions: versions,
            alerts: try store.alerts(Store.AlertFilter(dossier: dossier)),
            latency: try store.latencyRecords(dossier: dossier),
            measures: try store.measures(dossier: dossier), reviews: try store.reviews(dossier: dossier), scope: scope)
        return ReviewReport.build(input, asOf: asOf)
    }

    /// The end of a local date in a dossier's zone (the moment a report "as of DATE" runs to): 23:59:59.999.
    public static func endOfDay(_ day: LocalDate, timezone: String) -> Timestamp {
        let clock = LocalClock(identifier: timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        return Timestamp(milliseconds: clock.instant(day: day.daysSinceEpoch + 1, minutes: 0) - 1)
    }

    /// How far back the overview looks for a device's last contact (older contact shows as none).
    public static let lastContactDays = 90

    /// One line of the overview of ET dossiers.
    public struct OverviewRow: Sendable {
        public var dossier: Dossier
        public var version: Int64
        public var position: ReviewPosition?
        public var lastReview: LocalDate?
        public var openAlerts: Int
        /// Per device, the latest event time heard within `lastContactDays` (absent: none in that window).
        public var lastContact: [String: Timestamp]

        /// `{"id","subject","radex","mandate","start","end","timezone","devices","review":{...}|null,...}`.
        public var json: String {
            var o = JSONObjectWriter()
            o.string("id", dossier.id)
            o.string("subject", dossier.subject)
            o.bool("radex", dossier.radex)
            o.string("mandate", dossier.mandate.rawValue)
            o.string("start", dossier.start.description)
            o.string("end", dossier.end?.description)
            o.string("timezone", dossier.timezone)
            o.strings("devices", dossier.devices)
            o.int("version", version)
            o.string("last_review", lastReview?.description)
            if let p = position {
                var r = JSONObjectWriter()
                r.string("status", p.status.rawValue)
                r.string("deadline", p.deadline.description)
                r.int("days_left", p.daysLeft)
                o.raw("review", r.finish())
            } else {
                o.raw("review", "null")
            }
            o.int("open_alerts", openAlerts)
            var c = JSONObjectWriter()
            for d in dossier.devices { c.string(d, lastContact[d]?.rfc3339) }
            o.raw("last_contact", c.finish())
            return o.finish()
        }
    }

    /// The overview: every dossier (or the radex ones) with its review status, open alerts and last contact.
    public static func overview(_ store: Store, radexOnly: Bool, at now: Timestamp, scope: ReviewScope) throws
        -> [OverviewRow]
    {
        let subjects = try subjects(store).filter { !radexOnly || $0.0.radex }
        let versions = Dictionary(try store.dossiers().map { ($0.id, $0.version) }, uniquingKeysWith: { a, _ in a })
        let open = try store.openAlertCounts()
        let contact = try store.lastContact(
            devices: Set(subjects.flatMap(\.0.devices)), since: now - Int64(lastContactDays) * 86_400_000)
        return subjects.map { d, s in
            let today = s.localDate(at: now)
            let last = ([d.lastReview] + s.reviews.filter { $0.date <= today }.map(\.date)).compactMap { $0 }.max()
            return OverviewRow(
                dossier: d, version: versions[d.id] ?? 0, position: s.position(on: today, scope: scope),
                lastReview: last, openAlerts: open[d.id] ?? 0,
                lastContact: contact.filter { d.devices.contains($0.key) })
        }
    }

    /// A due-list entry as JSON: `{"dossier","radex","status","deadline","days_left","days_over","basis"}`.
    public static func json(_ p: ReviewPosition) -> String {
        var o = JSONObjectWriter()
        o.string("dossier", p.dossier)
        o.bool("radex", p.radex)
        o.string("status", p.status.rawValue)
        o.string("deadline", p.deadline.description)
        o.int("days_left", max(0, p.daysLeft))
        o.int("days_over", max(0, -p.daysLeft))
        o.string("basis", p.basis.description)
        o.string("timezone", p.timezone)
        return o.finish()
    }
}
