import SeinhuisCore
@testable import SeinhuisStore
import Testing

/// The store's latest qualifying fix per device (`device_fix`): newest by event time, not by arrival.
@Suite("store: latest qualifying fix per device")
struct DeviceFixStoreTests {
    @Test func theNewestQualifyingFixWinsWhateverTheOrder() throws {
        let store = try Store(path: temporaryDatabase())
        let a = try store.deviceID("TAG-A"), b = try store.deviceID("TAG-B")
        func ev(_ seq: UInt64, _ t: Int64, _ lat: Double, _ acc: Double) -> DeviceEvent {
            DeviceEvent(device: "", seq: seq, ts: Timestamp(milliseconds: t), reading: .position(lat: lat, lon: 3.7, acc: acc))
        }
        var block = JournalBlockBuilder()
        block.append(deviceID: a, ev(1, 2000, 51.2, 10))
        block.append(deviceID: a, ev(2, 1000, 51.1, 10))  // older, arrives later
        block.append(deviceID: a, ev(3, 3000, 51.3, 150))  // newest, not qualifying
        block.append(deviceID: b, ev(1, 500, 50.5, 100))  // exactly the limit: qualifies
        try store.transaction { try store.appendJournal(block, receivedAt: Timestamp(milliseconds: 4000)) }
        var fixes = try store.latestFixes(devices: ["TAG-A", "TAG-B", "TAG-C"])
        #expect(fixes["TAG-A"] == LatestFix(ts: 2000, lat: 51.2, lon: 3.7, acc: 10))
        #expect(fixes["TAG-B"]?.lat == 50.5 && fixes["TAG-C"] == nil)
        // A later block with an older fix changes nothing; a newer one replaces it.
        block.reset()
        block.append(deviceID: a, ev(4, 1500, 51.15, 5))
        block.append(deviceID: b, ev(2, 600, 50.6, 5))
        try store.transaction { try store.appendJournal(block, receivedAt: Timestamp(milliseconds: 5000)) }
        fixes = try store.latestFixes(devices: ["TAG-A", "TAG-B"])
        #expect(fixes["TAG-A"]?.ts == 2000 && fixes["TAG-B"]?.ts == 600)
        // The migration fills the table from the journal as it stands.
        try store.db.execute("DELETE FROM device_fix")
        try store.fillDeviceFixes()
        #expect(try store.latestFixes(devices: ["TAG-A", "TAG-B"]) == fixes)
        #expect(try store.latestFixes(devices: []).isEmpty)
    }
}

extension DeviceFixStoreTests {
    /// serve's setting: fixes wait for the interval (one row per device per second under load), and a loop turn
    /// writes them when no block comes.
    @Test func fixesAreWrittenAtMostOnceAnInterval() throws {
        let store = try Store(path: temporaryDatabase())
        store.fixWriteIntervalMs = 1000
        let a = try store.deviceID("TAG-A")
        func block(_ t: Int64) -> JournalBlockBuilder {
            var b = JournalBlockBuilder()
            b.append(
                deviceID: a,
                DeviceEvent(device: "", seq: UInt64(t), ts: Timestamp(milliseconds: t), reading: .position(lat: 51, lon: 3.7, acc: 5)))
            return b
        }
        try store.transaction { try store.appendJournal(block(10_000), receivedAt: Timestamp(milliseconds: 10_000)) }
        #expect(try store.latestFixes(devices: ["TAG-A"])["TAG-A"]?.ts == 10_000)  // the first is due at once
        try store.transaction { try store.appendJournal(block(10_400), receivedAt: Timestamp(milliseconds: 10_400)) }
        #expect(try store.latestFixes(devices: ["TAG-A"])["TAG-A"]?.ts == 10_000)  // pending
        try store.writeLatestFixesIfDue(at: Timestamp(milliseconds: 10_900))
        #expect(try store.latestFixes(devices: ["TAG-A"])["TAG-A"]?.ts == 10_000)  // not yet due
        try store.writeLatestFixesIfDue(at: Timestamp(milliseconds: 11_000))
        #expect(try store.latestFixes(devices: ["TAG-A"])["TAG-A"]?.ts == 10_400)
    }
}
