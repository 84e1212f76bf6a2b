import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

/// Per-queue handling in a real SQLite file (PROTOCOL 4.4, 1.1): each queue's own moments, the action log with
/// queue and role, and the latency report per queue.
@Suite("Store: per-queue handling and latency")
struct HandlingStoreTests {
    let detected = Timestamp(milliseconds: 1_790_000_000_000)

    func radexAlert(_ store: Store) throws -> Alert {
        var a = Alert(
            id: Alert.id(forNumber: 1), dossier: "D-1", device: "TAG-1", kind: .breach(.strap_tamper),
            severity: .critical, radex: true, queues: [.vcet, .coordinator, .cic, .police], zone: nil,
            eventTs: detected - 2, detectedAt: detected, policy: "v1")
        try store.transaction { try store.save(&a, at: detected) }
        return a
    }

    @Test func queuesRespondingOneAndNineMinutesAfterDetectionHaveTheirOwnLatencyRows() throws {
        let store = try Store(path: temporaryDatabase())
        let a = try radexAlert(store)
        let vcet = ActingUser(name: "op-anna", role: "operator", queue: .vcet)
        let police = ActingUser(name: "po-piet", role: "police", queue: .police)
        _ = try store.act(.respond(.phone_call, note: nil), on: a.id, as: vcet, at: detected + 60_000)
        _ = try store.act(.respond(.police_dispatched, note: nil), on: a.id, as: police, at: detected + 540_000)

        let records = try store.latencyRecords(from: .distantPast, to: .distantFuture) { _, _, _ in 600 }
        let rows = LatencyReport.rows(records, by: .queue)
        func row(_ q: String) -> LatencyRow? { rows.first { $0.group == q } }
        #expect(row("vcet")?.response.p50Ms == 60_000)
        #expect(row("police")?.response.p50Ms == 540_000)
        #expect(row("vcet")?.acknowledge.p50Ms == 60_000)  // a measure on an open queue acknowledges it then
        // CIC and the coordinator never responded: counted, with no response.
        #expect(row("cic")?.alerts == 1 && row("cic")?.response.count == 0)
        #expect(row("coordinator")?.response.count == 0)

        // The action log and the audit trail name the queue and the role.
        // (A measure on an open queue records its acknowledgement too.)
        let log = try store.actions(alertID: a.id).map {
            "\($0.record.kind.rawValue) \($0.actor) \($0.role ?? "-") \($0.queue?.rawValue ?? "-")"
        }
        #expect(
            log == [
                "acknowledge op-anna operator vcet", "respond op-anna operator vcet", "acknowledge po-piet police police",
                "respond po-piet police police",
            ])
        let audit = try store.auditTrail(subject: a.id).map { "\($0.role ?? "-") \($0.queue ?? "-")" }
        #expect(audit == ["operator vcet", "operator vcet", "police police", "police police"])
    }

    @Test func aPoliceAcknowledgementLeavesTheCentresHandlingOpen() throws {
        let store = try Store(path: temporaryDatabase())
        let a = try radexAlert(store)
        let police = ActingUser(name: "po-piet", role: "police", queue: .police)
        let (after, recorded) = try store.act(.acknowledge, on: a.id, as: police, at: detected + 30_000)
        #expect(recorded.map(\.kind) == [.acknowledge])
        #expect(after.handling.byQueue[.police]?.state == .acknowledged)
        #expect(after.handling.byQueue[.vcet]?.state == .open)
        #expect(after.state == .acknowledged)  // the summary: any queue acknowledged
        // Stored as it was returned, and waiting for serve to publish it with a new rev.
        #expect(try store.alert(id: a.id)?.handling == after.handling)
        #expect(try store.pendingAlerts().map(\.id) == [a.id])
    }

    @Test func anAlertTheCentreClosedStaysActiveForThePolice() throws {
        let store = try Store(path: temporaryDatabase())
        let a = try radexAlert(store)
        let vcet = ActingUser(name: "op-anna", role: "operator", queue: .vcet)
        _ = try store.act(.close(.false_alarm, note: nil), on: a.id, as: vcet, at: detected + 60_000)
        func active(_ q: Queue) throws -> [String] {
            var f = Store.AlertFilter(queue: q)
            f.activeOnly = true
            return try store.alerts(f).map(\.id)
        }
        #expect(try store.alert(id: a.id)?.state == .closed)  // the summary: vcet closed it
        #expect(try active(.vcet).isEmpty)
        #expect(try active(.police) == [a.id])
        var all = Store.AlertFilter()
        all.activeOnly = true
        #expect(try store.alerts(all).isEmpty)
    }

    @Test func anActionForAQueueTheAlertNeverReachedWritesNothing() throws {
        let store = try Store(path: temporaryDatabase())
        let a = try radexAlert(store)
        let cell = ActingUser(name: "cel", role: "cell", queue: .cell)
        #expect(throws: AlertActionError.self) {
            try store.act(.acknowledge, on: a.id, as: cell, at: detected + 1000)
        }
        #expect(try store.actions(alertID: a.id).isEmpty)
        #expect(try store.auditTrail(subject: a.id).isEmpty)
        #expect(try !store.hasPendingAlerts())
        #expect(try store.alert(id: a.id) == a)
    }
}
