import Foundation
import SeinhuisCore
import SeinhuisStore
import Testing

@Suite("console users and sessions in the store")
struct UserStoreTests {
    func store() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try Store(path: dir.appendingPathComponent("u.sqlite").path)
    }

    let t0 = Timestamp(milliseconds: 1_700_000_000_000)
    func at(_ s: Int64) -> Timestamp { Timestamp(milliseconds: t0.milliseconds + s * 1000) }

    @Test func usersAreAddedOnceAndAudited() throws {
        let s = try store()
        try s.addUser(name: "anna", role: .operator, passwordHash: "$2b$04$x", by: "admin", at: t0)
        #expect(throws: UserError.self) {
            try s.addUser(name: "anna", role: .cell, passwordHash: "h", by: "admin", at: t0)
        }
        #expect(try s.users().map(\.name) == ["anna"])
        #expect(try s.user(name: "anna")?.role == .operator)
        #expect(try s.auditTrail(subject: "anna").map(\.action) == ["user.add"])
        #expect(throws: UserError.self) { try s.setPassword(name: "nobody", passwordHash: "h", by: "a", at: t0) }
    }

    @Test func aUsersLanguageIsStoredWithTheSessionAndAudited() throws {
        let s = try store()
        try s.addUser(name: "anna", role: .operator, passwordHash: "h", by: "admin", at: t0)
        #expect(try s.user(name: "anna")?.language == nil)
        try s.startSession(tokenHash: "t1", user: "anna", at: t0, expiresAt: at(3600))
        #expect(try s.sessionUser(tokenHash: "t1", at: at(1))?.language == nil)
        try s.setLanguage(name: "anna", "fr", by: "anna", actorRole: "operator", at: at(2))
        #expect(try s.user(name: "anna")?.language == "fr")
        #expect(try s.sessionUser(tokenHash: "t1", at: at(3))?.language == "fr")  // the live session sees it at once
        try s.setLanguage(name: "anna", nil, by: "admin", actorRole: "admin", at: at(4))
        #expect(try s.user(name: "anna")?.language == nil)
        #expect(throws: UserError.self) { try s.setLanguage(name: "nobody", "nl", by: "admin", at: at(5)) }
        let trail = try s.auditTrail(subject: "anna").filter { $0.action == "user.language" }
        #expect(trail.map(\.detail) == ["fr", "none"] && trail.map(\.actor) == ["anna", "admin"])
    }

    @Test func sessionsExpireAndEndWithLogoutPasswordOrDisable() throws {
        let s = try store()
        try s.addUser(name: "anna", role: .operator, passwordHash: "h", by: "admin", at: t0)
        try s.startSession(tokenHash: "t1", user: "anna", at: t0, expiresAt: at(3600))
        #expect(try s.sessionUser(tokenHash: "t1", at: at(10))?.role == .operator)
        #expect(try s.sessionUser(tokenHash: "t1", at: at(3600)) == nil)  // expired
        #expect(try s.sessionUser(tokenHash: "other", at: at(10)) == nil)

        try s.startSession(tokenHash: "t2", user: "anna", at: at(20), expiresAt: at(7200))
        try s.endSession(tokenHash: "t2", at: at(30))
        #expect(try s.sessionUser(tokenHash: "t2", at: at(31)) == nil)

        try s.startSession(tokenHash: "t3", user: "anna", at: at(40), expiresAt: at(7200))
        try s.setPassword(name: "anna", passwordHash: "h2", by: "admin", at: at(50))
        #expect(try s.sessionUser(tokenHash: "t3", at: at(51)) == nil)

        try s.startSession(tokenHash: "t4", user: "anna", at: at(60), expiresAt: at(7200))
        try s.setDisabled(name: "anna", true, by: "admin", at: at(70))
        #expect(try s.sessionUser(tokenHash: "t4", at: at(71)) == nil)
        #expect(try s.user(name: "anna")?.disabled == true)

        let actions = try s.auditTrail(subject: "anna").map(\.action)
        #expect(
            actions == [
                "user.add", "session.login", "session.login", "session.logout", "session.login", "user.passwd",
                "session.login", "user.disable",
            ])
        // The expired first session was swept by a later login.
        #expect(try s.db.scalarInt("SELECT COUNT(*) FROM session WHERE token_hash = 't1'") == 0)
    }
}
