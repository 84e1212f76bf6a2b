/// The review notices of `serve` (PROTOCOL 5) on the receive clock, as the pipeline keeps them: asked every turn,
/// it answers with nothing (one comparison) until the next local midnight of some dossier, or until it is given
/// new reviews (`use`). Pure: the caller reads the dossiers' reviews and the notices already raised from the store
/// (so a restart raises nothing twice) and hands them in.
public struct ReviewNoticeClock: Sendable {
    public let scope: ReviewScope
    /// The routing policy version the notices record (they are routed by PROTOCOL 5, not by the policy's routes).
    public let policy: String
    private var subjects: [ReviewSubject] = []
    private var marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks] = [:]
    private var next = Timestamp.distantFuture

    public init(scope: ReviewScope, policy: String) {
        self.scope = scope
        self.policy = policy
    }

    /// The dossiers in force with their reviews, and the notices already stored: look again at once.
    public mutating func use(_ subjects: [ReviewSubject], marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks]) {
        self.subjects = subjects
        self.marks = marks
        next = .distantPast
    }

    /// The stored notices changed (a commit that carried notices failed, so they are owed again): look again.
    public mutating func use(marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks]) {
        self.marks = marks
        next = .distantPast
    }

    /// The notices owed at `now` as alerts (ids from `issueID`), to be stored and published like any alert.
    public mutating func notices(now: Timestamp, issueID: () -> String) -> [Alert] {
        guard now >= next else { return [] }
        let (owed, nextCheck) = ReviewNotices.evaluate(subjects, marks: marks, now: now, scope: scope)
        next = nextCheck
        var out: [Alert] = []
        for n in owed {
            let key = ReviewNoticeMarks.Key(dossier: n.dossier, deadline: n.deadline)
            switch n.kind {
            case .due: marks[key, default: ReviewNoticeMarks()].dueRaised = true
            case .overdue: marks[key, default: ReviewNoticeMarks()].lastOverdue = n.at
            }
            out.append(n.alert(id: issueID(), detectedAt: now, policy: policy))
        }
        return out
    }
}
