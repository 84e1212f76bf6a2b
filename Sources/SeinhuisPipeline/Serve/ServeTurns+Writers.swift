import SeinhuisCore
import SeinhuisStore

/// What other processes wrote to the database (the CLI, the HTTP API's connection), checked about once a second,
/// or at once when poked (`PipelineStatus.poke`: an action through the HTTP API), through SQLite's `data_version`,
/// then by cheap keys.
struct OtherWriters {
    var lastVersion: Int64
    var lastDossiers: String
    var lastReviews: String
    var lastCheck = WallClock.monotonicNanos()

    struct Change {
        var pending = false
        var dossiers = false
        var reviews = false
    }

    init(_ store: Store) throws {
        lastVersion = try store.db.dataVersion()
        lastDossiers = try store.dossierChangeKey()
        lastReviews = try store.reviewChangeKey()
    }

    /// What changed since the last look (nil: nothing, or not time to look).
    mutating func check(_ store: Store, poked: Bool) throws -> Change? {
        let mono = WallClock.monotonicNanos()
        guard poked || mono - lastCheck > 1_000_000_000 else { return nil }
        lastCheck = mono
        let v = try store.db.dataVersion()
        guard v != lastVersion else { return nil }
        lastVersion = v
        var c = Change()
        c.pending = try store.hasPendingAlerts()
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
    /// Follows other processes' writes: alerts whose handling an operator changed are published with a new rev to
    /// every queue they reached (and a measure that stops one ends its escalation); a dossier import applies from
    /// now; reviews feed the review notices.
    func follow(_ c: OtherWriters.Change) throws {
        if c.pending { try publishPending() }
        if c.dossiers { try reloadDossiers() }
        if c.dossiers || c.reviews { try loadReviews() }
    }

    /// Publishes the alerts other processes changed (`alert_pending`), each with a new rev: serve gives every rev,
    /// in the order it publishes, so a consumer that keeps the highest rev it handled misses nothing (PROTOCOL 4.3).
    func publishPending() throws {
        var alerts = try store.pendingAlerts()
        guard !alerts.isEmpty else { return }
        for a in alerts { pipeline.refresh(a) }
        let at = pipeline.clock
        try store.transaction { for k in alerts.indices { try store.save(&alerts[k], at: at) } }
        try publish(alerts)
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
        var alerts = pipeline.alerts
        try store.transaction {
            for k in alerts.indices { try store.save(&alerts[k], at: at) }
            loadID = try store.recordDossierLoad(
                afterBlock: try store.lastJournalBlock(), at: at, versions: pipeline.dossiers.versionKey)
        }
        _ = pipeline.stored()
        try publish(alerts)
        logger.info("dossiers reloaded", metadata: ["dossiers": "\(set.dossiers.count)"])
    }

    /// The dossiers' reviews and the notices already stored, for the review-notice clock.
    func loadReviews() throws {
        let subjects = try store.reviewSubjects(of: pipeline.dossiers.dossiers).map(\.1)
        pipeline.reviewNotices.use(subjects, marks: try store.reviewNoticeMarks())
    }
}
