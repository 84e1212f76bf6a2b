import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

func temporaryDatabase(_ name: String = #function) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("test.sqlite").path
}

@Suite("Store: journal, quarantine, alerts, audit")
struct StoreTests {
    let ts = Timestamp(milliseconds: 1_790_000_000_000)

    @Test func journalSurvivesReopenAndIsQueryablePerDeviceAndTime() throws {
        let path = temporaryDatabase()
        func reading(_ i: Int) -> Reading {
            switch i % 3 {
            case 0: return .position(lat: 51.0 + Double(i) * 1e-7, lon: 3.7, acc: 8.5)
            case 1: return .battery(level: 0.5, charging: i % 2 == 0)
            default: return .strap(.opened)
            }
        }
        let start = ts
        let events: [DeviceEvent] = (0..<1000).map { (i: Int) -> DeviceEvent in
            DeviceEvent(
                device: i % 2 == 0 ? "TAG-A" : "TAG-B", seq: UInt64(i / 2), ts: start + Int64(i) * 1000,
                reading: reading(i))
        }
        do {
            let store = try Store(path: path)
            var block = JournalBlockBuilder()
            try store.transaction {
                for e in events { block.append(deviceID: try store.deviceID(e.device), e) }
                try store.appendJournal(block, receivedAt: ts)
            }
        }
        let reopened = try Store(path: path)
        #expect(try reopened.journalCount() == 1000)
        var all: [DeviceEvent] = []
        try reopened.forEachJournalEvent { _, e in all.append(e) }
        #expect(all == events)
        let b = try reopened.journalEvents(device: "TAG-B", from: ts + 100_000, to: ts + 200_000)
        let from = ts + 100_000, to = ts + 200_000
        let wanted = events.filter { (e: DeviceEvent) -> Bool in e.device == "TAG-B" && e.ts >= from && e.ts < to }
        #expect(b == wanted)
        #expect(b.count == 50)
    }

    /// Stored blocks must stay readable: the bytes of the format (docs/ARCHITECTURE.md, "The journal") are fixed.
    @Test func journalBlockBytesAreTheDocumentedFormat() throws {
        var block = JournalBlockBuilder()
        let t0 = Timestamp(milliseconds: 1_783_000_000_000)
        block.append(
            deviceID: 300,
            DeviceEvent(device: "A", seq: 1, ts: t0, reading: .position(lat: 51.05, lon: 3.72, acc: 12.5)))
        block.append(
            deviceID: 7,
            DeviceEvent(device: "B", seq: 2, ts: t0 - 1500, reading: .battery(level: 0.25, charging: true)))
        let hex = block.data.map { String(format: "%02x", $0) }.joined()
        // device 300, seq 1, ts absolute (zig-zag varint), kind 1, three little-endian doubles; then device 7,
        // seq 2, ts as -1500 from the first, kind 5, a double and the charging byte.
        #expect(
            hex
                == "ac02018098a7b1e467016666666666864940c3f5285c8fc20d4000000000000029400702b71705000000000000d03f01"
        )
        var decoded: [(Int64, DeviceEvent)] = []
        block.data.withUnsafeBytes { raw in
            var reader = JournalBlockReader(raw)
            while let (id, e) = reader.next(deviceName: { $0 == 300 ? "A" : "B" }) { decoded.append((id, e)) }
        }
        #expect(decoded.map(\.0) == [300, 7])
        #expect(decoded.map(\.1.ts) == [t0, t0 - 1500])
        #expect(
            decoded.map(\.1.reading) == [
                .position(lat: 51.05, lon: 3.72, acc: 12.5), .battery(level: 0.25, charging: true),
            ])
    }

    @Test func quarantineIsBoundedAndKeepsReasons() throws {
        let store = try Store(path: temporaryDatabase())
        store.quarantineLimit = 300
        let frame = Array("not json".utf8)
        try store.transaction {
            for _ in 0..<1000 {
                try frame.withUnsafeBytes {
                    try store.quarantine(
                        Rejection(.notAnObject, "an event is a JSON object"), frame: $0, source: "pull", at: ts)
                }
            }
        }
        let kept = try store.db.scalarInt("SELECT COUNT(*) FROM quarantine") ?? 0
        #expect(kept <= 300 + 256)
        #expect(kept >= 300)
        let latest = try store.quarantined(limit: 1)
        #expect(latest.first?.reason == "not_an_object")
        #expect(latest.first?.frame == frame)
    }

    @Test func alertsAreSavedUpdatedAndFilteredByQueue() throws {
        let store = try Store(path: temporaryDatabase())
        #expect(try store.nextAlertNumber() == 1)
        var a = Alert(
            id: Alert.id(forNumber: 1), dossier: "D-1", device: "TAG-1", kind: .breach(.strap_tamper),
            severity: .critical,
            radex: true, queues: [.vcet, .coordinator, .cic, .police], zone: nil, eventTs: ts, detectedAt: ts + 4,
            policy: "v1")
        try store.transaction { try store.save(&a, at: ts) }
        #expect(a.rev == 1)
        a.clearedAt = ts + 60_000
        try store.transaction { try store.save(&a, at: ts + 60_000) }
        #expect(a.rev == 2)
        #expect(try store.alert(id: "A-000000001") == a)
        #expect(try store.alerts(reached: .police, afterRev: 1, limit: 10).map(\.rev) == [2])
        #expect(try store.alerts(reached: .police, afterRev: 2, limit: 10).isEmpty)
        #expect(try store.alerts(Store.AlertFilter(queue: .police)).count == 1)
        #expect(try store.alerts(Store.AlertFilter(queue: .cell)).isEmpty)
        #expect(try store.alerts(Store.AlertFilter(afterID: "A-000000001")).isEmpty)
        #expect(try store.nextAlertNumber() == 2)
        #expect(
            a.json.hasPrefix(#"{"v":1,"id":"A-000000001","dossier":"D-1","device":"TAG-1","breach":"strap_tamper""#))
    }

    @Test func anAlertOfAKindThisVersionDoesNotKnowIsAClearErrorNotACrash() throws {
        let store = try Store(path: temporaryDatabase())
        let a = Alert(
            id: Alert.id(forNumber: 1), dossier: "D-1", device: "TAG-1", kind: .breach(.strap_tamper),
            severity: .critical, radex: false, queues: [.vcet], zone: nil, eventTs: ts, detectedAt: ts, policy: "v1")
        try store.transaction { try store.save(a, at: ts) }
        // As a newer version would have written it.
        try store.db.execute("UPDATE alert SET breach = 'network_storm' WHERE id = 'A-000000001'")
        let unknownKind = StoredAlertError(alertID: "A-000000001", column: "breach", value: "network_storm")
        #expect(throws: unknownKind) { try store.alerts() }
        #expect(throws: unknownKind) { try store.alert(id: "A-000000001") }
        #expect(throws: unknownKind) {
            try store.latencyRecords(from: .distantPast, to: .distantFuture) { _, _, _ in nil }
        }
        #expect(unknownKind.description.hasPrefix(#"alert A-000000001 in the database has breach "network_storm""#))
        try store.db.execute("UPDATE alert SET breach = 'strap_tamper', severity = 'urgent' WHERE id = 'A-000000001'")
        #expect(throws: StoredAlertError(alertID: "A-000000001", column: "severity", value: "urgent")) {
            try store.alerts()
        }
    }

    @Test func dossierImportKeepsVersionsAndAudits() throws {
        let store = try Store(path: temporaryDatabase())
        func record(_ json: String) -> DossierRecord {
            DossierRecord(
                id: "D-1", subject: "S-1", radex: true, mandate: "pretrial", start: "2026-01-01", end: nil,
                timezone: "Europe/Brussels", devices: ["TAG-1"], json: json)
        }
        try store.importDossiers([record("{\"a\":1}")], by: "alice", at: ts)
        try store.importDossiers([record("{\"a\":1}")], by: "alice", at: ts + 1)  // unchanged: no new version
        try store.importDossiers([record("{\"a\":2}")], by: "bob", at: ts + 2)
        #expect(try store.dossier(id: "D-1")?.version == 2)
        #expect(try store.dossierVersions(id: "D-1").map(\.by) == ["alice", "bob"])
        #expect(try store.auditTrail(subject: "D-1").map(\.action) == ["dossier.import", "dossier.reimport"])
        #expect(try store.dossiers().first?.devices == ["TAG-1"])
    }

    @Test func refusesADatabaseFromANewerBuild() throws {
        let path = temporaryDatabase()
        do {
            let s = try Store(path: path)
            try s.db.execute("PRAGMA user_version = 99")
        }
        #expect(throws: SQLiteError.self) { try Store(path: path) }
    }
}
