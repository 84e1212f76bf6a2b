import SeinhuisCore
import SeinhuisStore

/// The review notices of `serve` (PROTOCOL 5), on the receive clock: the ingest loop asks it every turn; it answers
/// with nothing (one comparison) until the next local midnight of some dossier, or until `invalidate()` says another
/// process changed the database (a review recorded, dossiers imported). What was raised is read back from the stored
/// notices, so a restart raises nothing twice.
struct ReviewNoticeTimer {
    let scope: ReviewScope
    /// The routing policy version the notices record (they are routed by PROTOCOL 5, not by the policy's routes).
    let policy: String
    private var subjects: [ReviewSubject] = []
    /// The pipeline's parsed dossiers (its catalog), set at start and on every reload.
    private var dossiers: [Dossier] = []
    private var marks: [ReviewNoticeMarks.Key: ReviewNoticeMarks] = [:]
    private var next = Timestamp.distantPast
    private var stale = true
    private var loadedKey: String?
    /// Notices were handed out last turn: re-read the stored marks before the next check.
    private var verify = false

    init(scope: ReviewScope, policy: String) {
        self.scope = scope
        self.policy = policy
    }

    /// Reload reviews and raised notices before the next check.
    mutating func invalidate() { stale = true }

    /// The dossiers in force changed (the catalog was loaded or reloaded).
    mutating func use(_ dossiers: [Dossier]) {
        self.dossiers = dossiers
        loadedKey = nil
        stale = true
    }

    /// The notices owed at `now` as alerts (ids from `issueID`), to be stored and published like any alert.
    mutating func notices(now: Timestamp, store: Store, issueID: () -> String) throws -> [Alert] {
        try load(store)
        if verify {
            // The turn that raised notices has committed by now, or failed and dropped them: the store says which,
            // so a failed commit raises them again rather than never.
            verify = false
            marks = try store.reviewNoticeMarks()
        }
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
        if !out.isEmpty {
            verify = true
            next = .distantPast
        }
        return out
    }

    /// Reads dossiers' reviews and the raised notices if they changed (cheap when they did not).
    mutating func load(_ store: Store) throws {
        if stale {
            stale = false
            // Most writes of other processes are operators' actions: reload only when reviews or dossiers changed.
            let key = try store.reviewChangeKey()
            if key != loadedKey {
                subjects = try store.reviewSubjects(of: dossiers).map(\.1)
                marks = try store.reviewNoticeMarks()
                loadedKey = key
                next = .distantPast
            }
        }
    }
}
