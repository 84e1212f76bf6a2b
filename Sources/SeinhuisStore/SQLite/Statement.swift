import CSQLite

/// A prepared statement, finalized on `deinit`.
public final class Statement {
    let handle: OpaquePointer
    unowned let db: Database
    let sql: String

    init(_ db: Database, _ sql: String) throws(SQLiteError) {
        var h: OpaquePointer?
        let rc = sqlite3_prepare_v3(db.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &h, nil)
        guard rc == SQLITE_OK, let h else { throw SQLiteError(code: rc, message: db.errorMessage, sql: sql) }
        handle = h
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ rc: Int32) throws(SQLiteError) {
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: db.errorMessage, sql: sql) }
    }

    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (k, v) in values.enumerated() { try bind(v, at: Int32(k + 1)) }
    }

    public func bind(_ v: SQLValue, at i: Int32) throws(SQLiteError) {
        switch v {
        case .null: try check(sqlite3_bind_null(handle, i))
        case .integer(let x): try check(sqlite3_bind_int64(handle, i, x))
        case .real(let x): try check(sqlite3_bind_double(handle, i, x))
        case .text(let s): try check(sqlite3_bind_text(handle, i, s, -1, seinhuis_sqlite_transient()))
        case .blob(let b): try bind(blob: b, at: i)
        }
    }

    @inline(__always) public func bind(_ x: Int64, at i: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, i, x))
    }

    public func bind(blob b: [UInt8], at i: Int32) throws(SQLiteError) {
        let rc = b.withUnsafeBytes { p in
            sqlite3_bind_blob(
                handle, i, p.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(p.count),
                seinhuis_sqlite_transient())
        }
        try check(rc)
    }

    /// Steps a statement that returns no rows.
    public func run(_ values: [SQLValue] = []) throws(SQLiteError) {
        if !values.isEmpty { try bind(values) }
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteError(code: sqlite3_extended_errcode(db.handle), message: db.errorMessage, sql: sql)
        }
    }

    /// Steps to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: sqlite3_extended_errcode(db.handle), message: db.errorMessage, sql: sql)
    }

    /// Calls `body` for each row.
    public func forEach(_ body: (Row) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while try step() { try body(Row(handle: handle)) }
    }

    public func scalarInt() throws(SQLiteError) -> Int64? {
        defer { sqlite3_reset(handle) }
        guard try step(), sqlite3_column_type(handle, 0) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(handle, 0)
    }
}

/// The current row of a statement (valid only inside `forEach`).
public struct Row {
    let handle: OpaquePointer

    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    public func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
    public func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }
    public func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
    /// The text's UTF-8 bytes in place (no `String`), valid only inside `body`.
    public func withText<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let p = sqlite3_column_text(handle, i)  // before the length: the conversion to text sets it
        let n = Int(sqlite3_column_bytes(handle, i))
        return try body(UnsafeBufferPointer(start: p, count: p == nil ? 0 : n))
    }
    /// The blob's bytes, valid only inside `body`.
    public func withBlob<R>(_ i: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(sqlite3_column_bytes(handle, i))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, i), count: n))
    }
}
