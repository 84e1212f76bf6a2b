import SeinhuisCore

/// A user of the console as stored (the password only as its bcrypt hash).
public struct ConsoleUser: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var passwordHash: String
    public var createdAt: Timestamp
    public var passwordChangedAt: Timestamp
    public var disabled: Bool
    /// The language the user chose for the console (`nl`, `fr`, `en`); nil: the browser's, else Dutch.
    public var language: String?
}

/// A user's session as the server sees it after looking up a token.
public struct SessionUser: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var expiresAt: Timestamp
    /// The account's stored language preference (`nl`, `fr`, `en`), nil when none is set.
    public var language: String?

    public init(name: String, role: Role, expiresAt: Timestamp, language: String? = nil) {
        self.name = name
        self.role = role
        self.expiresAt = expiresAt
        self.language = language
    }
}

/// A user-management request that cannot apply (unknown user, duplicate name).
public struct UserError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

extension Store {
    /// Adds a user; `passwordHash` is a bcrypt hash made by the caller. Audited as `user.add` by `actor` (in the role
    /// `actorRole`). `onlyIfFirst`: refuse unless the table is empty (the first admin, checked in the transaction).
    public func addUser(
        name: String, role: Role, passwordHash: String, by actor: String, actorRole: String? = nil,
        onlyIfFirst: Bool = false, at: Timestamp
    ) throws {
        try db.transaction {
            if onlyIfFirst, try userCount() > 0 { throw UserError("there are accounts already: give --by an admin") }
            guard try user(name: name) == nil else { throw UserError("user \(name) exists already") }
            try db.cached(
                """
                INSERT INTO user(name, role, password_hash, created_at, password_changed_at, disabled)
                VALUES (?, ?, ?, ?, ?, 0)
                """
            ).run([
                .text(name), .text(role.rawValue), .text(passwordHash), .integer(at.milliseconds),
                .integer(at.milliseconds),
            ])
            try audit(
                actor: actor, action: "user.add", subject: name,
                detail: "role \(role.rawValue)\(onlyIfFirst ? " (the first account)" : "")", at: at, role: actorRole)
        }
    }

    /// Replaces a user's password hash and ends their sessions. Audited as `user.passwd`.
    public func setPassword(
        name: String, passwordHash: String, by actor: String, actorRole: String? = nil, at: Timestamp
    ) throws {
        try db.transaction {
            guard try user(name: name) != nil else { throw UserError("no user \(name)") }
            try db.cached("UPDATE user SET password_hash = ?, password_changed_at = ? WHERE name = ?")
                .run([.text(passwordHash), .integer(at.milliseconds), .text(name)])
            try db.cached("DELETE FROM session WHERE user = ?").run([.text(name)])
            try audit(
                actor: actor, action: "user.passwd", subject: name, detail: "sessions ended", at: at, role: actorRole)
        }
    }

    /// Disables (ending their sessions) or enables a user. Audited as `user.disable` / `user.enable`.
    public func setDisabled(
        name: String, _ disabled: Bool, by actor: String, actorRole: String? = nil, at: Timestamp
    ) throws {
        try db.transaction {
            guard try user(name: name) != nil else { throw UserError("no user \(name)") }
            try db.cached("UPDATE user SET disabled = ? WHERE name = ?").run([.integer(disabled ? 1 : 0), .text(name)])
            if disabled { try db.cached("DELETE FROM session WHERE user = ?").run([.text(name)]) }
            try audit(
                actor: actor, action: disabled ? "user.disable" : "user.enable", subject: name, detail: "", at: at,
                role: actorRole)
        }
    }

    /// Sets (or with nil clears) a user's language preference. Audited as `user.language` by `actor`.
    public func setLanguage(
        name: String, _ language: String?, by actor: String, actorRole: String? = nil, at: Timestamp
    ) throws {
        try db.transaction {
            guard try user(name: name) != nil else { throw UserError("no user \(name)") }
            try db.cached("UPDATE user SET language = ? WHERE name = ?")
                .run([language.map { .text($0) } ?? .null, .text(name)])
            try audit(
                actor: actor, action: "user.language", subject: name, detail: language ?? "none", at: at,
                role: actorRole)
        }
    }

    static let userColumns = "name, role, password_hash, created_at, password_changed_at, disabled, language"

    public func users() throws -> [ConsoleUser] {
        try loadUsers("SELECT \(Self.userColumns) FROM user ORDER BY name", [])
    }

    public func user(name: String) throws -> ConsoleUser? {
        try loadUsers("SELECT \(Self.userColumns) FROM user WHERE name = ?", [.text(name)]).first
    }

    private func loadUsers(_ sql: String, _ b: [SQLValue]) throws -> [ConsoleUser] {
        let s = try db.cached(sql)
        try s.bind(b)
        var out: [ConsoleUser] = []
        try s.forEach { r in
            // A role this build does not know (a newer schema's) reads as the least privileged one.
            out.append(
                ConsoleUser(
                    name: r.text(0), role: Role(rawValue: r.text(1)) ?? .police, passwordHash: r.text(2),
                    createdAt: Timestamp(milliseconds: r.int(3)), passwordChangedAt: Timestamp(milliseconds: r.int(4)),
                    disabled: r.int(5) != 0, language: r.optionalText(6)))
        }
        return out
    }

    public func userCount() throws -> Int64 { try db.scalarInt("SELECT COUNT(*) FROM user") ?? 0 }

    // MARK: sessions

    /// Starts a session (the caller checked the password) and audits the login.
    public func startSession(tokenHash: String, user: String, at: Timestamp, expiresAt: Timestamp) throws {
        try db.transaction {
            // Expired sessions are swept here, so the table never grows beyond the live ones and a day's logins.
            try db.cached("DELETE FROM session WHERE expires_at <= ?").run([.integer(at.milliseconds)])
            try db.cached("INSERT INTO session(token_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .run([.text(tokenHash), .text(user), .integer(at.milliseconds), .integer(expiresAt.milliseconds)])
            try audit(
                actor: user, action: "session.login", subject: user, detail: "until \(expiresAt.rfc3339)", at: at)
        }
    }

    /// The user of a live session: not expired, user not disabled.
    public func sessionUser(tokenHash: String, at: Timestamp) throws -> SessionUser? {
        let s = try db.cached(
            """
            SELECT u.name, u.role, s.expires_at, u.language FROM session s JOIN user u ON u.name = s.user
            WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0
            """)
        try s.bind([.text(tokenHash), .integer(at.milliseconds)])
        var found: SessionUser?
        try s.forEach { r in
            if let role = Role(rawValue: r.text(1)) {
                found = SessionUser(
                    name: r.text(0), role: role, expiresAt: Timestamp(milliseconds: r.int(2)),
                    language: r.optionalText(3))
            }
        }
        return found
    }

    /// Ends a session (logout) and audits it; nothing happens for an unknown token.
    public func endSession(tokenHash: String, at: Timestamp) throws {
        try db.transaction {
            guard let u = try sessionUser(tokenHash: tokenHash, at: Timestamp.distantPast) else { return }
            try db.cached("DELETE FROM session WHERE token_hash = ?").run([.text(tokenHash)])
            try audit(actor: u.name, action: "session.logout", subject: u.name, detail: "", at: at)
        }
    }

    /// A refused login, for the audit trail (the name as typed, trimmed to 64 characters; never the password).
    public func auditFailedLogin(name: String, reason: String, at: Timestamp) throws {
        let shown = String(name.prefix(64))
        try audit(actor: shown, action: "session.login_failed", subject: shown, detail: reason, at: at)
    }
}
