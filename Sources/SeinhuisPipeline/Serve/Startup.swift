import Logging
import SeinhuisCore
import SeinhuisStore

/// `serve`'s start-up (PROTOCOL 2.4): the pipeline as it was, from the latest readable snapshot and the journal
/// after it, each event judged as it was on arrival and against the dossier versions in force then; then the stored
/// alerts re-attached, and timers that expired while the server was down raised with their own `event_ts`.
///
/// A snapshot that cannot be read (damaged, cut off, of another format, or naming dossier versions no longer stored)
/// is logged and passed over for the one before it, and without any the journal is read from its start: start-up
/// never refuses to start and never loses an alert, it only takes longer.
struct Startup {
    let store: Store
    let settings: PipelineSettings
    let logger: Logger

    /// What start-up gives the loop.
    struct Outcome {
        var pipeline: LivePipeline
        /// The dossier load in force (the next snapshot names it).
        var loadID: Int64
        /// Alerts stored by start-up (cleared or raised at start), to publish.
        var alerts: [Alert]
        var summary: RecoverySummary
        /// Which snapshot it started from (nil: the journal from its start).
        var snapshotID: Int64?
    }

    /// The restored pipeline, or nil (and why, logged) when no snapshot can be used.
    private func restoreLatest(current: DossierSet) throws -> (LivePipeline, Store.SnapshotRecord, PipelineSnapshot)? {
        for id in try store.snapshotIDs() {
            do {
                guard let record = try store.snapshot(id: id) else { continue }
                guard record.isIntact else { throw SnapshotError("its checksum does not match (damaged)") }
                guard record.format == PipelineSnapshot.format else {
                    throw SnapshotError("format \(record.format), this build reads \(PipelineSnapshot.format)")
                }
                let snapshot = try PipelineSnapshot(bytes: record.data)
                guard let load = try store.dossierLoad(id: record.dossierLoad) else {
                    throw SnapshotError("its dossier load \(record.dossierLoad) is not stored")
                }
                let set = try store.dossierSet(versionKey: load.versions, reusing: current)
                let pipeline = try LivePipeline.restore(
                    snapshot, settings: settings, dossiers: set, journalIDs: try store.journalIDs(set.devices),
                    nextAlertNumber: try store.nextAlertNumber())
                return (pipeline, record, snapshot)
            } catch {
                logger.warning(
                    "snapshot not used; trying an older one, else the journal",
                    metadata: ["snapshot.id": "\(id)", "error": "\(error)"])
            }
        }
        return nil
    }

    func run(startedAt: Timestamp) throws -> Outcome {
        let current = try store.dossierSet()
        let pipeline: LivePipeline
        var loadID: Int64 = 0
        var afterBlock: Int64 = 0
        var stored: [Alert]
        var snapshotID: Int64?
        if let (p, record, snapshot) = try restoreLatest(current: current) {
            pipeline = p
            loadID = record.dossierLoad
            afterBlock = record.journalThrough
            snapshotID = record.id
            stored = try store.alertsToRecover(ids: snapshot.liveAlerts, fromNumber: snapshot.nextAlertNumber)
        } else {
            // From the journal's start: the first recorded load (a database from before contract 1.1 has none: the
            // dossiers in force now, as before).
            pipeline = LivePipeline(
                settings: settings, dossiers: .empty, journalIDs: [:], nextAlertNumber: try store.nextAlertNumber())
            stored = try store.alerts()
            if try store.dossierLoads(afterID: 0).isEmpty {
                pipeline.beginRecovery()
                pipeline.recoverLoad(current, journalIDs: try store.journalIDs(current.devices), at: .distantPast)
            }
        }
        pipeline.beginRecovery()
        var loads = try store.dossierLoads(afterID: loadID)[...]
        func applyLoads(before block: Int64) throws {
            while let load = loads.first, load.afterBlock < block {
                loads.removeFirst()
                let set = try store.dossierSet(versionKey: load.versions, reusing: current)
                pipeline.recoverLoad(set, journalIDs: try store.journalIDs(set.devices), at: load.at)
                loadID = load.id
            }
        }
        var block: Int64 = -1
        try store.forEachJournalEvent(afterBlock: afterBlock) { info, e, evaluated, receivedAt in
            if info.id != block {
                block = info.id
                try applyLoads(before: info.id)
            }
            pipeline.recover(e, evaluated: evaluated, receivedAt: receivedAt)
        }
        try applyLoads(before: .max)
        let lastBlock = try store.lastJournalBlock()
        // Dossiers imported while the server was down apply from now, like an import noticed while running.
        let reload = !pipeline.dossiers.sameVersions(as: current) || loadID == 0
        if reload { pipeline.recoverLoad(current, journalIDs: try store.journalIDs(current.devices), at: startedAt) }
        var (alerts, summary) = pipeline.endRecovery(
            stored: stored, nextAlertNumber: try store.nextAlertNumber(), at: startedAt)
        _ = pipeline.takeCounts()
        try store.transaction {
            for k in alerts.indices { try store.save(&alerts[k], at: startedAt) }
            if reload {
                loadID = try store.recordDossierLoad(
                    afterBlock: lastBlock, at: startedAt, versions: pipeline.dossiers.versionKey)
            }
            try store.saveSnapshot(
                pipeline.snapshot().bytes, format: PipelineSnapshot.format, takenAt: pipeline.clock,
                journalThrough: lastBlock, dossierLoad: loadID)
        }
        return Outcome(pipeline: pipeline, loadID: loadID, alerts: alerts, summary: summary, snapshotID: snapshotID)
    }
}
