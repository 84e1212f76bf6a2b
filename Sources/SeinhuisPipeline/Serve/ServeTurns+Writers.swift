import SeinhuisCore
import SeinhuisStore

/// What other processes wrote to the database (the CLI, the HTTP API's connection), checked about once a second
/// through SQLite's `data_version`, then by cheap keys.
struct OtherWriters {
    var lastVersion: Int64
    var lastAction: Int64
    var lastDossiers: String
    var lastReviews: String
    var lastCheck = WallClock.monotonicNanos()

    struct Change {
        var actions: [StoredAction] = []
        var dossiers = false
        var reviews = false
    }

    init(_ store: Store) throws {
        lastVersion = try store.db.dataVersion()
        lastAction = try store.lastActionID()
        lastDossiers = try store.dossierChangeKey()
        lastReviews = try store.reviewChangeKey()
    }

    /// What changed since the last look (nil: nothing, or not time to look).
    mutating func check(_ store: Store) throws -> Change? {
        let mono = WallClock.monotonicNanos()
        guard mono - lastCheck > 1_000_000_000 else { return nil }
        lastCheck = mono
        let v = try store.db.dataVersion()
        guard v != lastVersion else { return nil }
        lastVersion = v
        var c = Change()
        c.actions = try store.actions(afterID: lastAction)
        lastAction = c.actions.last?.id ?? lastAction
        let dossiers = try store.dossierChangeKey()
        c.dossiers = dossiers != lastDossiers
        lastDossiers = dossiers
        let reviews = try store.reviewChangeKey()
        c.reviews = reviews != lastReviews
        lastReviews = reviews
        return c
    }
}

extension ServeTurns {
    /// Follows other processes' writes: operators' actions are republished to every queue the alert reached (and a
    /// measure stops its escalation); a dossier import applies from now; reviews feed the review notices.
    func follow(_ c: OtherWriters.Change) throws {
        var seen = Set<String>()
        for action in c.actions where seen.insert(action.alertID).inserted {
            guard let a = try store.alert(id: action.alertID) else { continue }
            pipeline.refresh(a)
            let json = a.json
            for q in a.queues {
                try sockets.pub.send(q.rawValue, more: true)
                try sockets.pub.send(json)
                metrics.alertsPublished.increment()
            }
        }
        if c.dossiers { try reloadDossiers() }
        if c.dossiers || c.reviews { try loadReviews() }
    }

    /// A re-import (PROTOCOL 3): applies from the pipeline clock, after the events taken so far. What is pending is
    /// committed first, so the recorded load sits exactly after the journal block it follows (start-up applies it
    /// at the same place, PROTOCOL 2.4); the load and the alerts it caused (breaches of zones that are gone,
    /// cleared) are stored together.
    func reloadDossiers() throws {
        if pipeline.hasPending { try commitAndPublish(snapshot: false) }
        let set = try store.dossierSet()
        guard !set.sameVersions(as: pipeline.dossiers) else { return }
        let ids = try store.journalIDs(set.devices)
        pipeline.load(set, journalIDs: ids)
        let at = pipeline.clock
        try store.transaction {
            for a in pipeline.alerts { try store.save(a, at: at) }
            loadID = try store.recordDossierLoad(
                afterBlock: try store.lastJournalBlock(), at: at, versions: pipeline.dossiers.versionKey)
        }
        try publish(pipeline.stored())
        logger.info("dossiers reloaded", metadata: ["dossiers": "\(set.dossiers.count)"])
    }

    /// The dossiers' reviews and the notices already stored, for the review-notice clock.
    func loadReviews() throws {
        let subjects = try store.reviewSubjects(of: pipeline.dossiers.dossiers).map(\.1)
        pipeline.reviewNotices.use(subjects, marks: try store.reviewNoticeMarks())
    }
}
