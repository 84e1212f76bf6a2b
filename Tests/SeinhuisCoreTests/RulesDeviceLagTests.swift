import Testing

@testable import SeinhuisCore

/// `RuleConfig.timersFollowDeviceLag` (docs/RULES.md, "Timers in serve: per-device lag"): in `serve`, a device's
/// timers and boundaries run on the pipeline clock less its reporting lag, so a store-and-forward backlog (PROTOCOL
/// 2.1) is judged in its own event time.
@Suite("Rules: timers in serve follow each device's lag")
struct RulesDeviceLagTests {
    typealias F = RulesFixture

    static var serve: RuleConfig {
        var c = RuleConfig()
        c.timersFollowDeviceLag = true
        return c
    }

    static func ms(_ s: String) -> Int64 { F.t(s).milliseconds }

    /// `n` timestamps `step` seconds apart, the last at `last`.
    static func backlog(_ n: Int, every step: Int64, endingAt last: String) -> [Timestamp] {
        (0..<n).map { i in Timestamp(milliseconds: ms(last) - Int64(n - 1 - i) * step * 1000) }
    }

    // MARK: (1) a backlog of stored events

    @Test func aBacklogOfHeartbeatsRaisesNoCommunicationLossAndTimesOutFromItsArrival() {
        let now = F.t("2026-07-06T12:00:00Z")
        let times = Self.backlog(40, every: 30, endingAt: "2026-07-06T11:00:00Z")
        var r = F.Run([F.dossier(comms: 600)], config: Self.serve)
        r.engine.advance(to: now, into: &r.changes)
        // serve's loop: advance to the receive clock, then the batch's events (8 a batch).
        for (i, ts) in times.enumerated() {
            if i % 8 == 0 { r.engine.advance(to: now, into: &r.changes) }
            #expect(r.receive(ts, .heartbeat) == .evaluated)
        }
        r.engine.advance(to: now, into: &r.changes)
        #expect(r.take() == [])
        #expect(r.engine.heap.count <= 2)
        // Silent from now on: the device's clock is an hour behind the receive clock.
        r.engine.advance(to: now + 600_000, into: &r.changes)
        #expect(r.take() == [])  // not more than the timeout yet
        #expect(r.engine.nextDeadline == now + 600_001)
        r.engine.advance(to: now + 601_000, into: &r.changes)
        #expect(r.changes == [.raised(Self.key(.communication_loss), at: F.t("2026-07-06T11:10:00Z"))])
        r.changes.removeAll()
        r.engine.advance(to: now + 86_400_000, into: &r.changes)
        #expect(r.take() == [])  // one breach
    }

    @Test func aBacklogAcrossACurfewStartIsJudgedByItsOwnEvidence() {
        // Curfew 21:00-07:00 Brussels starts at 19:00Z. The stored events: away at 18:50:30, heartbeats, home at
        // 19:10; uploaded an hour after the last.
        let now = F.t("2026-07-06T20:10:00Z")
        let times = Self.backlog(40, every: 30, endingAt: "2026-07-06T19:10:00Z")
        var r = F.Run([F.dossier(curfew: RulesEngineTests.nightly, comms: 600)], config: Self.serve)
        r.engine.advance(to: now, into: &r.changes)
        for (i, ts) in times.enumerated() {
            if i % 8 == 0 { r.engine.advance(to: now, into: &r.changes) }
            let reading: Reading = i == 0 ? .presence(false) : i == times.count - 1 ? .presence(true) : .heartbeat
            #expect(r.receive(ts, reading) == .evaluated)
        }
        r.engine.advance(to: now, into: &r.changes)
        #expect(r.take() == ["+curfew_absence@19:00:00", "-curfew_absence@19:10:00"])
        r.engine.advance(to: now + 601_000, into: &r.changes)
        #expect(r.take() == ["+communication_loss@19:20:00"])
    }

    @Test func theHeapDoesNotGrowWithABacklog() {
        let now = F.t("2026-07-10T12:00:00Z")
        let times = Self.backlog(5000, every: 30, endingAt: "2026-07-10T11:00:00Z")  // about 42 h, two curfews
        var r = F.Run(
            [F.dossier(devices: ["TAG-1", "TAG-2"], curfew: RulesEngineTests.nightly, comms: 600)], config: Self.serve)
        for (i, ts) in times.enumerated() {
            if i % 8 == 0 { r.engine.advance(to: now, into: &r.changes) }
            r.receive(ts, .heartbeat, device: i % 2 == 0 ? "TAG-1" : "TAG-2")
        }
        #expect(r.engine.heap.count <= 4)
        #expect(r.changes.isEmpty)
    }

    @Test func aBacklogSpreadOverBatchesCostsAHeapEntryPerBatchNotPerEvent() {
        let start = F.t("2026-07-10T12:00:00Z")
        let times = Self.backlog(5000, every: 30, endingAt: "2026-07-10T11:00:00Z")
        var r = F.Run([F.dossier(curfew: RulesEngineTests.nightly, comms: 600)], config: Self.serve)
        var batches = 0
        var now = start
        for (i, ts) in times.enumerated() {
            if i % 100 == 0 {
                now = start + Int64(i)  // the receive clock moves between batches
                r.engine.advance(to: now, into: &r.changes)
                batches += 1
            }
            r.receive(ts, .heartbeat)
        }
        #expect(r.engine.heap.count <= 2 * batches)
        #expect(r.changes.isEmpty)
        r.engine.advance(to: now + 601_000, into: &r.changes)
        #expect(r.take() == ["+communication_loss@11:10:00"])
        // The curfew starts at 19:00 on the device's clock, 20:00 on the receive clock; then only the live entry
        // is left.
        r.engine.advance(to: F.t("2026-07-10T20:00:05Z"), into: &r.changes)
        #expect(r.take() == [])
        #expect(r.engine.heap.count == 1)
    }

    // MARK: (2) a live device

    @Test func aLiveDeviceThatGoesSilentTimesOutAsTheContractSays() {
        var r = F.Run([F.dossier(comms: 600)], config: Self.serve)
        r.send("2026-07-06T12:00:00Z", .heartbeat)  // ts = the receive clock
        r.send("2026-07-06T12:05:00Z", .heartbeat)
        r.advance("2026-07-06T12:15:00Z")
        #expect(r.take() == [])
        #expect(r.engine.nextDeadline == F.t("2026-07-06T12:15:00.001Z"))
        r.advance("2026-07-06T12:15:00.001Z")
        #expect(r.take() == ["+communication_loss@12:15:00"])
        r.send("2026-07-06T12:30:00Z", .heartbeat)
        #expect(r.take() == ["-communication_loss@12:30:00"])
    }

    @Test func liveDevicesGetTheSameBreachesWithOrWithoutTheSetting() {
        // Events arrive at their ts (lag 0): boundaries, timers and events exactly as on the plain pipeline clock.
        func run(_ config: RuleConfig) -> [String] {
            var r = F.Run(
                [F.dossier(devices: ["TAG-1", "TAG-2"], curfew: RulesEngineTests.nightly, comms: 600)], config: config)
            r.send("2026-07-06T18:50:00Z", .presence(false))
            r.send("2026-07-06T18:55:00Z", .gnss(.lost), device: "TAG-2")
            r.send("2026-07-06T19:00:00Z", .presence(true), device: "TAG-2")
            r.advance("2026-07-06T19:30:00Z")
            r.send("2026-07-06T19:40:00Z", .presence(true))
            r.send("2026-07-06T19:41:00Z", .gnss(.ok), device: "TAG-2")
            r.advance("2026-07-07T06:00:00Z")
            return r.changes.map(\.description)
        }
        let plain = run(RuleConfig())
        #expect(plain.count == 10)
        #expect(run(Self.serve) == plain)
    }

    // MARK: (3) gnss in a backlog

    @Test func aBacklogWithGnssLostThenOkRaisesNoGnssLoss() {
        let now = F.t("2026-07-06T12:00:00Z")
        var r = F.Run([F.dossier()], config: Self.serve)
        r.engine.advance(to: now, into: &r.changes)
        r.receive(F.t("2026-07-06T10:00:00Z"), .heartbeat)
        r.receive(F.t("2026-07-06T10:00:30Z"), .gnss(.lost))
        r.receive(F.t("2026-07-06T10:01:30Z"), .gnss(.ok))
        r.receive(F.t("2026-07-06T10:02:00Z"), .heartbeat)
        r.engine.advance(to: now + 3_600_000, into: &r.changes)
        #expect(r.take() == [])
        // A backlog that ends in `lost`: gnss_loss once the device's own clock (the receive clock less the lag of
        // its latest event, 12:01 received at 14:00) is 300 s past the first lost.
        let later = F.t("2026-07-06T14:00:00Z")
        r.engine.advance(to: later, into: &r.changes)
        r.receive(F.t("2026-07-06T12:00:00Z"), .gnss(.lost))
        r.receive(F.t("2026-07-06T12:01:00Z"), .heartbeat)
        r.engine.advance(to: later + 240_000, into: &r.changes)
        #expect(r.take() == [])
        r.engine.advance(to: later + 240_001, into: &r.changes)
        #expect(r.take() == ["+gnss_loss@12:05:00"])
    }

    // MARK: rewinds and the lazy heap

    @Test func anUploadThatRewindsTheDeviceIsNotWalkedPastItsOwnClock() {
        // The same story as `storedAndForwardedEventsAreJudgedInEventTime`, with the setting on.
        var r = F.Run([F.dossier(curfew: RulesEngineTests.nightly, comms: 3600)], config: Self.serve)
        r.send("2026-07-06T18:00:00Z", .heartbeat)
        r.advance("2026-07-06T20:00:00Z")
        #expect(r.take() == ["+communication_loss@19:00:00"])
        #expect(r.send("2026-07-06T18:30:00Z", .presence(false)) == .evaluated)  // received at 20:00: lag 1.5 h
        #expect(r.take() == ["-communication_loss@19:00:00"])
        // The curfew start (19:00) waits for the device's clock: the receive clock at 20:30.
        r.advance("2026-07-06T20:29:59.999Z")
        #expect(r.take() == [])
        r.advance("2026-07-06T20:30:00Z")
        #expect(r.take() == ["+curfew_absence@19:00:00"])
        // Its next stored event carries its clock to 19:45: the timer due at 19:30 fires first.
        r.send("2026-07-06T19:45:00Z", .presence(true))
        #expect(
            r.take() == ["+communication_loss@19:30:00", "-curfew_absence@19:45:00", "-communication_loss@19:45:00"])
    }

    @Test func aHeapEntryPushedBeforeTheLagGrewIsPushedAgainLater() {
        var r = F.Run([F.dossier(comms: 600)], config: Self.serve)
        r.send("2026-07-06T12:00:00Z", .heartbeat)  // lag 0: the heap holds 12:10
        r.receive(F.t("2026-07-06T12:01:00Z"), .heartbeat, at: F.t("2026-07-06T12:09:00Z"))  // lag 8 min
        r.advance("2026-07-06T12:10:00.001Z")  // the old entry: nothing is due on the device's clock (12:02)
        #expect(r.take() == [])
        #expect(r.engine.nextDeadline == F.t("2026-07-06T12:19:00.001Z"))
        r.advance("2026-07-06T12:19:00Z")
        #expect(r.take() == [])
        r.advance("2026-07-06T12:19:00.001Z")
        #expect(r.take() == ["+communication_loss@12:11:00"])
        // Back in real time: the lag shrinks and the deadline moves earlier again. The engine looks at the device
        // again just after the clock (a catching-up device is rescheduled once a batch, not once an event).
        r.send("2026-07-06T12:30:00Z", .heartbeat)
        #expect(r.take() == ["-communication_loss@12:30:00"])
        #expect(r.engine.nextDeadline == F.t("2026-07-06T12:30:00.001Z"))
        r.advance("2026-07-06T12:30:00.001Z")
        #expect(r.engine.nextDeadline == F.t("2026-07-06T12:40:00.001Z"))
        r.advance("2026-07-06T12:40:00.001Z")
        #expect(r.take() == ["+communication_loss@12:40:00"])
    }

    // MARK: (4) replay keeps timers on the watermark

    @Test func theSettingIsOffByDefault() {
        #expect(!RuleConfig().timersFollowDeviceLag)
        #expect(!ReplaySequencer(engine: RuleEngine()).engine.config.timersFollowDeviceLag)
    }

    static func key(_ kind: BreachKind) -> BreachKey { BreachKey(dossier: "D-1", device: "TAG-1", kind: kind) }
}

extension RulesFixture.Run {
    /// `serve`'s order for an event received when the pipeline clock is `now` (nil: leave the clock where it is):
    /// advance, then process.
    @discardableResult
    mutating func receive(
        _ ts: Timestamp, _ reading: Reading, at now: Timestamp? = nil, device: String = "TAG-1"
    ) -> EventDisposition {
        seq += 1
        if let now { engine.advance(to: now, into: &changes) }
        return engine.process(DeviceEvent(device: device, seq: seq, ts: ts, reading: reading), into: &changes)
    }
}
