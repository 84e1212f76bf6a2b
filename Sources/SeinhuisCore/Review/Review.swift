/// A review as stored: who recorded it and when.
public struct RecordedReview: Sendable, Equatable {
    public var id: Int64
    public var review: Review
    public var recordedAt: Timestamp
    public var recordedBy: String

    public init(id: Int64, review: Review, recordedAt: Timestamp, recordedBy: String) {
        self.id = id
        self.review = review
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }

    /// `{"id","dossier","date","reviewer","findings","decision","recorded_at","recorded_by"}`.
    public var json: String {
        var o = JSONObjectWriter()
        o.int("id", id)
        o.string("dossier", review.dossier)
        o.string("date", review.date.description)
        o.string("reviewer", review.reviewer)
        o.string("findings", review.findings)
        o.string("decision", review.decision.rawValue)
        o.string("recorded_at", recordedAt.rfc3339)
        o.string("recorded_by", recordedBy)
        return o.finish()
    }
}

/// The cell's decision at a review.
public enum ReviewDecision: String, Sendable, CaseIterable {
    /// Monitoring goes on as it is.
    case `continue`
    /// The conditions are to be changed (a new dossier version follows).
    case adjustConditions = "adjust-conditions"
    /// The case is escalated (to the judicial authority).
    case escalate
    /// The review ends the dossier's Radex follow-up: it leaves the review calendar from that date.
    case end
}

/// A review of a dossier by the radicalisation cell (PROTOCOL 5).
public struct Review: Sendable, Equatable {
    public var dossier: String
    public var reviewer: String
    /// The day of the review (the dossier's local calendar).
    public var date: LocalDate
    public var findings: String
    public var decision: ReviewDecision

    public init(dossier: String, reviewer: String, date: LocalDate, findings: String, decision: ReviewDecision) {
        self.dossier = dossier
        self.reviewer = reviewer
        self.date = date
        self.findings = findings
        self.decision = decision
    }

    public static let maxReviewerLength = 128
    public static let maxFindingsLength = 20_000
    public static let decisionNames = ReviewDecision.allCases.map(\.rawValue).joined(separator: ", ")

    /// Checks and builds a review from what a person typed; every problem at once, each a clear sentence.
    /// `today` is the local date in the dossier's time zone; `start` its start; `latest` the latest recorded review.
    public static func validated(
        dossier: String, reviewer: String?, date: String?, findings: String?, decision: String?, today: LocalDate,
        start: LocalDate, latest: LocalDate?
    ) throws(ReviewError) -> Review {
        var problems: [String] = []
        let who = (reviewer ?? "").trimmingCharacters()
        if who.isEmpty {
            problems.append("the reviewer is required")
        } else if who.count > maxReviewerLength || who.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            problems.append("the reviewer must be at most \(maxReviewerLength) characters, without control characters")
        }
        let text = (findings ?? "").trimmingCharacters()
        if text.isEmpty {
            problems.append("the findings are required")
        } else if text.count > maxFindingsLength {
            problems.append("the findings must be at most \(maxFindingsLength) characters")
        }
        var parsedDecision: ReviewDecision?
        if let decision, !decision.isEmpty {
            parsedDecision = ReviewDecision(rawValue: decision)
            if parsedDecision == nil { problems.append("unknown decision \"\(decision)\"; one of \(decisionNames)") }
        } else {
            problems.append("the decision is required: one of \(decisionNames)")
        }
        var day: LocalDate?
        if let date, !date.isEmpty {
            if let d = LocalDate(date) {
                day = d
                if d > today {
                    problems.append(
                        "the review date \(d) is in the future (today is \(today) in the dossier's time zone)")
                } else if d < start {
                    problems.append("the review date \(d) is before the dossier's start \(start)")
                } else if let latest, d < latest {
                    problems.append("the review date \(d) is before the latest recorded review (\(latest))")
                }
            } else {
                problems.append("the date must be a calendar date YYYY-MM-DD, found \"\(date)\"")
            }
        } else {
            problems.append("the date is required (YYYY-MM-DD)")
        }
        guard problems.isEmpty, let day, let parsedDecision else { throw ReviewError(dossier: dossier, problems) }
        return Review(dossier: dossier, reviewer: who, date: day, findings: text, decision: parsedDecision)
    }
}

/// A review that cannot be recorded; nothing was stored.
public struct ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public var dossier: String
    public var problems: [String]
    public init(dossier: String, _ problems: [String]) {
        self.dossier = dossier
        self.problems = problems
    }
    public var description: String { "review of \(dossier) not recorded: " + problems.joined(separator: "; ") }
}

extension String {
    /// Without leading and trailing spaces and line breaks (Core has no Foundation string helpers).
    func trimmingCharacters() -> String {
        let s = unicodeScalars.drop { $0.properties.isWhitespace }
        var end = s.endIndex
        while end > s.startIndex, s[s.index(before: end)].properties.isWhitespace { end = s.index(before: end) }
        return String(String.UnicodeScalarView(s[s.startIndex..<end]))
    }
}
