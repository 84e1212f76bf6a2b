import SeinhuisCore

/// The embedded SQLite database of Seinhuis: journal, devices, quarantine, dossiers, alerts, audit.
///
/// One `Store` is one connection, used by one thread at a time (the ingest thread in `serve`, the command in the
/// CLI). Several processes may open the same file: WAL lets readers go on while one writer commits.
public final class Store {
    public let db: Database
    /// Device name → journal id, and back (loaded once, grown as devices appear).
    private var deviceIDs: [String: Int64] = [:]
    private var deviceNames: [Int64: String] = [:]
    /// The last rev this connection gave (`takeRev`; 0: not read yet).
    var revGiven: Int64 = 0
    /// How many rejected frames the quarantine keeps.
    public var quarantineLimit: Int64 = 10_000
    /// Frames are kept in the quarantine up to this size (the reason and the full size are always kept).
    public var quarantineFrameBytes = 4096
    /// The map's latest fixes (`device_fix`) are written at most this often, in receive-clock milliseconds: in the
    /// transaction of the first block that comes due, or by `writeLatestFixesIfDue` when none comes. 0: with every
    /// block (the command line, tests). `serve` sets 1000: under load one row per device per second, not per commit.
    public var fixWriteIntervalMs: Int64 = 0
    /// Fixes of blocks appended since the last write, newest per device; when they were last written.
    var pendingFixes: [Int64: LatestFix] = [:]
    var fixesWrittenAt: Int64?

    public static let defaultPath = "./seinhuis.sqlite"

    public init(path: String, durability: Database.Durability = .normal) throws {
        db = try Database(path: path, durability: durability)
        try migrate()
        try db.cached("SELECT id, name FROM device").forEach { row in
            deviceIDs[row.text(1)] = row.int(0)
            deviceNames[row.int(0)] = row.text(1)
        }
    }

    /// The schema version this build writes.
    public static var schemaVersion: Int { Schema.migrations.count }

    private func migrate() throws {
        let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard current <= Schema.migrations.count else {
            throw SQLiteError(
                code: 0,
                message:
                    "database schema \(current) is newer than this build of Seinhuis knows (\(Schema.migrations.count))"
            )
        }
        for v in current..<Schema.migrations.count {
            try db.transaction {
                try db.execute(Schema.migrations[v])
                try Schema.dataMigrations[v + 1]?(self)
                try db.execute("PRAGMA user_version = \(v + 1)")
            }
        }
    }

    public func transaction<R>(_ body: () throws -> R) throws -> R { try db.transaction(body) }

    // MARK: devices

    /// The journal id of a device, created on first use (inside the caller's transaction).
    public func deviceID(_ name: String) throws -> Int64 {
        if let id = deviceIDs[name] { return id }
        try db.cached("INSERT INTO device(name) VALUES (?)").run([.text(name)])
        let id = db.lastInsertRowID
        deviceIDs[name] = id
        deviceNames[id] = name
        return id
    }

    public func deviceName(_ id: Int64) -> String { deviceNames[id] ?? "#\(id)" }

    /// Re-reads the device table: a long-lived reading connection (the HTTP side's) learns the devices the ingest
    /// connection added since it opened.
    public func reloadDevices() throws {
        let s = try db.cached("SELECT id, name FROM device WHERE id > ?")
        try s.bind([.integer(deviceNames.keys.max() ?? 0)])
        try s.forEach { row in
            deviceIDs[row.text(1)] = row.int(0)
            deviceNames[row.int(0)] = row.text(1)
        }
    }

    var deviceNamesSnapshot: [Int64: String] { deviceNames }

    // MARK: journal

    /// Appends one block of accepted events (call inside a transaction).
    public func appendJournal(_ block: JournalBlockBuilder, receivedAt: Timestamp) throws {
        guard !block.isEmpty else { return }
        let s = try db.cached(
            "INSERT INTO journal_block(received_at, first_ts, last_ts, count, data, format) VALUES (?, ?, ?, ?, ?, ?)")
        try s.bind(receivedAt.milliseconds, at: 1)
        try s.bind(block.minTs, at: 2)
        try s.bind(block.maxTs, at: 3)
        try s.bind(Int64(block.count), at: 4)
        try s.bind(blob: block.data, at: 5)
        try s.bind(block.format.rawValue, at: 6)
        try s.run()
        try takeLatestFixes(block.latestFixes, at: receivedAt)
    }

    /// Stores a batch taken by the pipeline's intake: the journal block and the rejected frames (call inside a
    /// transaction).
    public func write(_ block: JournalBlockBuilder, rejections: [RejectedFrame], receivedAt: Timestamp) throws {
        try appendJournal(block, receivedAt: receivedAt)
        for r in rejections {
            try r.bytes.withUnsafeBytes {
                try quarantine(r.rejection, frame: $0, size: r.size, source: r.source, at: receivedAt)
            }
        }
    }

    /// Every journaled event in arrival order (used at start to rebuild the duplicate filter).
    public func forEachJournalEvent(_ body: (_ deviceID: Int64, DeviceEvent) throws -> Void) throws {
        try forEachJournalEvent(sql: "SELECT data, format FROM journal_block ORDER BY id", [], body)
    }

    /// The id of the latest journal block (0: none).
    public func lastJournalBlock() throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM journal_block") ?? 0
    }

    /// A journal block as start-up reads it: where it is, when it was stored, and its layout.
    public struct JournalBlockInfo: Sendable {
        public var id: Int64
        public var receivedAt: Timestamp
        public var format: JournalFormat
    }

    /// Every journaled event after block `afterBlock`, in arrival order, with its block, whether it was evaluated
    /// on arrival and the receive clock it was taken at (what `JournalFormat.v2` records; older blocks say neither:
    /// evaluated, at the block's time).
    public func forEachJournalEvent(
        afterBlock: Int64,
        _ body: (_ block: JournalBlockInfo, DeviceEvent, _ evaluated: Bool, _ receivedAt: Timestamp) throws -> Void
    ) throws {
        let s = try db.prepare("SELECT id, received_at, format, data FROM journal_block WHERE id > ? ORDER BY id")
        try s.bind([.integer(afterBlock)])
        let names = deviceNames
        try s.forEach { row in
            let info = JournalBlockInfo(
                id: row.int(0), receivedAt: Timestamp(milliseconds: row.int(1)),
                format: JournalFormat(rawValue: row.int(2)) ?? .v1)
            try row.withBlob(3) { bytes in
                var r = JournalBlockReader(bytes, format: info.format)
                while let (_, e) = r.next(deviceName: { names[$0] ?? "#\($0)" }) {
                    try body(info, e, r.evaluated, r.receivedAt ?? info.receivedAt)
                }
            }
        }
    }

    /// Journaled events of one device (or all, if nil) with `from <= ts < to`, in arrival order.
    public func journalEvents(device: String?, from: Timestamp, to: Timestamp) throws -> [DeviceEvent] {
        let wanted = device.map { deviceIDs[$0] ?? -1 }
        var out: [DeviceEvent] = []
        try forEachJournalEvent(
            sql: "SELECT data, format FROM journal_block WHERE last_ts >= ? AND first_ts < ? ORDER BY id",
            [.integer(from.milliseconds), .integer(to.milliseconds)]
        ) { id, e in
            if let wanted, id != wanted { return }
            if e.ts >= from && e.ts < to { out.append(e) }
        }
        return out
    }

    private func forEachJournalEvent(
        sql: String, _ bindings: [SQLValue], _ body: (_ deviceID: Int64, DeviceEvent) throws -> Void
    ) throws {
        let s = try db.prepare(sql)
        try s.bind(bindings)
        let names = deviceNames
        try s.forEach { row in
            let format = JournalFormat(rawValue: row.int(1)) ?? .v1
            try row.withBlob(0) { bytes in
                var r = JournalBlockReader(bytes, format: format)
                while let (id, e) = r.next(deviceName: { names[$0] ?? "#\($0)" }) { try body(id, e) }
            }
        }
    }

    public func journalCount() throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(SUM(count), 0) FROM journal_block") ?? 0
    }

    // MARK: quarantine

    /// Keeps a rejected frame (bounded; call inside a transaction).
    public func quarantine(
        _ r: Rejection, frame: UnsafeRawBufferPointer, size: Int? = nil, source: String, at: Timestamp
    ) throws {
        let s = try db.cached(
            "INSERT INTO quarantine(received_at, source, reason, detail, frame, frame_size) VALUES (?, ?, ?, ?, ?, ?)")
        try s.bind(at.milliseconds, at: 1)
        try s.bind(.text(source), at: 2)
        try s.bind(.text(r.reason.rawValue), at: 3)
        try s.bind(.text(r.detail), at: 4)
        try s.bind(blob: Array(frame.prefix(quarantineFrameBytes)), at: 5)
        try s.bind(Int64(size ?? frame.count), at: 6)
        try s.run()
        let id = db.lastInsertRowID
        if id % 256 == 0 {
            try db.cached("DELETE FROM quarantine WHERE id <= ?").run([.integer(id - quarantineLimit)])
        }
    }

    public struct QuarantinedFrame: Sendable {
        public var id: Int64
        public var receivedAt: Timestamp
        public var source: String
        public var reason: String
        public var detail: String
        public var frame: [UInt8]
        public var frameSize: Int64
    }

    public func quarantined(limit: Int = 100) throws -> [QuarantinedFrame] {
        var out: [QuarantinedFrame] = []
        let s = try db.prepare(
            "SELECT id, received_at, source, reason, detail, frame, frame_size FROM quarantine ORDER BY id DESC LIMIT ?"
        )
        try s.bind([.integer(Int64(limit))])
        try s.forEach { r in
            out.append(
                QuarantinedFrame(
                    id: r.int(0), receivedAt: Timestamp(milliseconds: r.int(1)), source: r.text(2), reason: r.text(3),
                    detail: r.text(4), frame: r.withBlob(5) { Array($0) }, frameSize: r.int(6)))
        }
        return out
    }

    // MARK: meta

    public func meta(_ key: String) throws -> String? {
        let s = try db.cached("SELECT value FROM meta WHERE key = ?")
        try s.bind([.text(key)])
        var v: String?
        try s.forEach { v = $0.text(0) }
        return v
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try db.cached(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )
        .run([.text(key), .text(value)])
    }
}
