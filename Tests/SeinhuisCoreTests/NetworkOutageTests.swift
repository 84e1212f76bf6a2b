import Testing

@testable import SeinhuisCore

/// PROTOCOL 4.5: `communication_loss` of at least 5 devices of one network within 300 s makes one incident.
@Suite("network outages (PROTOCOL 4.5)")
struct NetworkOutageTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)
    let second: Int64 = 1000
    let minute: Int64 = 60_000

    /// Devices T-1…T-n on `carrier-a`, T-9 with no network; D-R (T-1) is Radex, the others are not.
    func book(devices n: Int = 8) -> AlertBook {
        var b = AlertBook(policy: .v1, nextNumber: 1)
        for i in 1...n { b.radex["D-\(i)"] = false }
        b.radex["D-1"] = true
        b.radex["D-9"] = false
        b.outages.networkOf = Dictionary(uniqueKeysWithValues: (1...n).map { ("T-\($0)", "carrier-a") })
        return b
    }

    func key(_ i: Int) -> BreachKey { BreachKey(dossier: "D-\(i)", device: "T-\(i)", kind: .communication_loss) }

    func lose(_ b: inout AlertBook, _ i: Int, at: Int64) -> [Alert] {
        var out: [Alert] = []
        b.apply(.raised(key(i), at: t0 + at), detectedAt: t0 + at, into: &out)
        return out
    }

    func recover(_ b: inout AlertBook, _ i: Int, at: Int64) -> [Alert] {
        var out: [Alert] = []
        b.apply(.cleared(key(i), at: t0 + at), detectedAt: t0 + at, into: &out)
        return out
    }

    @Test func theFifthDeviceWithin300SecondsRaisesOneIncidentForVcetAndLinksTheFirstFive() throws {
        var b = book()
        for i in 1...4 { #expect(lose(&b, i, at: Int64(i - 1) * 60 * second).count == 1) }
        let out = lose(&b, 5, at: 300 * second)
        let incident = try #require(out.first { $0.kind == .incident(.network_outage) })
        #expect(incident.dossier == "" && incident.device == nil && incident.severity == .high)
        #expect(incident.queues == [.vcet] && incident.network == "carrier-a")
        #expect(incident.devices == ["T-1", "T-2", "T-3", "T-4", "T-5"])
        #expect(incident.eventTs == t0 + 300 * second)
        // The fifth's own alert first, carrying the incident; then the incident; then the first four republished.
        #expect(out.map(\.device) == ["T-5", nil, "T-1", "T-2", "T-3", "T-4"])
        #expect(out.filter { $0.device != nil }.allSatisfy { $0.incident == incident.id })
        #expect(incident.json.contains(#""dossier":null"#))
        #expect(incident.json.contains(#""network":"carrier-a","devices":["T-1","T-2","T-3","T-4","T-5"]"#))
    }

    @Test func fiveDevicesSpreadOverMoreThan300SecondsAreNoIncident() {
        var b = book()
        for i in 1...5 { #expect(lose(&b, i, at: Int64(i - 1) * 75_001).count == 1) }
        // 0 … 300.004 s: one millisecond too wide. A sixth at 301 s makes T-2…T-6 a window.
        let out = lose(&b, 6, at: 301 * second)
        #expect(out.count == 1 + 1 + 4)
        #expect(out[1].devices == ["T-2", "T-3", "T-4", "T-5", "T-6"])
        #expect(out.first { $0.device == "T-1" } == nil)
    }

    @Test func devicesWithoutANetworkAreNeverGrouped() {
        var b = book(devices: 4)
        for i in 1...4 { _ = lose(&b, i, at: 0) }
        var out: [Alert] = []
        b.apply(
            .raised(BreachKey(dossier: "D-9", device: "T-9", kind: .communication_loss), at: t0), detectedAt: t0,
            into: &out)
        #expect(out.count == 1 && out[0].incident == nil)
    }

    @Test func aRadexMemberIsRoutedAndEscalatedAsAlwaysWhileNonRadexMembersAreNot() throws {
        var b = book()
        for i in 2...6 { _ = lose(&b, i, at: 0) }  // an incident of five non-Radex devices
        let radex = try #require(lose(&b, 1, at: 10 * second).first)  // joins it
        #expect(radex.incident != nil && radex.radex)
        #expect(radex.queues == [.vcet, .coordinator, .cic, .police])
        let escalated = b.escalate(dueBy: t0 + 60 * minute)
        // Only the Radex member escalates (every 5 minutes, at most 3 times); the non-Radex ones stay with vcet.
        #expect(escalated.map(\.device) == ["T-1", "T-1", "T-1"])
        #expect(escalated.first?.escalation == 1 && escalated.first?.escalatedAt == t0 + 10 * second + 5 * minute)
    }

    @Test func aNonRadexDeviceLostOutsideAnIncidentEscalatesAsAlways() {
        var b = book()
        _ = lose(&b, 2, at: 0)
        #expect(b.escalate(dueBy: t0 + 30 * minute).map(\.device) == ["T-2"])
    }

    @Test func aNonRadexMemberRaisedBeforeTheIncidentStopsEscalating() {
        var b = book()
        for i in 2...5 { _ = lose(&b, i, at: 0) }
        _ = lose(&b, 6, at: minute)  // the fifth: the first four become members
        #expect(b.escalate(dueBy: t0 + 2 * 60 * minute).isEmpty)
    }

    @Test func joiningAndRecoveringRepublishTheIncidentWhichClearsUnderFiveDevices() throws {
        var b = book()
        var incident: Alert?
        for i in 2...6 { incident = lose(&b, i, at: Int64(i) * second).first { $0.network != nil } ?? incident }
        let id = try #require(incident?.id)
        let joined = lose(&b, 7, at: 10 * minute)  // long after the window: still joins the open incident
        #expect(joined.map(\.id).contains(id))
        #expect(joined.first?.incident == id)
        #expect(joined.last?.devices == ["T-2", "T-3", "T-4", "T-5", "T-6", "T-7"])
        let r1 = recover(&b, 3, at: 11 * minute)
        #expect(r1.count == 2 && r1[1].id == id && r1[1].devices == ["T-2", "T-4", "T-5", "T-6", "T-7"])
        #expect(r1[1].clearedAt == nil)
        let under = recover(&b, 4, at: 13 * minute + 7)  // 4 left: under five
        #expect(under[1].id == id && under[1].clearedAt == t0 + 13 * minute + 7)
        #expect(under[1].devices == ["T-2", "T-5", "T-6", "T-7"])
        // A device lost now is no member of the cleared incident.
        #expect(lose(&b, 8, at: 14 * minute).first?.incident == nil)
    }

    @Test func startUpRebuildsTheIncidentFromTheStoredAlerts() throws {
        var b = book()
        var stored: [String: Alert] = [:]
        for i in 2...7 { for a in lose(&b, i, at: Int64(i) * second) { stored[a.id] = a } }
        for a in recover(&b, 7, at: minute) { stored[a.id] = a }
        // A new book (a restart): the open breach alerts adopted, then the incidents.
        var fresh = book()
        fresh.outages.networkOf = b.outages.networkOf
        for a in stored.values.sorted(by: { $0.id < $1.id }) where a.device != nil {
            fresh.adopt(a, key: a.clearedAt == nil ? a.breachKey : nil)
        }
        let incidents = stored.values.filter { $0.network != nil }
        #expect(fresh.adoptIncidents(incidents, recoveredAt: [:], at: t0 + 2 * minute).isEmpty)
        // It carries on as the first book would: a recovery republishes it, three more clear it.
        let r = recover(&fresh, 2, at: 3 * minute)
        #expect(r.last?.devices == ["T-3", "T-4", "T-5", "T-6"] && r.last?.clearedAt == t0 + 3 * minute)
        // And a restart that finds members recovered while it was down clears it at the latest recovery.
        var third = book()
        for a in stored.values where a.device != nil && a.clearedAt == nil && a.device != "T-3" {
            third.adopt(a, key: a.breachKey)
        }
        let out = third.adoptIncidents(incidents, recoveredAt: ["T-3": t0 + 90 * second], at: t0 + 2 * minute)
        #expect(out.count == 1 && out[0].clearedAt == t0 + 90 * second && out[0].devices == ["T-2", "T-4", "T-5", "T-6"])
    }
}
