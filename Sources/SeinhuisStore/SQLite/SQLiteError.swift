import CSQLite

/// A SQLite failure with the library's own result code and message, and the SQL that failed.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    public var isConstraint: Bool { code & 0xFF == SQLITE_CONSTRAINT }

    public var description: String {
        if let sql { return "SQLite error \(code): \(message) (in \(sql.prefix(120)))" }
        return "SQLite error \(code): \(message)"
    }
}
