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
        #expect(b.escalate(dueBy: t0 + 5 * minute - 1).isEmpty)
        var seen: [Alert] = []
        for k in 1...5 { seen += b.escalate(dueBy: t0 + Int64(k) * 5 * minute) }
        #expect(seen.map(\.escalation) == [1, 2, 3])
        #expect(seen.map(\.escalatedAt) == [t0 + 5 * minute, t0 + 10 * minute, t0 + 15 * minute])
        #expect(seen.allSatisfy { $0.queues == [.vcet, .coordinator, .cic, .police] && $0.queuesAtOnce == a.queues })
    }

    @Test func otherCriticalGoesToPoliceAfterTenMinutes() {
        var b = book(radex: false)
        let a = raise(&b, .exclusion_zone_entry)
        #expect(a.queues == [.vcet])
        let e = b.escalate(dueBy: t0 + 10 * minute)
        #expect(e.count == 1)
        #expect(e.first?.queues == [.vcet, .police])
        #expect(e.first?.queuesAtOnce == [.vcet])
    }

    @Test func radexMediumEscalatesToCicAndPoliceAfterFifteenMinutes() {
        var b = book(radex: true)
        _ = raise(&b, .gnss_loss)
        #expect(b.escalate(dueBy: t0 + 15 * minute - 1).isEmpty)
        #expect(
            b.escalate(dueBy: t0 + 15 * minute).first?.queues == [.vcet, .coordinator, .cic, .police])
    }

    @Test func aMeasureStopsEscalationAnAcknowledgementDoesNot() throws {
        var b = book(radex: false)
        var a = raise(&b, .strap_tamper)
        (a.handling, _) = try AlertWorkflow.apply(.acknowledge, for: .vcet, to: a.handling, at: t0 + 1)
        b.refresh(a)
        let first = b.escalate(dueBy: t0 + 10 * minute)
        #expect(first.count == 1)
        // The handling reached the police queue with the escalation.
        #expect(first.first?.handling.queues == [.vcet, .police])
        // The database says a queue responded meanwhile: no escalation, and none later.
        a = try #require(first.first)
        (a.handling, _) = try AlertWorkflow.apply(.respond(.phone_call, note: nil), for: .police, to: a.handling, at: t0 + 11 * minute)
        b.refresh(a)
        #expect(b.escalate(dueBy: t0 + 20 * minute).isEmpty)
        #expect(b.escalate(dueBy: t0 + 60 * minute).isEmpty)
    }

    @Test func aRouteThatNamesStopsOnEscalatesUntilThoseQueuesRespond() throws {
        var policy = RoutingPolicy.v1
        policy.version = "v2"
        for k in policy.rules.indices where policy.rules[k].radex == true {
            policy.rules[k].route.stopsOn = [.cic, .police]
        }
        var b = AlertBook(policy: policy, nextNumber: 1)
        b.radex = ["D-1": true]
        var a = raise(&b, .strap_tamper)
        // The monitoring centre's measure does not stop it: CIC or police must act.
        (a.handling, _) = try AlertWorkflow.apply(.respond(.phone_call, note: nil), for: .vcet, to: a.handling, at: t0 + 1)
        b.refresh(a)
        let e = b.escalate(dueBy: t0 + 5 * minute)
        #expect(e.map(\.escalation) == [1])
        a = try #require(e.first)
        (a.handling, _) = try AlertWorkflow.apply(.respond(.police_dispatched, note: nil), for: .cic, to: a.handling, at: t0 + 6 * minute)
        b.refresh(a)
        #expect(b.escalate(dueBy: t0 + 60 * minute).isEmpty)
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
        let e = restarted.escalate(dueBy: t0 + 30 * minute)
        #expect(e.map(\.escalation) == [1])
        #expect(e.first?.clearedAt == t0 + minute)
    }
}
