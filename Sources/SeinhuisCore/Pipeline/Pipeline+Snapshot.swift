/// A snapshot of a pipeline's state (docs/ARCHITECTURE.md, "Durable state"): the rules (every device of every
/// dossier in force), the duplicate filter, and the alert book's next number and live alerts. The alerts themselves
/// are not in it: the database holds each one as committed, and start-up reads them back.
///
/// Bytes: a magic string, the format number, then length-prefixed sections. A snapshot of another format is
/// refused (`SnapshotError`), never misread: start-up then falls back to an older snapshot or to the journal.
public struct PipelineSnapshot: Sendable {
    /// The format this build writes and reads. Bump it whenever anything written changes.
    public static let format: Int64 = 2
    static let magic = Array("SEINHUIS-PIPELINE-SNAPSHOT".utf8)

    /// The pipeline clock when it was taken.
    public var clock: Timestamp
    public var nextAlertNumber: Int64
    /// The alert book's live alerts (breach open, or escalation pending), by id.
    public var liveAlerts: [String]
    /// The dossiers in force, by id, in the engine's order (their versions are the dossier load's).
    public var dossierIDs: [String]
    var engine: [UInt8]
    var seen: [UInt8]

    public var bytes: [UInt8] {
        var w = SnapshotWriter(reserve: engine.count + seen.count + 64 * liveAlerts.count + 256)
        for b in Self.magic { w.byte(b) }
        w.int(Self.format)
        w.int(clock.milliseconds)
        w.int(nextAlertNumber)
        w.count(liveAlerts.count)
        for id in liveAlerts { w.string(id) }
        w.count(dossierIDs.count)
        for id in dossierIDs { w.string(id) }
        w.raw(engine)
        w.raw(seen)
        return w.bytes
    }

    /// Reads the header and sections of `bytes` (the sections are decoded by `LivePipeline.restore`).
    public init(bytes: [UInt8]) throws {
        var r = SnapshotReader(bytes)
        for b in Self.magic where try r.byte() != b { throw SnapshotError("not a pipeline snapshot") }
        let format = try r.int()
        guard format == Self.format else {
            throw SnapshotError("snapshot format \(format), this build reads \(Self.format)")
        }
        clock = Timestamp(milliseconds: try r.int())
        nextAlertNumber = try r.int()
        liveAlerts = try (0..<r.count()).map { _ in try r.string() }
        dossierIDs = try (0..<r.count()).map { _ in try r.string() }
        engine = try r.raw()
        seen = try r.raw()
        guard r.isAtEnd else { throw SnapshotError("bytes after the end of the snapshot") }
    }

    init(clock: Timestamp, nextAlertNumber: Int64, liveAlerts: [String], engine: RuleEngine, intake: Intake) {
        self.clock = clock
        self.nextAlertNumber = nextAlertNumber
        self.liveAlerts = liveAlerts
        dossierIDs = engine.dossierIDs
        var e = SnapshotWriter(reserve: 1 << 20)
        engine.snapshot(into: &e)
        self.engine = e.bytes
        var s = SnapshotWriter()
        intake.snapshot(into: &s)
        seen = s.bytes
    }
}

extension Pipeline {
    /// The pipeline's state now. Take it when the turn's batch is stored (nothing pending), so that it covers the
    /// journal exactly up to the last block stored.
    public func snapshot() -> PipelineSnapshot {
        eventsSinceSnapshot = 0
        return PipelineSnapshot(
            clock: clock, nextAlertNumber: book.nextNumber, liveAlerts: book.liveIDs, engine: order.engine,
            intake: intake)
    }
}

extension Pipeline where Order == LiveOrder {
    /// The live pipeline `snapshot` was taken of, judging by `dossiers` (the versions in force when it was taken,
    /// in any order). Alerts are numbered from `nextAlertNumber` (the store's, which is at least the snapshot's).
    /// Start-up then reads the journal after the snapshot (`Pipeline+Recovery`).
    public static func restore(
        _ snapshot: PipelineSnapshot, settings: PipelineSettings, dossiers: DossierSet, journalIDs: [String: Int64],
        nextAlertNumber: Int64
    ) throws -> LivePipeline {
        let p = LivePipeline(
            settings: settings, dossiers: .empty, journalIDs: [:], nextAlertNumber: nextAlertNumber)
        var engineBytes = SnapshotReader(snapshot.engine)
        var config = settings.rules
        config.timersFollowDeviceLag = true
        let byID = Dictionary(dossiers.dossiers.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        let engine = try RuleEngine.restore(from: &engineBytes, dossiers: byID, config: config)
        guard engineBytes.isAtEnd else { throw SnapshotError("bytes after the end of the rules' state") }
        var seen = SnapshotReader(snapshot.seen)
        try p.intake.restore(from: &seen)
        guard seen.isAtEnd else { throw SnapshotError("bytes after the end of the duplicate filter") }
        p.order.restore(engine)
        p.dossiers = dossiers
        p.intake.useDevices(journalIDs)
        p.book.use(p.dossiers)
        p.eventsSinceSnapshot = 0
        return p
    }
}
