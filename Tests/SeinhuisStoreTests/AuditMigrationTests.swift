import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

/// A database of schema 8 (a plain audit table) opened by this build: its entries are chained in id order, their
/// dossiers filled in, and the head recorded; new entries chain on.
@Suite("Store: migration of the audit trail to the hash chain")
struct AuditMigrationTests {
    @Test func existingEntriesAreChainedInIdOrder() throws {
        let path = temporaryDatabase()
        let db = try Database(path: path)
        for v in 0..<8 { try db.execute(Schema.migrations[v]) }
        try db.execute("PRAGMA user_version = 8")
        try db.execute(
            """
            INSERT INTO dossier(id, subject, radex, mandate, start, timezone, version, imported_at, json)
                VALUES ('D-1', 'S-1', 1, 'pretrial', '2026-01-01', 'Europe/Brussels', 1, 0, '{}');
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, zone, event_ts,
                detected_at, state, escalation, policy, updated_at)
                VALUES (1, 'A-000000001', 'D-1', 'TAG-1', 'strap_tamper', 'critical', 1, 'vcet', NULL, 0, 0, 'open',
                    0, 'v1', 0);
            INSERT INTO audit(id, at, actor, action, subject, detail, queue, role) VALUES
                (1, 1000, 'ops', 'dossier.import', 'D-1', 'version 1', NULL, NULL),
                (2, 2000, 'anna', 'session.login', 'anna', 'until later', NULL, NULL),
                (3, 3000, 'anna', 'alert.acknowledge', 'A-000000001', 'queue vcet', 'vcet', 'operator');
            """)
        let store = try Store(path: path)
        #expect(try store.db.scalarInt("PRAGMA user_version") == Int64(Store.schemaVersion))
        let rows = try store.auditRecords(AuditQuery(limit: nil))
        #expect(rows.map { $0.dossier ?? "-" } == ["D-1", "-", "D-1"])
        #expect(rows.allSatisfy { $0.hash.count == 64 })
        #expect(AuditHasher().hash(prev: nil, rows[0]) == rows[0].hash)
        #expect(AuditHasher().hash(prev: rows[1].hash, rows[2]) == rows[2].hash)
        #expect(try store.auditHead() == AuditHead(id: 3, hash: rows[2].hash, at: Timestamp(milliseconds: 3000)))
        #expect(try store.verifyAudit().intact)
        try store.audit(
            actor: "anna", action: "session.logout", subject: "anna", detail: "", at: Timestamp(milliseconds: 4000))
        let v = try store.verifyAudit()
        #expect(v.intact && v.verified == 4)
        // The migration's indexes serve the filters.
        let plan = try store.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM audit WHERE actor = 'anna' ORDER BY id")
        var detail = ""
        try plan.forEach { detail += $0.text(3) }
        #expect(detail.contains("audit_actor"))
    }
}
