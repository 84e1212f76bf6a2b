import Testing

@testable import SeinhuisCore

@Suite("Acting on alerts (PROTOCOL 4.4)")
struct AlertWorkflowTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    @Test func acknowledgeThenRespondThenClose() throws {
        var (p, log) = try AlertWorkflow.apply(.acknowledge, to: AlertProgress(), at: t0)
        #expect(p.state == .acknowledged && p.acknowledgedAt == t0 && log.map(\.kind) == [.acknowledge])
        (p, log) = try AlertWorkflow.apply(.acknowledge, to: p, at: t0 + 5)
        #expect(log.isEmpty && p.acknowledgedAt == t0)  // a second acknowledgement changes nothing
        (p, log) = try AlertWorkflow.apply(.respond(.phone_call, note: "called"), to: p, at: t0 + 60_000)
        #expect(
            p.state == .responded && p.respondedAt == t0 + 60_000
                && log == [ActionRecord(kind: .respond, measure: .phone_call, note: "called")])
        (p, _) = try AlertWorkflow.apply(.respond(.field_visit, note: nil), to: p, at: t0 + 120_000)
        #expect(p.respondedAt == t0 + 60_000)  // the first measure counts for latency
        (p, log) = try AlertWorkflow.apply(.close(nil, note: "done"), to: p, at: t0 + 180_000)
        #expect(p.state == .closed && p.closedAt == t0 + 180_000 && log.map(\.kind) == [.close])
    }

    @Test func respondingToAnOpenAlertAcknowledgesItAtThatMoment() throws {
        let (p, log) = try AlertWorkflow.apply(.respond(.police_dispatched, note: nil), to: AlertProgress(), at: t0)
        #expect(p.acknowledgedAt == t0 && p.respondedAt == t0 && p.state == .responded)
        #expect(log.map(\.kind) == [.acknowledge, .respond])
    }

    @Test func closingNeedsAMeasure() throws {
        #expect(throws: AlertActionError.self) {
            try AlertWorkflow.apply(.close(nil, note: nil), to: AlertProgress(), at: t0)
        }
        let (p, log) = try AlertWorkflow.apply(.close(.false_alarm, note: "drift"), to: AlertProgress(), at: t0)
        #expect(p.state == .closed && p.respondedAt == t0 && log.map(\.kind) == [.acknowledge, .respond, .close])
    }

    @Test func nothingIsRecordedOnAClosedAlert() throws {
        let (closed, _) = try AlertWorkflow.apply(.close(.false_alarm, note: nil), to: AlertProgress(), at: t0)
        for action: AlertAction in [.acknowledge, .respond(.other, note: nil), .close(.other, note: nil)] {
            #expect(throws: AlertActionError.self) { try AlertWorkflow.apply(action, to: closed, at: t0 + 1) }
        }
    }
}
