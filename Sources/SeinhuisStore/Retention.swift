import SeinhuisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a purge removes (PROTOCOL 7, "Retention"): events whose `ts` is more than `retentionDays` before `now`,
/// except an alert's evidence: the events of its device (and of its dossier's other devices) within
/// `evidenceWindowMs` of its `event_ts`, kept as long as the alert (alerts are never deleted).
public struct RetentionPlan: Sendable, Equatable {
    public static let defaultDays: Int64 = 365
    public static let day: Int64 = 86_400_000

    public var retentionDays: Int64
    public var now: Timestamp
    /// How far on either side of an alert's breach its evidence reaches.
    public var evidenceWindowMs: Int64 = 3_600_000

    public init(retentionDays: Int64 = RetentionPlan.defaultDays, now: Timestamp) {
        self.retentionDays = retentionDays
        self.now = now
    }

    /// Events with `ts` before this are purged (unless evidence).
    public var cutoff: Timestamp { Timestamp(milliseconds: now.milliseconds - retentionDays * Self.day) }
}

/// How a purge paces itself so that `serve`'s commits are not held up: a few journal blocks per transaction, and
/// a pause between transactions.
public struct RetentionBatching: Sendable, Equatable {
    /// At most this many journal blocks changed per transaction, ...
    public var blocks = 32
    /// ... holding at most this many events between them (but at least one block: a block is purged whole).
    public var events = 16_384
    /// Milliseconds between two transactions.
    public var pauseMs = 5

    public init(blocks: Int = 32, events: Int = 16_384, pauseMs: Int = 5) {
        self.blocks = max(1, blocks)
        self.events = max(1, events)
        self.pauseMs = max(0, pauseMs)
    }
}

/// What a purge did (or, in a dry run, would do).
public struct RetentionCounts: Sendable, Equatable {
    public var dryRun: Bool
    public var retentionDays: Int64
    public var cutoff: Timestamp
    /// Events deleted (dry run: that would be).
    public var eventsPurged: Int64 = 0
    /// Events older than the cutoff kept as an alert's evidence.
    public var eventsKeptAsEvidence: Int64 = 0
    /// Events older than the cutoff left for a later run: in journal blocks that start-up may still read (after
    /// the older stored snapshot).
    public var eventsDeferred: Int64 = 0
    /// Events in the journal after the purge (dry run: now).
    public var eventsRemaining: Int64 = 0
    public var blocksDeleted: Int64 = 0
    public var blocksRewritten: Int64 = 0
    /// Transactions committed.
    public var batches: Int64 = 0
    public var durationMs: Int64 = 0
    /// False when the run was stopped between two batches (`shouldStop`, serve's graceful stop): the next run
    /// finishes the job.
    public var complete = true

    public init(dryRun: Bool, plan: RetentionPlan) {
        self.dryRun = dryRun
        retentionDays = plan.retentionDays
        cutoff = plan.cutoff
    }

    /// One JSON object (the audit entry's detail, `retention run --format json`).
    public var json: String {
        var o = JSONObjectWriter()
        o.bool("dry_run", dryRun)
        o.int("retention_days", retentionDays)
        o.string("cutoff", cutoff.rfc3339)
        o.int("events_purged", eventsPurged)
        o.int("events_kept_as_evidence", eventsKeptAsEvidence)
        o.int("events_deferred", eventsDeferred)
        o.int("events_remaining", eventsRemaining)
        o.int("blocks_deleted", blocksDeleted)
        o.int("blocks_rewritten", blocksRewritten)
        o.int("batches", batches)
        o.int("duration_ms", durationMs)
        o.bool("complete", complete)
        return o.finish()
    }
}

extension Store {
    /// The meta key of `serve --retention-days` (so `retention run` uses the same setting).
    public static let retentionDaysKey = "retention_days"

    /// The retention period in force: `serve`'s setting, else the default.
    public func retentionDays() throws -> Int64 {
        try meta(Self.retentionDaysKey).flatMap { Int64($0) } ?? RetentionPlan.defaultDays
    }

    /// Purges the journal as `plan` says, a few blocks per transaction (`batching`), so another connection's
    /// commits wait at most one small transaction. Each transaction is whole or absent: after a `kill -9` a second
    /// run finishes the job and ends in the same state as one uninterrupted run. Only blocks that start-up never
    /// reads again are touched (those the older stored snapshot covers); without a snapshot nothing is purged
    /// (`eventsDeferred`). `progress` is called
    /// after each batch with the counts so far and the last block looked at; `shouldStop` ends the run early
    /// (between batches). The run is not audited here: the caller records it with its counts.
    public func purge(
        _ plan: RetentionPlan, dryRun: Bool = false, batching: RetentionBatching = RetentionBatching(),
        shouldStop: () -> Bool = { false },
        progress: (RetentionCounts, _ block: Int64, _ last: Int64) -> Void = {
            _, _, _ in
        }
    ) throws -> RetentionCounts {
        let started = WallClock.monotonicNanos()
        var counts = RetentionCounts(dryRun: dryRun, plan: plan)
        try reloadDevices()
        let evidence = try EvidenceWindows(store: self, plan: plan)
        let limit = try purgeableThrough()
        let lastBlock = try lastJournalBlock()
        let cutoff = plan.cutoff.milliseconds
        counts.eventsDeferred =
            try db.scalarInt(
                "SELECT COALESCE(SUM(count), 0) FROM journal_block WHERE id > ? AND first_ts < ?",
                [.integer(limit), .integer(cutoff)]) ?? 0
        var after: Int64 = 0
        while true {
            if shouldStop() {
                counts.complete = false
                break
            }
            let candidates = try purgeCandidates(after: after, through: limit, cutoff: cutoff, batching: batching)
            guard let last = candidates.last else { break }
            after = last.id
            let changes = try candidates.compactMap {
                try $0.change(cutoff: cutoff, evidence: evidence, counts: &counts, data: journalData)
            }
            if !dryRun && !changes.isEmpty {
                try transaction { for c in changes { try apply(c, lastBlock: lastBlock) } }
                counts.batches += 1
                if batching.pauseMs > 0 { usleep(UInt32(batching.pauseMs) * 1000) }
            }
            progress(counts, after, limit)
        }
        // The map's latest fixes go with the journal they came from (docs/RETENTION.md).
        if !dryRun && counts.complete { _ = try transaction { try purgeDeviceFixes(before: cutoff) } }
        counts.eventsRemaining = try journalCount()
        counts.durationMs = Int64((WallClock.monotonicNanos() - started) / 1_000_000)
        return counts
    }

    /// The last journal block a purge may touch: covered by every stored snapshot (start-up falls back to the
    /// older one if the latest cannot be read, and reads the journal after it).
    func purgeableThrough() throws -> Int64 {
        try db.scalarInt("SELECT MIN(journal_through) FROM pipeline_snapshot") ?? 0
    }

    /// The next blocks with old events, as many as one batch takes (their events are read only if needed).
    private func purgeCandidates(
        after: Int64, through: Int64, cutoff: Int64, batching: RetentionBatching
    ) throws -> [JournalCandidate] {
        let s = try db.cached(
            """
            SELECT id, first_ts, last_ts, count, format FROM journal_block
            WHERE id > ? AND id <= ? AND first_ts < ? ORDER BY id LIMIT ?
            """)
        try s.bind([.integer(after), .integer(through), .integer(cutoff), .integer(Int64(batching.blocks))])
        var out: [JournalCandidate] = []
        var events: Int64 = 0
        var full = false
        try s.forEach { r in
            let count = r.int(3)
            // In id order: once a block does not fit, the batch ends before it.
            full = full || (!out.isEmpty && events + count > Int64(batching.events))
            guard !full else { return }
            events += count
            out.append(
                JournalCandidate(
                    id: r.int(0), firstTs: r.int(1), lastTs: r.int(2), count: count,
                    format: JournalFormat(rawValue: r.int(4)) ?? .v1))
        }
        return out
    }

    private func journalData(_ id: Int64) throws -> [UInt8] {
        let s = try db.cached("SELECT data FROM journal_block WHERE id = ?")
        try s.bind([.integer(id)])
        var out: [UInt8] = []
        try s.forEach { out = $0.withBlob(0) { Array($0) } }
        return out
    }

    /// Deletes or rewrites one block, unless it changed since it was read (another purge got there first). The
    /// latest block is emptied rather than deleted: its id would otherwise be given to the next block, one that
    /// the snapshots claim to cover already.
    private func apply(_ c: JournalChange, lastBlock: Int64) throws {
        let kept: JournalBlockBuilder
        if let k = c.kept {
            kept = k
        } else if c.id == lastBlock {
            kept = JournalBlockBuilder(reserve: 0)
        } else {
            try db.cached("DELETE FROM journal_block WHERE id = ? AND count = ?").run([
                .integer(c.id), .integer(c.oldCount),
            ])
            return
        }
        let s = try db.cached(
            "UPDATE journal_block SET first_ts = ?, last_ts = ?, count = ?, data = ? WHERE id = ? AND count = ?")
        // An emptied block keeps a span no query asks for (first after last).
        try s.bind(kept.isEmpty ? Int64.max : kept.minTs, at: 1)
        try s.bind(kept.isEmpty ? Int64.min : kept.maxTs, at: 2)
        try s.bind(Int64(kept.count), at: 3)
        try s.bind(blob: kept.data, at: 4)
        try s.bind(c.id, at: 5)
        try s.bind(c.oldCount, at: 6)
        try s.run()
    }
}

/// A journal block with events older than the cutoff.
struct JournalCandidate {
    var id: Int64
    var firstTs: Int64
    var lastTs: Int64
    var count: Int64
    var format: JournalFormat

    /// What to do with it (nil: nothing), counted into `counts`; `data` reads its events.
    func change(
        cutoff: Int64, evidence: EvidenceWindows, counts: inout RetentionCounts, data load: (Int64) throws -> [UInt8]
    ) throws -> JournalChange? {
        // Entirely old and no alert's evidence near it: deleted without decoding.
        if lastTs < cutoff && !evidence.anyOverlaps(from: firstTs, to: lastTs) {
            counts.eventsPurged += count
            counts.blocksDeleted += 1
            return JournalChange(id: id, oldCount: count, kept: nil)
        }
        let data = try load(id)
        var kept = JournalBlockBuilder(reserve: data.count, format: format)
        var purged: Int64 = 0
        var evidenceKept: Int64 = 0
        data.withUnsafeBytes { bytes in
            var r = JournalBlockReader(bytes, format: format)
            while let (device, e) = r.next(deviceName: { _ in "" }) {
                let ts = e.ts.milliseconds
                if ts < cutoff {
                    guard evidence.contains(device: device, ts: ts) else {
                        purged += 1
                        continue
                    }
                    evidenceKept += 1
                }
                kept.append(deviceID: device, e, receivedAt: r.receivedAt ?? .distantPast)
                if !r.evaluated { kept.markLastNotEvaluated() }
            }
        }
        counts.eventsKeptAsEvidence += evidenceKept
        guard purged > 0 else { return nil }
        counts.eventsPurged += purged
        if kept.isEmpty {
            counts.blocksDeleted += 1
            return JournalChange(id: id, oldCount: count, kept: nil)
        }
        counts.blocksRewritten += 1
        return JournalChange(id: id, oldCount: count, kept: kept)
    }
}

struct JournalChange {
    var id: Int64
    var oldCount: Int64
    /// The block's events that stay (nil: none, the block is deleted).
    var kept: JournalBlockBuilder?
}

extension Store {
    /// Records a purge in the audit trail with its counts (`retention.purge`; a dry run `retention.dry_run`).
    public func auditPurge(_ counts: RetentionCounts, by actor: String, role: String? = nil, at: Timestamp) throws {
        try transaction {
            try audit(
                actor: actor, action: counts.dryRun ? "retention.dry_run" : "retention.purge", subject: "journal",
                detail: counts.json, at: at, role: role)
        }
    }
}
