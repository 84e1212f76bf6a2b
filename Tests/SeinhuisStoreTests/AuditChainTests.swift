import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

/// The audit trail's hash chain (PROTOCOL 7, docs/AUDIT.md) on a real SQLite file, tampered with through a second
/// connection as someone with the file would.
@Suite("Store: the audit trail's hash chain")
struct AuditChainTests {
    let t = Timestamp(milliseconds: 1_790_000_000_000)

    /// A trail of `n` entries by two actors about two dossiers.
    func trail(_ n: Int) throws -> (Store, String) {
        let path = temporaryDatabase()
        let store = try Store(path: path)
        for k in 1...n {
            try store.audit(
                actor: k % 2 == 0 ? "anna" : "piet", action: k % 3 == 0 ? "alert.close" : "alert.acknowledge",
                subject: "A-\(k)", detail: "entry \(k)", at: t + Int64(k) * 1000, queue: .vcet, role: "operator",
                dossier: k % 2 == 0 ? "D-1" : "D-2")
        }
        return (store, path)
    }

    func tamper(_ path: String, _ sql: String) throws { try Database(path: path).execute(sql) }

    func firstProblem(_ store: Store, _ exported: [ExportedHead] = []) throws -> AuditProblem? {
        try store.verifyAudit(exported: exported).problems.first
    }

    @Test func anIntactChainVerifiesAndTheHeadIsTheLastEntry() throws {
        let (store, _) = try trail(10)
        let v = try store.verifyAudit()
        #expect(v.intact && v.verified == 10)
        let head = try #require(try store.auditHead())
        #expect(head.id == 10 && head.hash == v.last?.hash && head.hash.count == 64)
        // Each hash is the documented function of the previous hash and the entry's own content.
        let rows = try store.auditRecords(AuditQuery(limit: nil))
        #expect(rows.map(\.id) == Array(1...10))
        #expect(AuditHasher().hash(prev: nil, rows[0]) == rows[0].hash)
        #expect(AuditHasher().hash(prev: rows[3].hash, rows[4]) == rows[4].hash)
        var moved = rows[4]
        (moved.actor, moved.role) = ("annao", "perator")  // the same bytes, split elsewhere
        #expect(AuditHasher().hash(prev: rows[3].hash, moved) != rows[4].hash)
    }

    @Test func anUpdateIsCaughtAtTheEntry() throws {
        let (store, path) = try trail(10)
        try tamper(path, "UPDATE audit SET actor = 'someone' WHERE id = 4")
        #expect(
            try firstProblem(store)
                == AuditProblem(
                    id: 4, kind: .changed, message: "entry 4 was changed: its content no longer gives its hash"))
        // The last entry too (nothing after it: the recorded head still names its hash).
        let (s2, p2) = try trail(5)
        try tamper(p2, "UPDATE audit SET detail = 'x' WHERE id = 5")
        #expect(try firstProblem(s2).map { "\($0.id) \($0.kind)" } == "5 changed")
    }

    @Test func aDeleteIsCaughtNamingTheMissingEntry() throws {
        let (store, path) = try trail(10)
        try tamper(path, "DELETE FROM audit WHERE id = 6")
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "6 removed")
        try tamper(path, "DELETE FROM audit WHERE id IN (1, 2)")
        #expect(
            try firstProblem(store).map { "\($0.id) \($0.kind) \($0.message)" }
                == "1 removed entries 1-2 are missing: the chain goes from the start to entry 3")
    }

    @Test func anInsertBetweenTwoIsCaught() throws {
        // Renumbered to make room: the new entry 5 breaks the chain, entry 6 (the old 5) links past it.
        let (store, path) = try trail(10)
        try tamper(
            path,
            """
            UPDATE audit SET id = -id WHERE id >= 5;
            UPDATE audit SET id = 1 - id WHERE id < 0;
            INSERT INTO audit(id, at, actor, action, subject, detail, hash)
                VALUES (5, \(t.milliseconds + 4500), 'forger', 'alert.close', 'A-4', 'forged', '\(String(repeating: "0", count: 64))');
            """)
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "5 inserted")
        // With a hash that is right for its place: the entry after it shows it.
        let (s2, p2) = try trail(10)
        let rows = try s2.auditRecords(AuditQuery(limit: nil))
        var forged = AuditRecord(
            id: 5, at: t + 4500, actor: "forger", action: "alert.close", subject: "A-4", detail: "x")
        forged.hash = AuditHasher().hash(prev: rows[3].hash, forged)
        try tamper(
            p2,
            """
            UPDATE audit SET id = -id WHERE id >= 5;
            UPDATE audit SET id = 1 - id WHERE id < 0;
            INSERT INTO audit(id, at, actor, action, subject, detail, hash)
                VALUES (5, \(forged.at.milliseconds), 'forger', 'alert.close', 'A-4', 'x', '\(forged.hash)');
            """)
        #expect(try firstProblem(s2).map { "\($0.id) \($0.kind)" } == "5 inserted")
    }

    @Test func removingTheTailIsCaughtByTheRecordedHeadAndByAnExportedOne() throws {
        let (store, path) = try trail(10)
        let exported = ExportedHead(name: "head.json", head: try #require(try store.auditHead()))
        try tamper(path, "DELETE FROM audit WHERE id > 7")
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "8 truncated")
        // Whoever also rewrote the recorded head is caught only by the head kept elsewhere.
        let seven = try #require(try store.auditRecords(AuditQuery(limit: nil)).last)
        try tamper(path, "UPDATE meta SET value = '7 \(seven.hash) \(seven.at.milliseconds)' WHERE key = 'audit.head'")
        #expect(try store.verifyAudit().intact)
        let p = try #require(try firstProblem(store, [exported]))
        #expect(p.id == 8 && p.kind == .truncated && p.message.contains("head.json"))
        // New entries made since reuse the ids: the exported head's entry no longer has its hash.
        try store.audit(actor: "anna", action: "session.login", subject: "anna", detail: "", at: t + 99_000)
        try store.audit(actor: "anna", action: "session.login", subject: "anna", detail: "", at: t + 99_500)
        try store.audit(actor: "anna", action: "session.login", subject: "anna", detail: "", at: t + 99_900)
        #expect(try store.verifyAudit().intact)
        #expect(try firstProblem(store, [exported]).map { "\($0.id) \($0.kind)" } == "10 head")
    }

    @Test func entriesAfterTheRecordedHeadAndAMissingHeadAreCaught() throws {
        let (store, path) = try trail(4)
        let rows = try store.auditRecords(AuditQuery(limit: nil))
        var extra = AuditRecord(id: 5, at: t + 5000, actor: "forger", action: "x", subject: "y", detail: "")
        extra.hash = AuditHasher().hash(prev: rows[3].hash, extra)
        try tamper(
            path,
            "INSERT INTO audit(id, at, actor, action, subject, detail, hash) VALUES (5, \(extra.at.milliseconds), 'forger', 'x', 'y', '', '\(extra.hash)')"
        )
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "5 inserted")
        try tamper(path, "DELETE FROM meta WHERE key = 'audit.head'")
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "5 head")
    }

    @Test func anAppendAfterATruncationStillLinksToTheRecordedHead() throws {
        let (store, path) = try trail(6)
        try tamper(path, "DELETE FROM audit WHERE id > 4")
        try store.audit(actor: "anna", action: "session.login", subject: "anna", detail: "", at: t + 99_000)
        // The new entry is 7, after the recorded 6: the gap shows.
        #expect(try store.auditRecords(AuditQuery(limit: nil)).map(\.id) == [1, 2, 3, 4, 7])
        #expect(try firstProblem(store).map { "\($0.id) \($0.kind)" } == "5 removed")
    }

    @Test func anAuditOutsideATransactionOpensOneAndARolledBackActionLeavesNoEntry() throws {
        let (store, _) = try trail(2)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.transaction {
                try store.audit(actor: "anna", action: "x", subject: "y", detail: "", at: t)
                throw Boom()
            }
        }
        #expect(try store.auditCount() == 2 && store.auditHead()?.id == 2)
        try store.audit(actor: "anna", action: "x", subject: "y", detail: "", at: t)
        #expect(try store.verifyAudit().intact && store.auditHead()?.id == 3)
    }

    @Test func listFilters() throws {
        let (store, _) = try trail(12)
        #expect(try store.auditRecords(AuditQuery(actor: "anna")).map(\.id) == [2, 4, 6, 8, 10, 12])
        #expect(try store.auditRecords(AuditQuery(dossier: "D-2")).map(\.id) == [1, 3, 5, 7, 9, 11])
        #expect(try store.auditRecords(AuditQuery(action: "alert.close")).map(\.id) == [3, 6, 9, 12])
        #expect(try store.auditRecords(AuditQuery(action: "alert")).count == 12)
        #expect(try store.auditRecords(AuditQuery(action: "aler")).isEmpty)
        #expect(try store.auditRecords(AuditQuery(from: t + 3000, to: t + 6000)).map(\.id) == [3, 4, 5])
        #expect(try store.auditRecords(AuditQuery(actor: "piet", dossier: "D-2", limit: 2)).map(\.id) == [1, 3])
        var page = AuditQuery(limit: 3)
        page.newestFirst = true
        page.beforeID = 10
        #expect(try store.auditRecords(page).map(\.id) == [9, 8, 7])
        #expect(AuditQuery.time("2026-11-30") == Timestamp(rfc3339: "2026-11-30T00:00:00Z"))
        #expect(AuditQuery.time("30-11-2026") == nil)
    }

    @Test func aChangedPolicyIsAuditedOnceTheBuiltInOnFirstStartIsNot() throws {
        let (store, _) = try trail(1)
        func record(_ v: String, builtIn: Bool) throws -> Bool {
            try store.recordPolicyInForce(version: v, canonicalJSON: "{\(v)}", builtIn: builtIn, at: t) { ("ops", nil) }
        }
        #expect(try !record("v1", builtIn: true))
        #expect(try !record("v1", builtIn: true))
        #expect(try record("v2", builtIn: false))
        #expect(try !record("v2", builtIn: false))
        let last = try #require(try store.auditRecords(AuditQuery(action: "policy")).last)
        #expect(last.subject == "policy v2" && last.actor == "ops" && last.detail.hasSuffix("before: v1"))
        #expect(try store.verifyAudit().intact)
    }
}
