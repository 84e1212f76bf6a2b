import Testing

@testable import SeinhuisCore

@Suite("Replay: event-time sequencing with a 10 s hold")
struct ReplaySequencerTests {
    typealias F = RulesFixture

    struct Replay {
        var sequencer: ReplaySequencer
        var changes: [TimedBreachChange] = []
        var seq: UInt64 = 0

        init(comms: Int = 7 * 86_400) {
            var engine = RuleEngine()
            var boot: [BreachChange] = []
            engine.load([F.dossier(devices: ["A", "B"], comms: comms)], at: .distantPast, into: &boot)
            sequencer = ReplaySequencer(engine: engine)
        }

        mutating func read(_ device: String, _ at: String, _ reading: Reading = .heartbeat) {
            seq += 1
            sequencer.push(DeviceEvent(device: device, seq: seq, ts: F.t(at), reading: reading), into: &changes)
        }

        mutating func finish() { sequencer.finish(into: &changes) }

        /// `+kind@event time (detected at)`.
        var log: [String] {
            changes.map { c in
                func hms(_ t: Timestamp) -> String { String(t.rfc3339.dropFirst(11).prefix(12)) }
                return (c.change.isRaised ? "+" : "-") + c.change.key.device + "/" + c.change.key.kind.rawValue + "@"
                    + hms(c.change.at) + " (" + hms(c.detectedAt) + ")"
            }
        }
    }

    @Test func eventsAFewSecondsOutOfOrderAreEvaluatedInTsOrder() {
        var r = Replay()
        r.read("A", "2026-07-06T10:00:05Z", .strap(.closed))
        r.read("A", "2026-07-06T10:00:00Z", .strap(.opened))
        #expect(r.log.isEmpty)  // held back
        r.read("B", "2026-07-06T10:00:15Z")
        #expect(
            r.log == [
                "+A/strap_tamper@10:00:00.000 (10:00:15.000)", "-A/strap_tamper@10:00:05.000 (10:00:15.000)",
            ])
        #expect(r.sequencer.counts.late == 0)
        #expect(r.sequencer.counts.evaluated == 2)
    }

    @Test func anEventMoreThanTenSecondsOlderThanItsDevicesLatestReadIsLate() {
        var r = Replay()
        r.read("A", "2026-07-06T10:00:20Z")
        r.read("A", "2026-07-06T10:00:10Z", .strap(.opened))  // exactly 10 s older: not late
        r.read("A", "2026-07-06T10:00:09.999Z", .case(.opened))  // more than 10 s older: late
        r.read("B", "2026-07-06T10:00:05Z")  // another device's clock is its own
        r.finish()
        #expect(r.sequencer.counts.late == 1)
        #expect(r.sequencer.counts.evaluated == 3)
        #expect(r.log == ["+A/strap_tamper@10:00:10.000 (10:00:20.000)"])
    }

    @Test func anEventOlderThanItsDevicesLatestEvaluatedEventIsLate() {
        var r = Replay()
        r.read("A", "2026-07-06T10:00:00Z", .strap(.opened))
        r.read("B", "2026-07-06T10:00:30Z")  // the watermark passes 10:00:00: A's event is evaluated
        r.read("A", "2026-07-06T09:59:55Z", .strap(.closed))  // only 5 s older than A's latest read
        r.finish()
        #expect(r.sequencer.counts.late == 1)
        #expect(r.log == ["+A/strap_tamper@10:00:00.000 (10:00:30.000)"])
    }

    @Test func timersRunOnTheWatermark() {
        var r = Replay(comms: 600)
        r.read("A", "2026-07-06T10:00:00Z")
        r.read("B", "2026-07-06T10:10:10Z")  // watermark 10:10:00: due exactly, not past
        #expect(r.log.isEmpty)
        r.read("B", "2026-07-06T10:10:10.001Z")
        #expect(r.log == ["+A/communication_loss@10:10:00.000 (10:10:10.001)"])
        // A's next event clears it at its own ts.
        r.read("A", "2026-07-06T10:10:15Z")
        r.read("B", "2026-07-06T10:10:25Z")
        #expect(r.log.last == "-A/communication_loss@10:10:15.000 (10:10:25.000)")
    }

    @Test func anEventInsideTheHoldPreventsTheTimer() {
        var r = Replay(comms: 600)
        r.read("A", "2026-07-06T10:00:00Z")
        r.read("B", "2026-07-06T10:10:05Z")
        r.read("A", "2026-07-06T10:09:58Z")  // read after B, but within the hold: evaluated first
        r.read("B", "2026-07-06T10:10:20Z")
        r.finish()
        #expect(r.log.isEmpty)
    }

    @Test func atTheEndTimersDueBeforeTheHighestTsFireAndLaterOnesDoNot() {
        var r = Replay(comms: 600)
        r.read("A", "2026-07-06T10:00:00Z")
        r.read("B", "2026-07-06T10:05:00Z")
        r.read("B", "2026-07-06T10:10:05Z")
        r.finish()
        // A is due at 10:10:00 (< 10:10:05): fires; B is due at 10:20:05: does not.
        #expect(r.log == ["+A/communication_loss@10:10:00.000 (10:10:05.000)"])
        #expect(r.sequencer.heldCount == 0)
        #expect(r.sequencer.clock == F.t("2026-07-06T10:10:05Z"))
    }

    @Test func heldEventsAreFlushedAtTheEnd() {
        var r = Replay()
        r.read("A", "2026-07-06T10:00:00Z", .strap(.opened))
        r.read("A", "2026-07-06T10:00:03Z", .strap(.closed))
        #expect(r.sequencer.heldCount == 2)
        r.finish()
        #expect(
            r.log == [
                "+A/strap_tamper@10:00:00.000 (10:00:03.000)", "-A/strap_tamper@10:00:03.000 (10:00:03.000)",
            ])
    }

    @Test func eventsOutsideTheDossierPeriodAreCountedNotEvaluated() {
        var engine = RuleEngine()
        var boot: [BreachChange] = []
        engine.load([F.dossier(devices: ["A"], start: "2026-07-07")], at: .distantPast, into: &boot)
        var s = ReplaySequencer(engine: engine)
        var out: [TimedBreachChange] = []
        s.push(DeviceEvent(device: "A", seq: 1, ts: F.t("2026-07-06T10:00:00Z"), reading: .strap(.opened)), into: &out)
        s.push(DeviceEvent(device: "Z", seq: 1, ts: F.t("2026-07-06T10:00:00Z"), reading: .heartbeat), into: &out)
        s.finish(into: &out)
        #expect(s.counts.notEvaluated == 2)
        #expect(out.isEmpty)
    }

    @Test func ordersTiesByReadOrder() {
        var r = Replay()
        r.read("A", "2026-07-06T10:00:00Z", .strap(.opened))
        r.read("A", "2026-07-06T10:00:00Z", .strap(.closed))
        r.finish()
        #expect(
            r.log == [
                "+A/strap_tamper@10:00:00.000 (10:00:00.000)", "-A/strap_tamper@10:00:00.000 (10:00:00.000)",
            ])
    }
}
