import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

/// A database of schema 7 (before contract 1.1) opened by this build: its alerts get their handling from the
/// action log and a rev, and keep working with the change feed and the latency report.
@Suite("Store: migration of a database from before per-queue handling")
struct MigrationTests {
    let t = Timestamp(milliseconds: 1_790_000_000_000)

    /// Schema 7 as the build before wrote it, with two alerts and their old single-state actions.
    func schema7Database() throws -> String {
        let path = temporaryDatabase()
        let db = try Database(path: path)
        for v in 0..<7 { try db.execute(Schema.migrations[v]) }
        try db.execute("PRAGMA user_version = 7")
        try db.execute(
            """
            INSERT INTO user(name, role, password_hash, created_at, password_changed_at)
                VALUES ('piet', 'police', 'x', 0, 0), ('anna', 'operator', 'x', 0, 0);
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, zone, event_ts,
                detected_at, state, escalation, policy, updated_at, acknowledged_at, responded_at)
                VALUES (1, 'A-000000001', 'D-1', 'TAG-1', 'strap_tamper', 'critical', 1, 'vcet,coordinator,cic,police',
                    NULL, \(t.milliseconds - 5), \(t.milliseconds), 'responded', 0, 'v1', 0, \(t.milliseconds + 30_000),
                    \(t.milliseconds + 90_000));
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, zone, event_ts,
                detected_at, state, escalation, policy, updated_at, acknowledged_at, responded_at, closed_at)
                VALUES (2, 'A-000000002', 'D-2', 'TAG-2', 'battery_low', 'low', 0, 'vcet', NULL,
                    \(t.milliseconds), \(t.milliseconds), 'closed', 0, 'v1', 0, \(t.milliseconds + 60_000),
                    \(t.milliseconds + 60_000), \(t.milliseconds + 120_000));
            INSERT INTO alert_action(alert_id, at, actor, kind, measure, note) VALUES
                ('A-000000001', \(t.milliseconds + 30_000), 'piet', 'acknowledge', NULL, NULL),
                ('A-000000001', \(t.milliseconds + 90_000), 'ops-cli', 'respond', 'phone_call', NULL),
                ('A-000000002', \(t.milliseconds + 60_000), 'anna', 'respond', 'false_alarm', NULL),
                ('A-000000002', \(t.milliseconds + 120_000), 'anna', 'close', NULL, NULL);
            """)
        return path
    }

    @Test func oldAlertsGetHandlingFromTheirActionLogAndARev() throws {
        let store = try Store(path: try schema7Database())
        #expect(try store.db.scalarInt("PRAGMA user_version") == Int64(Store.schemaVersion))
        let a1 = try #require(try store.alert(id: "A-000000001"))
        // piet is a police user: his acknowledgement is the police's. The command line's measure is the centre's.
        #expect(a1.handling.byQueue[.police]?.state == .acknowledged)
        #expect(a1.handling.byQueue[.police]?.acknowledgedAt == t + 30_000)
        #expect(a1.handling.byQueue[.vcet]?.state == .responded)
        #expect(a1.handling.byQueue[.vcet]?.firstMeasureAt == t + 90_000)
        #expect(a1.handling.byQueue[.cic]?.state == .open)
        #expect(a1.state == .responded)
        let a2 = try #require(try store.alert(id: "A-000000002"))
        #expect(a2.handling.byQueue[.vcet]?.state == .closed && a2.state == .closed)
        // Revs follow the numbers; the next publication takes the next one.
        #expect([a1.rev, a2.rev] == [1, 2])
        #expect(try store.alerts(reached: .police, afterRev: 0, limit: 10).map(\.id) == ["A-000000001"])
        var again = a1
        try store.transaction { try store.save(&again, at: t + 200_000) }
        #expect(again.rev == 3)
        // The log names the queues (and roles of console users) it was taken for.
        let log = try store.actions().map { "\($0.alertID) \($0.queue?.rawValue ?? "-") \($0.role ?? "-")" }
        #expect(
            log == [
                "A-000000001 police police", "A-000000001 vcet -", "A-000000002 vcet operator",
                "A-000000002 vcet operator",
            ])
        // The latency report per queue uses each queue's own moments.
        let rows = LatencyReport.rows(
            try store.latencyRecords(from: .distantPast, to: .distantFuture) { _, _, _ in 600 }, by: .queue)
        #expect(rows.first { $0.group == "police" }?.acknowledge.p50Ms == 30_000)
        #expect(rows.first { $0.group == "police" }?.response.count == 0)
        #expect(rows.first { $0.group == "vcet" }?.response.count == 2)
    }
}
