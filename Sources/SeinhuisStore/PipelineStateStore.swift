import SeinhuisCore

/// The pipeline's durable state (PROTOCOL 2.4): its snapshots, and the dossier loads the journal is judged against.
extension Store {
    /// A stored snapshot of the pipeline (`PipelineSnapshot`), with what it covers.
    public struct SnapshotRecord: Sendable {
        public var id: Int64
        /// The pipeline clock when it was taken.
        public var takenAt: Timestamp
        /// The last journal block whose events it includes.
        public var journalThrough: Int64
        /// The dossier load in force when it was taken.
        public var dossierLoad: Int64
        public var format: Int64
        public var checksum: UInt64
        public var data: [UInt8]
        /// Whether the bytes are the ones written (a damaged row is caught here, before decoding).
        public var isIntact: Bool { SnapshotChecksum.of(data) == checksum }
    }

    /// Stores a snapshot (call inside the transaction of the batch it covers, so that it lands with it or not at
    /// all: a crash while writing leaves the previous one). The two latest are kept, the older ones deleted.
    public func saveSnapshot(
        _ bytes: [UInt8], format: Int64, takenAt: Timestamp, journalThrough: Int64, dossierLoad: Int64
    ) throws {
        let s = try db.cached(
            """
            INSERT INTO pipeline_snapshot(taken_at, journal_through, dossier_load, format, checksum, data)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try s.bind(takenAt.milliseconds, at: 1)
        try s.bind(journalThrough, at: 2)
        try s.bind(dossierLoad, at: 3)
        try s.bind(format, at: 4)
        try s.bind(Int64(bitPattern: SnapshotChecksum.of(bytes)), at: 5)
        try s.bind(blob: bytes, at: 6)
        try s.run()
        let id = db.lastInsertRowID
        try db.cached("DELETE FROM pipeline_snapshot WHERE id < ?").run([.integer(id - 1)])
    }

    /// The stored snapshots' ids, the latest first.
    public func snapshotIDs() throws -> [Int64] {
        var out: [Int64] = []
        try db.prepare("SELECT id FROM pipeline_snapshot ORDER BY id DESC").forEach { out.append($0.int(0)) }
        return out
    }

    public func snapshot(id: Int64) throws -> SnapshotRecord? {
        let s = try db.prepare(
            """
            SELECT id, taken_at, journal_through, dossier_load, format, checksum, data FROM pipeline_snapshot
            WHERE id = ?
            """)
        try s.bind([.integer(id)])
        var out: SnapshotRecord?
        try s.forEach { r in
            out = SnapshotRecord(
                id: r.int(0), takenAt: Timestamp(milliseconds: r.int(1)), journalThrough: r.int(2),
                dossierLoad: r.int(3), format: r.int(4), checksum: UInt64(bitPattern: r.int(5)),
                data: r.withBlob(6) { Array($0) })
        }
        return out
    }

    /// A set of dossier versions `serve` loaded, where in the journal and when (`DossierSet.versionKey`).
    public struct DossierLoad: Sendable, Equatable {
        public var id: Int64
        /// Applied after this journal block (0: before the first).
        public var afterBlock: Int64
        /// The pipeline clock when it was applied.
        public var at: Timestamp
        public var versions: String
    }

    /// Records a dossier load (inside the transaction that stores what it changed).
    @discardableResult
    public func recordDossierLoad(afterBlock: Int64, at: Timestamp, versions: String) throws -> Int64 {
        try db.cached("INSERT INTO dossier_load(after_block, at, versions) VALUES (?, ?, ?)")
            .run([.integer(afterBlock), .integer(at.milliseconds), .text(versions)])
        return db.lastInsertRowID
    }

    /// The dossier loads with an id above `afterID`, in order.
    public func dossierLoads(afterID: Int64) throws -> [DossierLoad] {
        let s = try db.prepare("SELECT id, after_block, at, versions FROM dossier_load WHERE id > ? ORDER BY id")
        try s.bind([.integer(afterID)])
        var out: [DossierLoad] = []
        try s.forEach { r in
            out.append(
                DossierLoad(
                    id: r.int(0), afterBlock: r.int(1), at: Timestamp(milliseconds: r.int(2)), versions: r.text(3)))
        }
        return out
    }

    public func dossierLoad(id: Int64) throws -> DossierLoad? {
        try dossierLoads(afterID: id - 1).first { $0.id == id }
    }

    /// The stored JSON of one version of a dossier's conditions.
    public func dossierVersionJSON(id: String, version: Int64) throws -> String? {
        let s = try db.cached("SELECT json FROM dossier_version WHERE dossier_id = ? AND version = ?")
        try s.bind([.text(id), .integer(version)])
        var out: String?
        try s.forEach { out = $0.text(0) }
        return out
    }

    /// The alerts start-up must see again: every alert of a breach still open in the database, those named by
    /// `ids` (a snapshot's live alerts) and every alert numbered `fromNumber` or above (raised after it).
    public func alertsToRecover(ids: [String], fromNumber: Int64) throws -> [Alert] {
        var open = AlertFilter()
        open.openBreachesOnly = true
        var out = try alerts(open).filter { $0.device != nil }
        let s = try db.prepare("SELECT \(Self.alertColumns) FROM alert WHERE number >= ?")
        try s.bind([.integer(fromNumber)])
        try s.forEach { out.append(try Self.alert($0)) }
        for id in ids { if let a = try alert(id: id) { out.append(a) } }
        return out
    }
}

extension Store {
    /// The dossiers in force, parsed, with their versions (in the store's order: by id).
    public func dossierSet() throws -> DossierSet {
        var dossiers: [Dossier] = []
        var versions: [Int64] = []
        for r in try self.dossiers() {
            do {
                let parsed = try Dossier.parse(r.json)
                dossiers += parsed
                versions += parsed.map { _ in r.version }
            } catch {
                throw DossierImportError(message: "stored dossier \(r.id) no longer parses: \(error)")
            }
        }
        return DossierSet(dossiers, versions: versions)
    }

    /// The dossier versions a load recorded (`DossierSet.versionKey`), parsed, in its order. `current` is used for
    /// the versions it holds (parsing 10k dossiers again takes a while).
    public func dossierSet(versionKey: String, reusing current: DossierSet) throws -> DossierSet {
        guard let pairs = DossierSet.parse(versionKey: versionKey) else {
            throw DossierImportError(message: "a dossier load's version list is damaged")
        }
        var known: [String: (Dossier, Int64)] = [:]
        for (d, v) in zip(current.dossiers, current.versions) { known[d.id] = (d, v) }
        var dossiers: [Dossier] = []
        var versions: [Int64] = []
        for (id, version) in pairs {
            if let (d, v) = known[id], v == version {
                dossiers.append(d)
            } else {
                guard let json = try dossierVersionJSON(id: id, version: version),
                    let d = try? Dossier.parse(json).first
                else { throw DossierImportError(message: "version \(version) of dossier \(id) is not stored") }
                dossiers.append(d)
            }
            versions.append(version)
        }
        return DossierSet(dossiers, versions: versions)
    }

    /// The journal ids of `devices`, created for those without one (in one transaction).
    public func journalIDs(_ devices: Set<String>) throws -> [String: Int64] {
        try transaction {
            var out: [String: Int64] = [:]
            for name in devices.sorted() { out[name] = try deviceID(name) }
            return out
        }
    }
}
