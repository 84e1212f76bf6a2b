import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

/// The purge of old events (PROTOCOL 7) on a real SQLite file: what goes, the evidence that stays, the blocks
/// start-up still reads, dry runs, and the database files' modes.
@Suite("Store: retention")
struct RetentionTests {
    static let hour: Int64 = 3_600_000
    let t0 = Timestamp(milliseconds: 1_760_000_000_000)

    /// Two devices of two dossiers, an event of each every 10 minutes for `hours`, one journal block per hour
    /// (serve's v2 layout, every fifth event marked not evaluated); an alert of TAG-A at hour 3 and a snapshot
    /// covering all of it.
    func filled(hours: Int = 8) throws -> (Store, [DeviceEvent]) {
        let store = try Store(path: temporaryDatabase())
        var events: [DeviceEvent] = []
        try store.transaction {
            for h in 0..<hours {
                var block = JournalBlockBuilder(format: .v2)
                for m in stride(from: 0, to: 60, by: 10) {
                    for device in ["TAG-A", "TAG-B"] {
                        let e = DeviceEvent(
                            device: device, seq: UInt64(events.count),
                            ts: t0 + Int64(h) * Self.hour + Int64(m) * 60_000,
                            reading: .position(lat: 51, lon: 3.7, acc: 5))
                        block.append(deviceID: try store.deviceID(device), e, receivedAt: e.ts + 100)
                        if events.count % 5 == 0 { block.markLastNotEvaluated() }
                        events.append(e)
                    }
                }
                try store.appendJournal(block, receivedAt: t0 + Int64(h) * Self.hour)
            }
            var a = Alert(
                id: Alert.id(forNumber: 1), dossier: "D-A", device: "TAG-A", kind: .breach(.strap_tamper),
                severity: .critical, radex: true, queues: [.vcet], zone: nil, eventTs: t0 + 3 * Self.hour,
                detectedAt: t0 + 3 * Self.hour, policy: "v1")
            try store.save(&a, at: t0 + 3 * Self.hour)
            try store.saveSnapshot(
                [1, 2, 3], format: 1, takenAt: t0, journalThrough: try store.lastJournalBlock(), dossierLoad: 0)
        }
        return (store, events)
    }

    /// The journal as (device, seq, ts, evaluated, received) in order.
    func journal(_ store: Store) throws -> [String] {
        var out: [String] = []
        try store.forEachJournalEvent(afterBlock: 0) { _, e, evaluated, received in
            out.append("\(e.device) \(e.seq) \(e.ts.milliseconds) \(evaluated) \(received.milliseconds)")
        }
        return out
    }

    /// A year and six hours on: the first six hours are old; TAG-A's events within an hour of its alert stay.
    func plan() -> RetentionPlan {
        RetentionPlan(retentionDays: 365, now: t0 + 365 * RetentionPlan.day + 6 * Self.hour)
    }

    func expected(_ events: [DeviceEvent]) -> [DeviceEvent] {
        let cutoff = plan().cutoff
        let breach = t0 + 3 * Self.hour
        return events.filter { e in
            e.ts >= cutoff || (e.device == "TAG-A" && abs(e.ts.milliseconds - breach.milliseconds) <= Self.hour)
        }
    }

    @Test func oldEventsGoAndAnAlertsEvidenceStays() throws {
        let (store, events) = try filled()
        let before = try journal(store)
        let counts = try store.purge(plan(), batching: RetentionBatching(blocks: 2, pauseMs: 0))
        let wanted = expected(events)
        var kept: [DeviceEvent] = []
        try store.forEachJournalEvent { _, e in kept.append(e) }
        #expect(kept == wanted)
        // Evidence: TAG-A from 2:00 to 4:00 (13 events), of which 2:00-4:00 are old (all 13, the cutoff is 6:00).
        #expect(counts.eventsKeptAsEvidence == 13)
        #expect(counts.eventsPurged == Int64(events.count - wanted.count))
        #expect(counts.eventsRemaining == Int64(wanted.count))
        #expect(counts.eventsDeferred == 0)
        #expect(counts.blocksRewritten == 3)  // hours 2, 3 (TAG-A's evidence) and 4 (TAG-A at 4:00)
        #expect(counts.blocksDeleted == 3)
        // What stays is unchanged, flags and receive clocks included.
        let keptSeqs = Set(wanted.map(\.seq))
        #expect(try journal(store) == before.filter { keptSeqs.contains(UInt64($0.split(separator: " ")[1])!) })
        // A second run has nothing left to do.
        let again = try store.purge(plan())
        #expect(again.eventsPurged == 0 && again.batches == 0 && again.eventsKeptAsEvidence == 13)
        #expect(try journal(store).count == wanted.count)
        // Queries by device and time see what is left.
        #expect(try store.journalEvents(device: "TAG-B", from: .distantPast, to: .distantFuture).count == 12)
    }

    @Test func aDryRunCountsTheSameAndDeletesNothing() throws {
        let (store, _) = try filled()
        let before = try journal(store)
        let dry = try store.purge(plan(), dryRun: true)
        #expect(try journal(store) == before)
        #expect(dry.dryRun && dry.batches == 0 && dry.eventsRemaining == Int64(before.count))
        // At most 12 events per transaction: one block (of 12) each, six blocks changed.
        let real = try store.purge(plan(), batching: RetentionBatching(blocks: 32, events: 12, pauseMs: 0))
        #expect(real.batches == 6)
        #expect(real.eventsPurged == dry.eventsPurged && real.eventsKeptAsEvidence == dry.eventsKeptAsEvidence)
        #expect(real.blocksDeleted == dry.blocksDeleted && real.blocksRewritten == dry.blocksRewritten)
    }

    @Test func blocksStartUpStillReadsAreLeftAndTheLatestBlockKeepsItsID() throws {
        let (store, events) = try filled()
        // The older of the two snapshots covers the first two blocks only.
        try store.transaction {
            try store.saveSnapshot([4], format: 1, takenAt: t0, journalThrough: 2, dossierLoad: 0)
        }
        let counts = try store.purge(plan())
        #expect(counts.eventsPurged == 24)  // blocks 1 and 2 (hours 0 and 1), before any evidence
        #expect(counts.eventsDeferred == 48)  // blocks 3 to 6 have old events
        // Without a snapshot nothing goes.
        let fresh = try Store(path: temporaryDatabase())
        try fresh.transaction {
            var b = JournalBlockBuilder()
            b.append(deviceID: try fresh.deviceID("TAG-A"), events[0])
            try fresh.appendJournal(b, receivedAt: t0)
        }
        let none = try fresh.purge(plan())
        #expect(none.eventsPurged == 0 && none.eventsDeferred == 1 && none.eventsRemaining == 1)
        // Everything old in the latest block: it is emptied, not deleted, so the next block gets a new id.
        try fresh.transaction {
            try fresh.saveSnapshot([1], format: 1, takenAt: t0, journalThrough: 1, dossierLoad: 0)
        }
        #expect(try fresh.purge(plan()).eventsPurged == 1)
        #expect(try fresh.lastJournalBlock() == 1 && fresh.journalCount() == 0)
        try fresh.transaction {
            var b = JournalBlockBuilder()
            b.append(deviceID: try fresh.deviceID("TAG-A"), events[2])
            try fresh.appendJournal(b, receivedAt: t0)
        }
        var after: [UInt64] = []
        try fresh.forEachJournalEvent(afterBlock: 1) { _, e, _, _ in after.append(e.seq) }
        #expect(after == [events[2].seq])
    }

    @Test func theSettingServeStoresIsTheDefault() throws {
        let store = try Store(path: temporaryDatabase())
        #expect(try store.retentionDays() == 365)
        try store.setMeta(Store.retentionDaysKey, "30")
        #expect(try store.retentionDays() == 30)
    }

    @Test func theDatabaseAndItsWALAreOwnerOnly() throws {
        func mode(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
        }
        let path = temporaryDatabase()
        let store = try Store(path: path)
        try store.transaction { try store.setMeta("k", "v") }
        for file in [path, path + "-wal", path + "-shm"] { #expect(mode(file) == 0o600, "\(file)") }
        // An existing world-readable file is tightened when opened.
        let old = temporaryDatabase()
        _ = try Store(path: old)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: old)
        _ = try Store(path: old)
        #expect(mode(old) == 0o600)
    }
}
