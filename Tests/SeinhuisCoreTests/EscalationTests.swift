import Testing

@testable import SeinhuisCore

@Suite("Escalation (PROTOCOL 4.2)")
struct EscalationTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)
    let minute: Int64 = 60_000

    func book(radex: Bool) -> AlertBook {
        var b = AlertBook(policy: .v1, nextNumber: 1)
        b.radex = ["D-1": radex]
        return b
    }

    func raise(_ b: inout AlertBook, _ kind: BreachKind) -> Alert {
        b.apply(.raised(BreachKey(dossier: "D-1", device: "T-1", kind: kind), at: t0), detectedAt: t0)!
    }

    @Test func radexCriticalRepeatsToAllFourEveryFiveMinutesAtMostThreeTimes() {
        var b = book(radex: true)
        let a = raise(&b, .strap_tamper)
        #expect(a.queues == [.vcet, .coordinator, .cic, .police])
        #expect(b.escalate(dueBy: t0 + 5 * minute - 1) { _ in false }.isEmpty)
        var seen: [Alert] = []
        for k in 1...5 { seen += b.escalate(dueBy: t0 + Int64(k) * 5 * minute) { _ in false } }
        #expect(seen.map(\.escalation) == [1, 2, 3])
        #expect(seen.map(\.escalatedAt) == [t0 + 5 * minute, t0 + 10 * minute, t0 + 15 * minute])
        #expect(seen.allSatisfy { $0.queues == [.vcet, .coordinator, .cic, .police] && $0.queuesAtOnce == a.queues })
    }

    @Test func otherCriticalGoesToPoliceAfterTenMinutes() {
        var b = book(radex: false)
        let a = raise(&b, .exclusion_zone_entry)
        #expect(a.queues == [.vcet])
        let e = b.escalate(dueBy: t0 + 10 * minute) { _ in false }
        #expect(e.count == 1)
        #expect(e.first?.queues == [.vcet, .police])
        #expect(e.first?.queuesAtOnce == [.vcet])
    }

    @Test func radexMediumEscalatesToCicAndPoliceAfterFifteenMinutes() {
        var b = book(radex: true)
        _ = raise(&b, .gnss_loss)
        #expect(b.escalate(dueBy: t0 + 15 * minute - 1) { _ in false }.isEmpty)
        #expect(
            b.escalate(dueBy: t0 + 15 * minute) { _ in false }.first?.queues == [.vcet, .coordinator, .cic, .police])
    }

    @Test func aMeasureStopsEscalationAnAcknowledgementDoesNot() {
        var b = book(radex: false)
        var a = raise(&b, .strap_tamper)
        a.state = .acknowledged
        b.refresh(a)
        #expect(b.escalate(dueBy: t0 + 10 * minute) { _ in false }.count == 1)
        // The database says someone responded meanwhile: no escalation, and none later.
        #expect(b.escalate(dueBy: t0 + 20 * minute) { _ in true }.isEmpty)
        #expect(b.escalate(dueBy: t0 + 60 * minute) { _ in false }.isEmpty)
    }

    @Test func clearingTheBreachDoesNotStopEscalationAndRestartKeepsItPending() {
        var b = book(radex: false)
        let key = BreachKey(dossier: "D-1", device: "T-1", kind: .case_tamper)
        _ = b.apply(.raised(key, at: t0), detectedAt: t0)
        let cleared = b.apply(.cleared(key, at: t0 + minute), detectedAt: t0 + minute)!
        // A new process adopts the stored alert: its escalation is still due 30 minutes after detection.
        var restarted = AlertBook(policy: .v1, nextNumber: 2)
        restarted.adopt(cleared, key: nil)
        #expect(restarted.nextEscalation == t0 + 30 * minute)
        let e = restarted.escalate(dueBy: t0 + 30 * minute) { _ in false }
        #expect(e.map(\.escalation) == [1])
        #expect(e.first?.clearedAt == t0 + minute)
    }
}
