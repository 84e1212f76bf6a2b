import CSQLite

/// One SQLite connection, owned by one thread at a time; closed on `deinit`.
public final class Database {
    public let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]

    /// How the database makes commits durable (PROTOCOL 2.3): `normal` survives a process crash, `full` power loss.
    public enum Durability: String, Sendable, CaseIterable { case normal, full }

    public init(path: String, readOnly: Bool = false, durability: Durability = .normal) throws(SQLiteError) {
        var h: OpaquePointer?
        if !readOnly { DatabaseFiles.restrict(path) }
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &h, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let h else {
            let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let h { sqlite3_close_v2(h) }
            throw SQLiteError(code: rc, message: "\(msg): \(path)")
        }
        handle = h
        self.path = path
        sqlite3_extended_result_codes(h, 1)
        // Another process (the CLI while `serve` runs) may hold the write lock briefly.
        sqlite3_busy_timeout(h, 10_000)
        if !readOnly {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=\(durability == .full ? "FULL" : "NORMAL")")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    var lastError: SQLiteError { SQLiteError(code: sqlite3_extended_errcode(handle), message: errorMessage) }
    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(SQLiteError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        guard rc == SQLITE_OK else {
            let msg = err.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: msg, sql: sql)
        }
    }

    /// A prepared statement kept for reuse (the hot path prepares each statement once).
    public func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        let s = try Statement(self, sql)
        cache[sql] = s
        return s
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> Statement { try Statement(self, sql) }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE`, so a writer never fails half-way on a lock upgrade).
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Changes when another connection commits: a cheap way to notice the CLI's writes while serving.
    public func dataVersion() throws(SQLiteError) -> Int64 {
        try cached("PRAGMA data_version").scalarInt() ?? 0
    }

    /// Convenience: first column of the first row.
    public func scalarInt(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) -> Int64? {
        let s = try cached(sql)
        try s.bind(bindings)
        return try s.scalarInt()
    }
}

/// A value bound to or read from a statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    public init(_ i: Int64?) { self = i.map { .integer($0) } ?? .null }
}
