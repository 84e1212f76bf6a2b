import Testing

@testable import SeinhuisCore

@Suite("Rules: the breach rules of PROTOCOL 4.1")
struct RulesEngineTests {
    typealias F = RulesFixture
    static let market = GeoPoint(lat: 51.02, lon: 4.02)
    static let elsewhere = GeoPoint(lat: 51.05, lon: 4.05)

    // MARK: zones

    @Test func exclusionZoneNeedsTwoConsecutiveQualifyingFixesAndClearsOnOneOutside() {
        var r = F.Run([F.dossier(zones: [F.square("Z-x", .exclusion, around: Self.market)])])
        r.fix("2026-07-06T10:00:00Z", Self.market)
        #expect(r.take() == [])
        r.fix("2026-07-06T10:01:00Z", Self.elsewhere)  // resets the count
        r.fix("2026-07-06T10:02:00Z", Self.market)
        #expect(r.take() == [])
        r.fix("2026-07-06T10:03:00Z", Self.market, acc: 150)  // not qualifying: neither counts nor resets
        r.fix("2026-07-06T10:04:00Z", Self.elsewhere, acc: 100.5)
        #expect(r.take() == [])
        r.fix("2026-07-06T10:05:00Z", Self.market, acc: 100)  // qualifying (acc <= 100)
        #expect(r.take() == ["+exclusion_zone_entry/Z-x@10:05:00"])
        r.fix("2026-07-06T10:06:00Z", Self.market)  // stays open: one breach, not doubled
        r.fix("2026-07-06T10:07:00Z", Self.elsewhere, acc: 500)
        #expect(r.take() == [])
        r.fix("2026-07-06T10:08:00Z", Self.elsewhere)
        #expect(r.take() == ["-exclusion_zone_entry/Z-x@10:08:00"])
        r.fix("2026-07-06T10:09:00Z", Self.market)
        r.fix("2026-07-06T10:10:00Z", Self.market)  // a new occurrence
        #expect(r.take() == ["+exclusion_zone_entry/Z-x@10:10:00"])
    }

    @Test func inclusionZoneExit() {
        var r = F.Run([F.dossier(zones: [F.square("Z-i", .inclusion, around: Self.market)])])
        r.fix("2026-07-06T10:00:00Z", Self.market)
        r.fix("2026-07-06T10:01:00Z", Self.elsewhere)
        r.send("2026-07-06T10:01:30Z", .heartbeat)
        r.fix("2026-07-06T10:02:00Z", Self.elsewhere)
        r.fix("2026-07-06T10:03:00Z", Self.market)
        #expect(r.take() == ["+inclusion_zone_exit/Z-i@10:02:00", "-inclusion_zone_exit/Z-i@10:03:00"])
    }

    @Test func eachZoneHasItsOwnBreach() {
        let a = F.square("Z-a", .exclusion, around: Self.market)
        let b = Zone(id: "Z-b", kind: .exclusion, shape: .circle(GeoCircle(center: Self.market, radiusMetres: 50)))
        var r = F.Run([F.dossier(zones: [a, b])])
        r.fix("2026-07-06T10:00:00Z", Self.market)
        r.fix("2026-07-06T10:01:00Z", Self.market)
        #expect(r.take() == ["+exclusion_zone_entry/Z-a@10:01:00", "+exclusion_zone_entry/Z-b@10:01:00"])
    }

    @Test func scheduledZoneRaisesAtItsStartWhenAlreadyInsideAndClearsAtItsEnd() {
        // Exclusion on Mondays 12:00-14:00 Brussels (10:00Z-12:00Z in July).
        let z = F.square("Z-s", .exclusion, around: Self.market, schedule: [F.window([.mon], "12:00", "14:00")])
        var r = F.Run([F.dossier(zones: [z])])
        r.fix("2026-07-06T09:00:00Z", Self.market)
        r.fix("2026-07-06T09:10:00Z", Self.market)
        #expect(r.take() == [])
        r.advance("2026-07-06T10:00:00Z")  // boundaries at `now` apply
        #expect(r.take() == ["+exclusion_zone_entry/Z-s@10:00:00"])
        r.advance("2026-07-06T13:00:00Z")
        #expect(r.take() == ["-exclusion_zone_entry/Z-s@12:00:00"])
        // Outside the schedule, fixes still count: two inside before the next start raise at the start.
        r.fix("2026-07-13T09:00:00Z", Self.elsewhere)
        r.fix("2026-07-13T09:58:00Z", Self.market)
        r.fix("2026-07-13T10:00:00Z", Self.market)  // an event exactly at the start: inside the period
        #expect(r.take() == ["+exclusion_zone_entry/Z-s@10:00:00"])
        r.fix("2026-07-13T12:00:00Z", Self.market)  // an event exactly at the end: outside (half-open)
        #expect(r.take() == ["-exclusion_zone_entry/Z-s@12:00:00"])
    }

    @Test func perDossierOverridesOfTheFalseAlarmLimits() {
        let z = F.square("Z-x", .exclusion, around: Self.market)
        var r = F.Run([
            F.dossier(zones: [z], rules: RuleOverrides(maxAccuracyMetres: 20, consecutiveFixes: 3))
        ])
        r.fix("2026-07-06T10:00:00Z", Self.market)
        r.fix("2026-07-06T10:01:00Z", Self.market, acc: 30)  // not qualifying under this dossier's limit
        r.fix("2026-07-06T10:02:00Z", Self.market)
        #expect(r.take() == [])
        r.fix("2026-07-06T10:03:00Z", Self.market)
        #expect(r.take() == ["+exclusion_zone_entry/Z-x@10:03:00"])
        // And the global config.
        var c = RuleConfig()
        c.consecutiveFixes = 1
        var one = F.Run([F.dossier(zones: [z])], config: c)
        one.fix("2026-07-06T10:00:00Z", Self.market)
        #expect(one.take() == ["+exclusion_zone_entry/Z-x@10:00:00"])
    }

    // MARK: curfew

    /// Curfew every day 21:00-07:00 Brussels (19:00Z-05:00Z in July).
    static let nightly = [F.window(F.everyDay, "21:00", "07:00")]

    @Test func curfewPresenceFalseDuringTheWindow() {
        var r = F.Run([F.dossier(curfew: Self.nightly)])
        r.send("2026-07-06T18:00:00Z", .presence(false))  // away before the window: no breach yet
        #expect(r.take() == [])
        r.advance("2026-07-06T19:00:00Z")
        #expect(r.take() == ["+curfew_absence@19:00:00"])  // raised at the period's start
        r.send("2026-07-06T19:30:00Z", .presence(true))
        #expect(r.take() == ["-curfew_absence@19:30:00"])
        r.send("2026-07-06T20:00:00Z", .presence(false))
        #expect(r.take() == ["+curfew_absence@20:00:00"])
        r.advance("2026-07-07T06:00:00Z")
        #expect(r.take() == ["-curfew_absence@05:00:00"])  // cleared at the period's end
    }

    @Test func curfewFixPairsAndOtherKindsBetween() {
        var r = F.Run([F.dossier(curfew: Self.nightly)])
        r.send("2026-07-06T19:10:00Z", .presence(true))
        r.fix("2026-07-06T20:00:00Z", F.away)
        r.send("2026-07-06T20:01:00Z", .heartbeat)
        r.send("2026-07-06T20:02:00Z", .battery(level: 0.9, charging: false))
        #expect(r.take() == [])
        r.fix("2026-07-06T20:03:00Z", F.away)  // the second of two consecutive qualifying fixes outside
        #expect(r.take() == ["+curfew_absence@20:03:00"])
        r.fix("2026-07-06T20:04:00Z", F.home, acc: 300)  // not qualifying
        #expect(r.take() == [])
        r.fix("2026-07-06T20:05:00Z", F.home)
        #expect(r.take() == ["-curfew_absence@20:05:00"])
        // A non-qualifying fix between two outside does not break the pair either.
        r.fix("2026-07-06T20:10:00Z", F.away)
        r.fix("2026-07-06T20:11:00Z", F.home, acc: 101)
        r.fix("2026-07-06T20:12:00Z", F.away)
        #expect(r.take() == ["+curfew_absence@20:12:00"])
        // Presence true is at-home evidence; the latest evidence wins.
        r.send("2026-07-06T20:13:00Z", .presence(true))
        #expect(r.take() == ["-curfew_absence@20:13:00"])
    }

    @Test func curfewRaisedAtThePeriodStartWhenTheLastTwoFixesWereOutside() {
        var r = F.Run([F.dossier(curfew: Self.nightly)])
        r.fix("2026-07-06T17:00:00Z", F.away)
        r.fix("2026-07-06T17:10:00Z", F.away)
        r.send("2026-07-06T17:20:00Z", .heartbeat)
        r.advance("2026-07-06T19:00:00.001Z")
        #expect(r.take() == ["+curfew_absence@19:00:00"])
    }

    @Test func curfewOnTheAutumnNightRunsElevenHours() {
        var r = F.Run([F.dossier(curfew: Self.nightly)])
        r.send("2026-10-24T18:00:00Z", .presence(false))
        r.advance("2026-10-25T12:00:00Z")
        // 21:00 CEST = 19:00Z; 07:00 CET = 06:00Z.
        #expect(r.take() == ["+curfew_absence@19:00:00", "-curfew_absence@06:00:00"])
    }

    @Test func curfewOnTheSpringNightRunsNineHours() {
        var r = F.Run([F.dossier(curfew: Self.nightly)])
        r.send("2026-03-28T18:00:00Z", .presence(false))
        r.advance("2026-03-29T12:00:00Z")
        // 21:00 CET = 20:00Z; 07:00 CEST = 05:00Z.
        #expect(r.take() == ["+curfew_absence@20:00:00", "-curfew_absence@05:00:00"])
    }

    @Test func touchingCurfewWindowsDoNotClearAtMidnight() {
        let split = [F.window(F.everyDay, "20:00", "24:00"), F.window(F.everyDay, "00:00", "06:00")]
        var r = F.Run([F.dossier(curfew: split)])
        r.send("2026-07-06T19:00:00Z", .presence(false))
        r.advance("2026-07-07T12:00:00Z")
        #expect(r.take() == ["+curfew_absence@19:00:00", "-curfew_absence@04:00:00"])
    }

    // MARK: state breaches

    @Test func tamperBreachesHoldWhileTheirStateHolds() {
        var r = F.Run([F.dossier()])
        r.send("2026-07-06T10:00:00Z", .strap(.opened))
        r.send("2026-07-06T10:01:00Z", .strap(.opened))  // repeated: changes nothing
        r.send("2026-07-06T10:02:00Z", .case(.opened))
        r.send("2026-07-06T10:03:00Z", .strap(.closed))
        r.send("2026-07-06T10:04:00Z", .case(.closed))
        r.send("2026-07-06T10:05:00Z", .case(.closed))
        #expect(
            r.take() == [
                "+strap_tamper@10:00:00", "+case_tamper@10:02:00", "-strap_tamper@10:03:00", "-case_tamper@10:04:00",
            ])
    }

    @Test func batteryLowAndDepletedAreIndependentWithRecoveryAbove020() {
        var r = F.Run([F.dossier()])
        r.send("2026-07-06T10:00:00Z", .battery(level: 0.16, charging: false))
        #expect(r.take() == [])
        r.send("2026-07-06T10:01:00Z", .battery(level: 0.15, charging: false))
        #expect(r.take() == ["+battery_low@10:01:00"])
        r.send("2026-07-06T10:02:00Z", .battery(level: 0.12, charging: false))
        r.send("2026-07-06T10:03:00Z", .battery(level: 0.04, charging: false))
        #expect(r.take() == ["+battery_depleted@10:03:00"])  // the first stays open
        r.send("2026-07-06T10:04:00Z", .battery(level: 0.18, charging: false))  // not above 0.20: both stay
        r.send("2026-07-06T10:05:00Z", .battery(level: 0.20, charging: false))
        #expect(r.take() == [])
        r.send("2026-07-06T10:06:00Z", .battery(level: 0.21, charging: false))
        #expect(r.take() == ["-battery_low@10:06:00", "-battery_depleted@10:06:00"])
        r.send("2026-07-06T10:07:00Z", .battery(level: 0.03, charging: true))  // charging: nothing
        #expect(r.take() == [])
        r.send("2026-07-06T10:08:00Z", .battery(level: 0.05, charging: false))
        #expect(r.take() == ["+battery_low@10:08:00", "+battery_depleted@10:08:00"])
        r.send("2026-07-06T10:09:00Z", .battery(level: 0.05, charging: true))
        #expect(r.take() == ["-battery_low@10:09:00", "-battery_depleted@10:09:00"])
    }

    @Test func gnssJammingAndPowerLoss() {
        var r = F.Run([F.dossier()])
        r.send("2026-07-06T10:00:00Z", .gnss(.jammed))
        r.send("2026-07-06T10:01:00Z", .gnss(.jammed))
        r.send("2026-07-06T10:02:00Z", .gnss(.lost))
        r.send("2026-07-06T10:03:00Z", .power(.lost))
        r.send("2026-07-06T10:04:00Z", .power(.restored))
        r.send("2026-07-06T10:05:00Z", .gnss(.ok))
        #expect(
            r.take() == [
                "+gnss_jamming@10:00:00", "-gnss_jamming@10:02:00", "+home_power_loss@10:03:00",
                "-home_power_loss@10:04:00",
            ])
    }

    // MARK: timers

    @Test func gnssLossAfter300SecondsFromTheFirstLost() {
        var r = F.Run([F.dossier(comms: 3600)])
        r.send("2026-07-06T10:00:00Z", .gnss(.lost))
        r.send("2026-07-06T10:03:00Z", .gnss(.lost))  // a repeated lost does not restart the count
        r.send("2026-07-06T10:05:00Z", .heartbeat)  // exactly 300 s: not more than 300 s yet
        #expect(r.take() == [])
        r.send("2026-07-06T10:05:00.001Z", .heartbeat)
        #expect(r.take() == ["+gnss_loss@10:05:00"])
        r.send("2026-07-06T10:06:00Z", .gnss(.jammed))
        #expect(r.take() == ["-gnss_loss@10:06:00", "+gnss_jamming@10:06:00"])
        // A lost run ended before 300 s raises nothing.
        r.send("2026-07-06T11:00:00Z", .gnss(.lost))
        r.send("2026-07-06T11:04:59Z", .gnss(.ok))
        r.advance("2026-07-06T12:00:00Z")
        #expect(r.take() == ["-gnss_jamming@11:00:00"])
    }

    @Test func gnssLossFiresOnTheClockWithoutFurtherEvents() {
        var r = F.Run([F.dossier(comms: 3600)])
        r.send("2026-07-06T10:00:00Z", .gnss(.lost))
        r.advance("2026-07-06T10:05:00Z")
        #expect(r.take() == [])
        #expect(r.engine.nextDeadline == F.t("2026-07-06T10:05:00.001Z"))
        r.advance("2026-07-06T10:05:00.001Z")
        #expect(r.take() == ["+gnss_loss@10:05:00"])
    }

    @Test func communicationLossAtLastEventPlusTimeoutClearedByTheNextEvent() {
        var r = F.Run([F.dossier(comms: 600)])
        r.advance("2026-07-06T12:00:00Z")  // a device that never sent an event is not timed
        #expect(r.take() == [])
        #expect(r.engine.nextDeadline == nil)
        r.send("2026-07-06T12:00:00Z", .heartbeat)
        r.send("2026-07-06T12:10:00Z", .heartbeat)  // exactly the timeout: the event comes first
        #expect(r.take() == [])
        r.advance("2026-07-06T12:20:00Z")
        #expect(r.take() == [])
        r.advance("2026-07-06T12:20:00.001Z")
        #expect(r.take() == ["+communication_loss@12:20:00"])
        r.advance("2026-07-06T13:00:00Z")
        #expect(r.take() == [])  // one breach, not one per check
        r.send("2026-07-06T13:30:00Z", .heartbeat)
        #expect(r.take() == ["-communication_loss@13:30:00"])
    }

    @Test func timersFireWhenTheDevicesNextEventIsLaterEvenWithoutAdvance() {
        var r = F.Run([F.dossier(comms: 600)])
        r.engine.process(
            DeviceEvent(device: "TAG-1", seq: 1, ts: F.t("2026-07-06T12:00:00Z"), reading: .heartbeat),
            into: &r.changes)
        r.engine.process(
            DeviceEvent(device: "TAG-1", seq: 2, ts: F.t("2026-07-06T13:00:00Z"), reading: .heartbeat),
            into: &r.changes)
        #expect(r.take() == ["+communication_loss@12:10:00", "-communication_loss@13:00:00"])
    }

    @Test func eachDeviceHasItsOwnState() {
        var r = F.Run([F.dossier(devices: ["TAG-1", "TAG-2"], comms: 600)])
        r.send("2026-07-06T12:00:00Z", .heartbeat, device: "TAG-1")
        r.send("2026-07-06T12:05:00Z", .strap(.opened), device: "TAG-2")
        r.advance("2026-07-06T12:12:00Z")
        #expect(r.changes.map(\.key.device) == ["TAG-2", "TAG-1"])
        #expect(r.take() == ["+strap_tamper@12:05:00", "+communication_loss@12:10:00"])
    }

    @Test func theHeapDoesNotGrowPerEvent() {
        var r = F.Run([F.dossier(devices: ["TAG-1", "TAG-2"], curfew: Self.nightly, comms: 600)])
        for i in 0..<5000 {
            let ts = Timestamp(milliseconds: F.t("2026-07-06T08:00:00Z").milliseconds + Int64(i) * 1000)
            let e = DeviceEvent(device: i % 2 == 0 ? "TAG-1" : "TAG-2", seq: UInt64(i), ts: ts, reading: .heartbeat)
            r.engine.advance(to: ts, into: &r.changes)
            r.engine.process(e, into: &r.changes)
        }
        #expect(r.engine.heap.count <= 4)
        #expect(r.changes.isEmpty)
    }

}
