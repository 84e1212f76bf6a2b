import Testing

@testable import SeinhuisCore

@Suite("Acting on alerts (PROTOCOL 4.4)")
struct AlertWorkflowTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    @Test func acknowledgeThenRespondThenClose() throws {
        var (p, log) = try AlertWorkflow.apply(.acknowledge, to: QueueHandling(), at: t0)
        #expect(p.state == .acknowledged && p.acknowledgedAt == t0 && log.map(\.kind) == [.acknowledge])
        (p, log) = try AlertWorkflow.apply(.acknowledge, to: p, at: t0 + 5)
        #expect(log.isEmpty && p.acknowledgedAt == t0)  // a second acknowledgement changes nothing
        (p, log) = try AlertWorkflow.apply(.respond(.phone_call, note: "called"), to: p, at: t0 + 60_000)
        #expect(
            p.state == .responded && p.firstMeasureAt == t0 + 60_000
                && log == [ActionRecord(kind: .respond, measure: .phone_call, note: "called")])
        (p, _) = try AlertWorkflow.apply(.respond(.field_visit, note: nil), to: p, at: t0 + 120_000)
        #expect(p.firstMeasureAt == t0 + 60_000)  // the first measure counts for latency
        (p, log) = try AlertWorkflow.apply(.close(nil, note: "done"), to: p, at: t0 + 180_000)
        #expect(p.state == .closed && p.closedAt == t0 + 180_000 && log.map(\.kind) == [.close])
    }

    @Test func respondingToAnOpenAlertAcknowledgesItAtThatMoment() throws {
        let (p, log) = try AlertWorkflow.apply(.respond(.police_dispatched, note: nil), to: QueueHandling(), at: t0)
        #expect(p.acknowledgedAt == t0 && p.firstMeasureAt == t0 && p.state == .responded)
        #expect(log.map(\.kind) == [.acknowledge, .respond])
    }

    @Test func closingNeedsAMeasure() throws {
        #expect(throws: AlertActionError.self) {
            try AlertWorkflow.apply(.close(nil, note: nil), to: QueueHandling(), at: t0)
        }
        let (p, log) = try AlertWorkflow.apply(.close(.false_alarm, note: "drift"), to: QueueHandling(), at: t0)
        #expect(p.state == .closed && p.firstMeasureAt == t0 && log.map(\.kind) == [.acknowledge, .respond, .close])
    }

    @Test func nothingIsRecordedOnAClosedAlert() throws {
        let (closed, _) = try AlertWorkflow.apply(.close(.false_alarm, note: nil), to: QueueHandling(), at: t0)
        for action: AlertAction in [.acknowledge, .respond(.other, note: nil), .close(.other, note: nil)] {
            #expect(throws: AlertActionError.self) { try AlertWorkflow.apply(action, to: closed, at: t0 + 1) }
        }
    }

    // MARK: - Each queue on its own (PROTOCOL 4.4, 1.1)

    @Test func aQueueActsForItselfAndTheStateSumsUp() throws {
        var h = Handling(reached: [.vcet, .coordinator, .cic, .police])
        #expect(h.summary == .open)
        var log: [ActionRecord]
        (h, log) = try AlertWorkflow.apply(.acknowledge, for: .police, to: h, at: t0)
        #expect(log.map(\.kind) == [.acknowledge])
        #expect(h[.police]?.state == .acknowledged && h[.vcet]?.state == .open)  // police's ack is police's only
        #expect(h.summary == .acknowledged)
        (h, _) = try AlertWorkflow.apply(.respond(.phone_call, note: nil), for: .cic, to: h, at: t0 + 60_000)
        #expect(h[.cic]?.firstMeasureAt == t0 + 60_000 && h[.cic]?.measure == .phone_call)
        #expect(h.summary == .responded && h[.vcet]?.firstMeasureAt == nil)
        // Closed by every queue but vcet: not closed; closed by vcet: closed.
        for q: Queue in [.coordinator, .cic, .police] {
            (h, _) = try AlertWorkflow.apply(.close(.other, note: nil), for: q, to: h, at: t0 + 120_000)
        }
        #expect(h.summary == .responded)
        (h, _) = try AlertWorkflow.apply(.close(.false_alarm, note: nil), for: .vcet, to: h, at: t0 + 180_000)
        #expect(h.summary == .closed)
    }

    @Test func anAlertThatNeverReachedVcetIsClosedWhenEveryQueueHasClosedIt() throws {
        var h = Handling(reached: [.coordinator, .cell])
        (h, _) = try AlertWorkflow.apply(.close(.other, note: nil), for: .cell, to: h, at: t0)
        #expect(h.summary == .responded)
        (h, _) = try AlertWorkflow.apply(.close(.other, note: nil), for: .coordinator, to: h, at: t0 + 1)
        #expect(h.summary == .closed)
    }

    @Test func aQueueTheAlertNeverReachedCannotAct() {
        let h = Handling(reached: [.vcet])
        do {
            _ = try AlertWorkflow.apply(.acknowledge, for: .police, to: h, at: t0)
            Issue.record("police acted on a vcet-only alert")
        } catch {
            #expect(error.isNotReached)
        }
    }

    @Test func escalationStopsAtAnyMeasureUnlessTheRouteNamesItsQueues() throws {
        var h = Handling(reached: [.vcet, .police])
        #expect(!h.stopsEscalation(stopsOn: nil))
        (h, _) = try AlertWorkflow.apply(.respond(.phone_call, note: nil), for: .vcet, to: h, at: t0)
        #expect(h.stopsEscalation(stopsOn: nil))
        #expect(!h.stopsEscalation(stopsOn: [.police]))  // only a police measure stops it
        (h, _) = try AlertWorkflow.apply(.respond(.police_dispatched, note: nil), for: .police, to: h, at: t0 + 1)
        #expect(h.stopsEscalation(stopsOn: [.police]))
    }

    @Test func theStoredFormRoundTrips() throws {
        var h = Handling(reached: [.vcet, .coordinator, .police])
        (h, _) = try AlertWorkflow.apply(.close(.false_alarm, note: nil), for: .vcet, to: h, at: t0)
        (h, _) = try AlertWorkflow.apply(.acknowledge, for: .police, to: h, at: t0 + 5)
        #expect(Handling(stored: h.stored) == h)
        #expect(Handling(stored: "vcet nonsense    ") == nil)
        #expect(Handling(stored: "") == Handling())
        #expect(
            h.json
                == #"{"vcet":{"state":"closed","acknowledged_at":"\#(t0.rfc3339)","first_measure_at":"\#(t0.rfc3339)","measure":"false_alarm","closed_at":"\#(t0.rfc3339)"},"coordinator":{"state":"open"},"police":{"state":"acknowledged","acknowledged_at":"\#((t0 + 5).rfc3339)"}}"#
        )
    }

    /// The stored form read from bytes in place (what `whatif` reads a year of breaches with) accepts and refuses
    /// exactly what the format allows.
    @Test func theStoredFormIsReadFromItsBytes() throws {
        let good = [
            "vcet responded 1795000000000 1795000060000 phone_call ",
            "vcet closed 1 2 false_alarm 3;police open    ",
            ";vcet open    ;;cic acknowledged 7   ;",
            "vcet open -5 +6  ",
        ]
        for text in good {
            let h = try #require(Handling(stored: text), "\(text)")
            #expect(Handling(stored: h.stored) == h)
        }
        let cic = Handling(stored: ";vcet open    ;;cic acknowledged 7   ;")
        #expect(cic?.queues == [.vcet, .cic] && cic?[.cic]?.acknowledgedAt == Timestamp(milliseconds: 7))
        #expect(Handling(stored: "police open -5 +6  ")?[.police]?.acknowledgedAt == Timestamp(milliseconds: -5))
        let bad = [
            "vcet open   ", "vcet open     ", "nowhere open    ", "vcet shut    ", "vcet open x   ",
            "vcet open 1 2 teleport ", "vcet open 99999999999999999999   ", "vcet open -   ", " ",
        ]
        for text in bad { #expect(Handling(stored: text) == nil, "\(text)") }
    }
}
